package dev.kodo.node.runs;

/**
 * Told by the {@link RunJournal} when a run of a flow starts (its first events are written) and
 * when it ends (its terminal event is written, or a failed write ends it). The journal calls it
 * while it holds its lock, once per run and transition, so an implementation must be quick, must
 * not block and must not call back into the journal; it must be thread-safe. The registry
 * announcer's usage counter is one ({@code FlowUsageCounter}); the journal knows nothing of it.
 */
public interface RunListener {
  /** A run of {@code flow} was launched. */
  void started(String flow);

  /** A run of {@code flow} ended (finished, failed or was killed). */
  void finished(String flow);
}
