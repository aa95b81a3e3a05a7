package dev.kodo.store;

import dev.kodo.client.Check;
import java.time.Instant;

/**
 * A run about to be created.
 *
 * @param inputs the validated inputs as a JSON object text
 * @param owner who launched it ({@code null} while auth is off)
 */
public record NewRun(String fid, String flow, String owner, Instant created, String inputs) {
  public NewRun {
    Check.notBlank(fid, "fid");
    Check.notBlank(flow, "flow");
    Check.notNull(created, "created");
    inputs = inputs == null ? "{}" : inputs;
  }
}
