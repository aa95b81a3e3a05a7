package dev.kodo.client;

import java.util.Locale;

/** The state of a run, derived from its event log (docs/events.md#derived-state). */
public enum RunState {
  PENDING,
  LOCKED,
  DONE,
  ERROR,
  KILLED;

  /** Whether the run has ended and will emit nothing more of its own. */
  public boolean finished() {
    return this == DONE || this == ERROR || this == KILLED;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RunState parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown run state '" + s + "': expected one of pending, locked, done, error, killed");
    }
  }

  /**
   * docs/events.md#derived-state: error if fatal; else killed if kill; else done if final; else
   * locked if a lock is open; else pending.
   */
  public static RunState derive(boolean fatal, boolean killed, boolean done, boolean lockOpen) {
    if (fatal) return ERROR;
    if (killed) return KILLED;
    if (done) return DONE;
    if (lockOpen) return LOCKED;
    return PENDING;
  }

  @Override
  public String toString() {
    return wire();
  }
}
