package dev.kodo.client.access;

import java.util.Locale;

/**
 * What a grant allows on a resource (docs/security.md#grants): {@link #R} see every run of it at
 * the grant's level; {@link #X} launch it and see one's own runs. Neither implies the other.
 */
public enum Mode {
  R,
  X;

  /** {@code r} or {@code x}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The mode a wire name names, ignoring case; {@link IllegalArgumentException} if none. */
  public static Mode parse(String wire) {
    if (wire != null) {
      for (Mode m : values()) {
        if (m.wire().equalsIgnoreCase(wire.trim())) return m;
      }
    }
    throw new IllegalArgumentException("unknown mode '" + wire + "': expected r or x");
  }
}
