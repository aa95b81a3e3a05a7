package dev.kodo.engine;

/** How an execution ended, as the engine saw it. */
public enum RunOutcome {
  /** {@code final} was emitted. */
  DONE,
  /** {@code fatal} was emitted. */
  ERROR,
  /** The run was cancelled; the engine emitted nothing more (the node records the kill). */
  KILLED
}
