package dev.kodo.node.testflows;

import dev.kodo.sdk.Demand;
import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Declares {@code maxConcurrentRuns(1)}. With {@code lock} true it asks a person (a lock of five
 * minutes) and ends once answered; otherwise it waits until the file {@code <dir>/<fid>} exists.
 */
public final class LockOrWait implements Flow {
  @Override
  public FlowSpec spec() {
    return FlowSpec.builder("Lock or wait")
        .maxConcurrentRuns(1)
        .inputs(Form.builder().text("dir", f -> f.required()).bool("lock", f -> {}))
        .build();
  }

  @Override
  public Result run(FlowContext ctx) {
    if (ctx.inputs().has("lock") && ctx.inputs().bool("lock")) {
      ctx.lock(
          Demand.builder("Go on?").form(Form.builder().bool("ok", f -> f.required())).build(),
          Duration.ofMinutes(5));
      return Result.markdown("answered");
    }
    Path signal = Path.of(ctx.inputs().text("dir"), ctx.fid());
    while (!Files.exists(signal)) {
      LockSupport.parkNanos(10_000_000L);
    }
    return Result.markdown("released");
  }
}
