package dev.kodo.client;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The event catalogue (docs/events.md#catalogue): every type an event log may hold, its kind and
 * the level a caller needs to see it.
 */
public enum EventType {
  INPUTS("data", "inputs", Level.BASIC),
  VERSION("data", "version", Level.BASIC),
  FLOW("data", "flow", Level.BASIC),
  CONFIG("data", "config", Level.FULL),
  AGENT("data", "agent", Level.FULL),
  TASK("data", "task", Level.FULL),
  TOOL("data", "tool", Level.FULL),
  PROGRESS("process", "progress", Level.BASIC),
  FINAL("process", "final", Level.BASIC),
  RESULT("process", "result", Level.ADVANCED),
  RESULT_ERROR("process", "result-error", Level.ADVANCED),
  ACTION("process", "action", Level.FULL),
  ACTION_ERROR("process", "action-error", Level.FULL),
  STDOUT("process", "stdout", Level.FULL),
  STDERR("process", "stderr", Level.FULL),
  FATAL("process", "fatal", Level.BASIC),
  ACKNOWLEDGE("manage", "acknowledge", Level.BASIC),
  SHARE("manage", "share", Level.BASIC),
  KILL("manage", "kill", Level.BASIC),
  DELETE("manage", "delete", Level.BASIC),
  LOCK("lock", "lock", Level.BASIC),
  CANDIDATE("lock", "candidate", Level.BASIC),
  UNLOCK("lock", "unlock", Level.BASIC),
  UNLOCK_DENY("lock", "unlock-deny", Level.BASIC),
  UNLOCK_TIMEOUT("lock", "unlock-timeout", Level.BASIC),
  LOCK_TIMEOUT("lock", "lock-timeout", Level.BASIC);

  private static final Map<String, EventType> BY_NAME = new HashMap<>();

  static {
    for (EventType t : values()) {
      BY_NAME.put(t.type, t);
    }
  }

  private final String kind;
  private final String type;
  private final Level level;

  EventType(String kind, String type, Level level) {
    this.kind = kind;
    this.type = type;
    this.level = level;
  }

  public String kind() {
    return kind;
  }

  /** The name used on the wire, e.g. {@code result-error}. */
  public String type() {
    return type;
  }

  public Level level() {
    return level;
  }

  /**
   * Whether an event of this type ends the run's stream ({@code final}, {@code fatal}, {@code
   * kill}).
   */
  public boolean terminal() {
    return this == FINAL || this == FATAL || this == KILL;
  }

  public static Optional<EventType> of(String type) {
    return Optional.ofNullable(BY_NAME.get(type));
  }

  public static EventType require(String type) {
    EventType t = BY_NAME.get(type);
    if (t == null) {
      throw new KodoException("unknown event type '" + type + "'");
    }
    return t;
  }

  @Override
  public String toString() {
    return type;
  }
}
