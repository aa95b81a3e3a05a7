package dev.kodo.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How much a flow is used, as its node reports it with each heartbeat: the one wire shape of {@code
 * usage} in {@link RegistryFlow} and in a node's heartbeat. All figures cover the last hour.
 * Immutable. Not checked here: the registry checks the figures a node sends ({@code
 * dev.kodo.registry.core.Checks}). The model figures were added later: a heartbeat or a stored
 * record without them reads them as 0.
 *
 * @param runsStarted runs started in the last hour
 * @param runsFinished runs finished in the last hour
 * @param modelCalls answered model calls of the flow's runs in the last hour
 * @param inputTokens their input tokens
 * @param outputTokens their output tokens
 * @param cost their summed cost estimate (of the calls that carried one; 0 when none did)
 */
public record FlowUsage(
    double runsStarted,
    double runsFinished,
    double modelCalls,
    double inputTokens,
    double outputTokens,
    double cost) {
  /** No use reported. */
  public static final FlowUsage NONE = new FlowUsage(0, 0);

  /** Runs only, no model calls. */
  public FlowUsage(double runsStarted, double runsFinished) {
    this(runsStarted, runsFinished, 0, 0, 0, 0);
  }

  /**
   * Reads the wire shape: a figure left out (a heartbeat or record of an older node or registry) is
   * 0. Not checked here (see the class comment).
   */
  @JsonCreator
  static FlowUsage read(
      @JsonProperty("runsStarted") Double runsStarted,
      @JsonProperty("runsFinished") Double runsFinished,
      @JsonProperty("modelCalls") Double modelCalls,
      @JsonProperty("inputTokens") Double inputTokens,
      @JsonProperty("outputTokens") Double outputTokens,
      @JsonProperty("cost") Double cost) {
    return new FlowUsage(
        orZero(runsStarted),
        orZero(runsFinished),
        orZero(modelCalls),
        orZero(inputTokens),
        orZero(outputTokens),
        orZero(cost));
  }

  private static double orZero(Double v) {
    return v == null ? 0 : v;
  }
}
