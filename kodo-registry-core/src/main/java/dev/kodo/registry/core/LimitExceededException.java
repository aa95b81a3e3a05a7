package dev.kodo.registry.core;

/**
 * A request the registry would take if it did not hold too much already: more nodes than {@link
 * RegistryOptions#maxNodes()}, more peers than {@link RegistryOptions#maxPeers()}, constraints on
 * more flow paths of one node than {@link RegistryOptions#maxFlowsPerNode()}. The HTTP layer
 * answers it with 409 naming the limit; the same request succeeds once something was removed or the
 * limit raised.
 */
public class LimitExceededException extends InvalidRequestException {
  private final String limit;

  /**
   * @param parameter the parameter or field whose value would pass the limit
   * @param limit the setting that holds the limit, e.g. {@code kodo.registry.max-nodes}
   * @param reason what is full and what to do
   */
  public LimitExceededException(String parameter, String limit, String reason) {
    super(parameter, reason);
    this.limit = limit;
  }

  /** The setting that holds the limit, e.g. {@code kodo.registry.max-nodes}. */
  public String limit() {
    return limit;
  }
}
