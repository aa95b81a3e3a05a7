package dev.kodo.client;

/**
 * How much a flow is used, as its node reports it with each heartbeat: the one wire shape of {@code
 * usage} in {@link RegistryFlow} and in a node's heartbeat. Immutable. Not checked here: the
 * registry checks the figures a node sends ({@code dev.kodo.registry.core.Checks}).
 *
 * @param runsStarted runs started in the last hour
 * @param runsFinished runs finished in the last hour
 */
public record FlowUsage(double runsStarted, double runsFinished) {
  /** No use reported. */
  public static final FlowUsage NONE = new FlowUsage(0, 0);
}
