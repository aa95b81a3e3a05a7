package dev.kodo.registry.core.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A semantic version ({@code MAJOR.MINOR.PATCH[-pre][+build]}, as the SDK accepts for a flow's
 * release) ordered by semver precedence: numbers compare as numbers of any size, a pre-release
 * comes before its release, build metadata is ignored. Immutable.
 */
public final class Semver implements Comparable<Semver> {
  private static final Pattern SEMVER =
      Pattern.compile(
          "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-([0-9A-Za-z.-]+))?(?:\\+([0-9A-Za-z.-]+))?");

  private final String text;
  private final String major;
  private final String minor;
  private final String patch;
  private final String[] pre;

  private Semver(String text, String major, String minor, String patch, String pre) {
    this.text = text;
    this.major = major;
    this.minor = minor;
    this.patch = patch;
    this.pre = pre == null ? null : pre.split("\\.", -1);
  }

  /** The version {@code text} stands for, or null if it is not a semantic version. */
  public static Semver parse(String text) {
    if (text == null || text.length() > 256) {
      return null;
    }
    Matcher m = SEMVER.matcher(text);
    return m.matches() ? new Semver(text, m.group(1), m.group(2), m.group(3), m.group(4)) : null;
  }

  @Override
  public int compareTo(Semver o) {
    int c = compareNumbers(major, o.major);
    if (c == 0) c = compareNumbers(minor, o.minor);
    if (c == 0) c = compareNumbers(patch, o.patch);
    if (c != 0) return c;
    if (pre == null || o.pre == null) {
      return pre == null ? (o.pre == null ? 0 : 1) : -1;
    }
    for (int i = 0; i < Math.min(pre.length, o.pre.length); i++) {
      c = compareIdentifiers(pre[i], o.pre[i]);
      if (c != 0) return c;
    }
    return Integer.compare(pre.length, o.pre.length);
  }

  private static int compareIdentifiers(String a, String b) {
    boolean na = isNumber(a);
    boolean nb = isNumber(b);
    if (na && nb) return compareNumbers(strip(a), strip(b));
    if (na != nb) return na ? -1 : 1;
    return a.compareTo(b);
  }

  private static boolean isNumber(String s) {
    if (s.isEmpty()) return false;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
    }
    return true;
  }

  private static String strip(String digits) {
    int i = 0;
    while (i < digits.length() - 1 && digits.charAt(i) == '0') i++;
    return digits.substring(i);
  }

  private static int compareNumbers(String a, String b) {
    return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Semver s && compareTo(s) == 0;
  }

  @Override
  public int hashCode() {
    return (major + "." + minor + "." + patch).hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
