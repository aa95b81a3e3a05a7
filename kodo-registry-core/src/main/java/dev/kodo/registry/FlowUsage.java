package dev.kodo.registry;

/**
 * How much a flow is used, as its node reports it with each heartbeat.
 *
 * @param runsStarted runs started in the last hour
 * @param runsFinished runs finished in the last hour
 */
public record FlowUsage(double runsStarted, double runsFinished) {
  /** No use reported. */
  public static final FlowUsage NONE = new FlowUsage(0, 0);

  /** @throws InvalidRequestException ({@code usage}) for negative or non-finite figures */
  public FlowUsage {
    if (!(runsStarted >= 0 && runsFinished >= 0 && Double.isFinite(runsStarted) && Double.isFinite(runsFinished))) {
      throw new InvalidRequestException("usage", "runs started and finished per hour must be finite and not negative, not "
          + runsStarted + " and " + runsFinished);
    }
  }
}
