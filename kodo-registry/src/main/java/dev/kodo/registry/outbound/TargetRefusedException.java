package dev.kodo.registry.outbound;

import dev.kodo.registry.core.InvalidRequestException;

/**
 * A URL the registry will not send requests to: its host resolves to an address {@code
 * kodo.registry.allowed-targets} does not allow, or does not resolve at all. The HTTP layer answers
 * it with 422 naming the field; the exchanges that meet it (probes, pulls, pushes) fail without
 * having opened a connection. Its message names the rule and never holds a resolved address of a
 * host name.
 */
public class TargetRefusedException extends InvalidRequestException {

  /**
   * @param field the field that holds the URL
   * @param reason why, and what would allow it
   */
  public TargetRefusedException(String field, String reason) {
    super(field, reason);
  }
}
