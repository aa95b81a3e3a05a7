package dev.kodo.client.access;

import java.util.Locale;

/**
 * What a person (or client) is in general (docs/security.md#roles): an {@link #OPERATOR} may do
 * everything; a {@link #DEVELOPER} may also register flows on nodes it is granted and sees advanced
 * events of its own runs; a {@link #USER} gets only what its grants give.
 */
public enum Role {
  OPERATOR,
  DEVELOPER,
  USER;

  /**
   * The role's name on the wire and in tokens: {@code operator}, {@code developer}, {@code user}.
   */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role a wire name names, ignoring case; {@link IllegalArgumentException} if none. */
  public static Role parse(String wire) {
    if (wire != null) {
      for (Role r : values()) {
        if (r.wire().equalsIgnoreCase(wire.trim())) return r;
      }
    }
    throw new IllegalArgumentException(
        "unknown role '" + wire + "': expected operator, developer or user");
  }
}
