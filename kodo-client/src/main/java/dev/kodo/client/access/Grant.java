package dev.kodo.client.access;

import dev.kodo.client.Level;
import java.util.Locale;

/**
 * One grant as the auth provider stores and serves it ({@code /auth/grants}, docs/security.md):
 * {@code subject} may use {@code resource} (a pattern, {@link Resources}) in {@code mode} ({@code
 * r}/{@code x}) at {@code level} ({@code basic}/{@code advanced}/{@code full}; node grants carry
 * {@code full}). Wire values are lower-case strings.
 */
public record Grant(String id, String subject, String resource, String mode, String level) {

  public Mode modeValue() {
    return Mode.parse(mode);
  }

  public Level levelValue() {
    return Level.valueOf(level.trim().toUpperCase(Locale.ROOT));
  }

  /**
   * Whether this grant is for one of {@code subjects}, covers {@code resource}, in {@code mode}.
   */
  public boolean covers(java.util.Set<String> subjects, String resource, Mode mode) {
    return subjects.contains(subject)
        && mode.wire().equalsIgnoreCase(this.mode)
        && Resources.matches(this.resource, resource);
  }
}
