package dev.kodo.node.runs;

/**
 * Told about launches and event writes, for the node's metrics and traces (docs/operations.md); the
 * runs package knows nothing of what it does with them. Called on request and store threads:
 * implementations must be quick, must not block, must not throw and must not call back into the
 * runs package. Thread-safe.
 */
public interface RunObserver {
  /** Observes nothing. */
  RunObserver NONE = new RunObserver() {};

  /** A launch of {@code flow} passed its checks and is about to be recorded and dispatched. */
  default Launch launching(String flow) {
    return Launch.NONE;
  }

  /** The store made {@code events} events durable in one write that took {@code nanos}. */
  default void persisted(int events, long nanos) {}

  /** One launch, from its checks to its dispatch. */
  interface Launch {
    Launch NONE = new Launch() {};

    /** The W3C {@code traceparent} the run's ticket carries to its worker; null for none. */
    default String traceparent() {
      return null;
    }

    /** The run {@code fid} was recorded and put on the cluster. */
    default void dispatched(String fid) {}

    /** The launch failed after its checks (the store or the cluster refused it). */
    default void failed(Throwable error) {}
  }
}
