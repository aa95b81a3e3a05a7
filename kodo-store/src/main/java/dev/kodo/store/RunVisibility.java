package dev.kodo.store;

import java.util.Set;

/**
 * Which runs a caller may see (docs/security.md#node-who-sees-what), for {@link RunQuery}: runs it
 * owns (owner in {@code subjects}), runs shared with one of {@code subjects} at a level other than
 * {@code none}, and every run of one of {@code flows}. The store applies it in its query, so totals
 * and pages count only visible runs.
 *
 * @param subjects the caller's subject and its groups as subjects ({@code group:…})
 * @param flows flow paths whose runs the caller reads whoever launched them
 */
public record RunVisibility(Set<String> subjects, Set<String> flows) {
  public RunVisibility {
    subjects = Set.copyOf(subjects == null ? Set.of() : subjects);
    flows = Set.copyOf(flows == null ? Set.of() : flows);
  }
}
