package dev.kodo.node.runs;

import dev.kodo.client.RunUsage;

/**
 * Told by the {@link RunJournal} when a run of a flow starts (its first events are written), when
 * it ends (its terminal event is written, or a failed write ends it) and when one of its runs
 * records a model call. The journal calls {@link #started} and {@link #finished} while it holds its
 * lock, once per run and transition, and {@link #modelCall} right after it took the event, outside
 * its lock; so an implementation must be quick, must not block and must not call back into the
 * journal; it must be thread-safe. The registry announcer's usage counter is one ({@code
 * FlowUsageCounter}); the journal knows nothing of it.
 */
public interface RunListener {
  /** A run of {@code flow} was launched. */
  void started(String flow);

  /** A run of {@code flow} ended (finished, failed or was killed). */
  void finished(String flow);

  /**
   * A run of {@code flow} recorded one model call (an {@code llm} action, read by {@link
   * RunUsage#ofEvent}); by default nothing happens.
   */
  default void modelCall(String flow, RunUsage call) {}
}
