package dev.kodo.worker;

import dev.kodo.client.EventType;
import dev.kodo.cluster.RunTicket;

/**
 * What a {@link Worker} tells about the runs it executes, for metrics and traces
 * (docs/operations.md): a node feeds its dispatch latency and its run traces from it, and a
 * stand-alone worker process can do the same. The worker calls {@link #started} on the run's thread
 * when it takes a run (before the flow starts), then {@link RunTelemetry#emitted} for each event
 * the run emits, then {@link RunTelemetry#ended} once. Implementations must be quick, must not
 * block and must not throw; they are called from many runs' threads at once.
 */
public interface WorkerTelemetry {
  /** Tells nothing to anyone. */
  WorkerTelemetry NONE = (worker, ticket) -> RunTelemetry.NONE;

  /** The worker {@code worker} took the run of {@code ticket} and is about to start its flow. */
  RunTelemetry started(String worker, RunTicket ticket);

  /** What one run tells while it executes. */
  interface RunTelemetry {
    RunTelemetry NONE = new RunTelemetry() {};

    /** The run emitted an event (as sent to its node). */
    default void emitted(EventType type, String data) {}

    /** The run ended on this worker (whatever way); called once. */
    default void ended() {}
  }
}
