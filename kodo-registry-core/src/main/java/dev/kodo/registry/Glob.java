package dev.kodo.registry;

import dev.kodo.registry.internal.Texts;

/**
 * A glob as {@code search} and the query operator {@code ~} use it: {@code *} matches any text
 * (also none), {@code ?} exactly one character, every other character itself; case is ignored.
 * A {@linkplain #search search} without {@code *} or {@code ?} matches anywhere in the text (a
 * substring, as a search box does); otherwise, and always for {@linkplain #exact ~}, the glob must
 * match the whole text. No regular expression is involved: matching takes time proportional to
 * the text and the pattern, never more. Immutable and thread-safe.
 *
 * <pre>{@code
 * Glob.search("report").matches("Quarterly Report")   // true: substring
 * Glob.search("q*report").matches("Quarterly Report") // true: whole text
 * Glob.exact("v1.?").matches("v1.2")                  // true
 * }</pre>
 */
public final class Glob {
  /** At most this many characters in a {@code search}. */
  public static final int MAX_SEARCH = 200;

  private final String pattern;
  private final String lower;
  private final boolean substring;
  /** The literal text a whole-text match must start with (up to the first wildcard); may be empty. */
  private final String prefix;

  private Glob(String pattern, boolean substring) {
    this.pattern = pattern;
    this.lower = collapseStars(Texts.lower(pattern));
    this.substring = substring;
    int wild = 0;
    while (wild < lower.length() && lower.charAt(wild) != '*' && lower.charAt(wild) != '?') wild++;
    this.prefix = lower.substring(0, wild);
  }

  /**
   * A {@code search} parameter: a substring without wildcards, else a whole-text glob.
   *
   * @throws InvalidRequestException ({@code search}) if longer than {@value #MAX_SEARCH} characters
   *     or holding control characters
   */
  public static Glob search(String search) {
    dev.kodo.client.Check.notNull(search, "search");
    if (search.length() > MAX_SEARCH) {
      throw new InvalidRequestException("search", "at most " + MAX_SEARCH + " characters are allowed, not " + search.length());
    }
    Texts.noControl(search, "search");
    boolean wild = search.indexOf('*') >= 0 || search.indexOf('?') >= 0;
    return new Glob(search, !wild);
  }

  /** A glob that must match the whole text, with or without wildcards (the query's {@code ~}). */
  public static Glob exact(String pattern) {
    return new Glob(dev.kodo.client.Check.notNull(pattern, "pattern"), false);
  }

  /** Whether {@code text} matches, ignoring case; null never matches. */
  public boolean matches(String text) {
    return text != null && matchesLower(Texts.lower(text));
  }

  /** Whether {@code lowerText}, already lower-cased with {@link java.util.Locale#ROOT}, matches. */
  public boolean matchesLower(String lowerText) {
    if (substring) {
      return lowerText.contains(lower);
    }
    return lowerText.startsWith(prefix) && wildcard(lower, lowerText);
  }

  /** Whether this glob matches anywhere in a text (no wildcards were given to {@link #search}). */
  public boolean substring() {
    return substring;
  }

  /** The pattern as given. */
  public String pattern() {
    return pattern;
  }

  @Override
  public String toString() {
    return pattern;
  }

  private static String collapseStars(String p) {
    if (!p.contains("**")) return p;
    StringBuilder out = new StringBuilder(p.length());
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c != '*' || out.isEmpty() || out.charAt(out.length() - 1) != '*') out.append(c);
    }
    return out.toString();
  }

  /** Whole-text wildcard match with one backtrack point per star: O(|p|·|t|) at worst, linear usually. */
  private static boolean wildcard(String p, String t) {
    int pi = 0;
    int ti = 0;
    int star = -1;
    int mark = 0;
    while (ti < t.length()) {
      if (pi < p.length() && (p.charAt(pi) == '?' || p.charAt(pi) == t.charAt(ti))) {
        pi++;
        ti++;
      } else if (pi < p.length() && p.charAt(pi) == '*') {
        star = pi++;
        mark = ti;
      } else if (star >= 0) {
        pi = star + 1;
        ti = ++mark;
      } else {
        return false;
      }
    }
    while (pi < p.length() && p.charAt(pi) == '*') pi++;
    return pi == p.length();
  }
}
