package dev.kodo.client.access;

import dev.kodo.client.Level;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/**
 * The decision (docs/security.md#deciding): the level at which a caller may use a resource in a
 * mode, from its grants and its groups' grants; the highest level wins; operators hold {@code full}
 * on everything. Stateless.
 */
public final class Access {
  private Access() {}

  /**
   * The highest level any of {@code grants} gives {@code caller} (its subject or one of its groups)
   * on {@code resource} in {@code mode}; empty if none does. An operator gets {@link Level#FULL}.
   */
  public static Optional<Level> level(
      Caller caller, Collection<Grant> grants, String resource, Mode mode) {
    if (caller.operator()) return Optional.of(Level.FULL);
    Set<String> subjects = caller.subjects();
    Level best = null;
    for (Grant g : grants) {
      if (g.covers(subjects, resource, mode)) {
        Level l = g.levelValue();
        if (best == null || l.compareTo(best) > 0) best = l;
      }
    }
    return Optional.ofNullable(best);
  }

  /** The higher of two levels, either of which may be null. */
  public static Level max(Level a, Level b) {
    if (a == null) return b;
    if (b == null) return a;
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** The lower of two levels (a share never exceeds the sharer's level). */
  public static Level min(Level a, Level b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
