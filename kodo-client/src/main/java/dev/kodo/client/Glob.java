package dev.kodo.client;

import java.util.Locale;

/**
 * A glob as every {@code search} parameter (node and registry) and the registry's query operator
 * {@code ~} use it: {@code *} matches any text (also none), {@code ?} exactly one character, every
 * other character itself; case is ignored. A {@linkplain #search search} without {@code *} or
 * {@code ?} matches anywhere in the text (a substring, as a search box does); otherwise, and always
 * for {@linkplain #exact ~}, the glob must match the whole text. No regular expression is involved:
 * matching takes time proportional to the text and the pattern, never more (no backtracking beyond
 * the last {@code *}), so no pattern a caller sends can pin a core. Callers check the length and
 * characters of what they accept (the services allow {@value #MAX_SEARCH} characters, no control
 * characters). Immutable and thread-safe.
 *
 * <pre>{@code
 * Glob.search("report").matches("Quarterly Report")   // true: substring
 * Glob.search("q*report").matches("Quarterly Report") // true: whole text
 * Glob.exact("v1.?").matches("v1.2")                  // true
 * }</pre>
 */
public final class Glob {
  /** At most this many characters in a {@code search} parameter, as node and registry check it. */
  public static final int MAX_SEARCH = 200;

  private final String pattern;
  private final String lower;
  private final boolean substring;

  /**
   * The literal text a whole-text match must start with (up to the first wildcard); may be empty.
   */
  private final String prefix;

  /** The literal text a whole-text match must end with (after the last wildcard); may be empty. */
  private final String suffix;

  /** The longest run of literal characters: any text that matches contains it. */
  private final String required;

  /**
   * Whether the glob is {@code *text*} (or a substring search): any text containing {@link
   * #required} matches.
   */
  private final boolean contains;

  private Glob(String pattern, boolean substring) {
    this.pattern = pattern;
    this.lower = collapseStars(pattern.toLowerCase(Locale.ROOT));
    this.substring = substring;
    int wild = 0;
    while (wild < lower.length() && lower.charAt(wild) != '*' && lower.charAt(wild) != '?') wild++;
    this.prefix = lower.substring(0, wild);
    int last = lower.length();
    while (last > 0 && lower.charAt(last - 1) != '*' && lower.charAt(last - 1) != '?') last--;
    this.suffix = last == 0 ? "" : lower.substring(last);
    String longest = "";
    for (String run : lower.split("[*?]")) {
      if (run.length() > longest.length()) longest = run;
    }
    this.required = longest;
    this.contains =
        substring
            || (lower.length() >= 2
                && lower.charAt(0) == '*'
                && lower.charAt(lower.length() - 1) == '*'
                && longest.length() == lower.length() - 2);
  }

  /** A {@code search} parameter: a substring without wildcards, else a whole-text glob. */
  public static Glob search(String search) {
    Check.notNull(search, "search");
    boolean wild = search.indexOf('*') >= 0 || search.indexOf('?') >= 0;
    return new Glob(search, !wild);
  }

  /** A glob that must match the whole text, with or without wildcards (the query's {@code ~}). */
  public static Glob exact(String pattern) {
    return new Glob(Check.notNull(pattern, "pattern"), false);
  }

  /** Whether {@code text} matches, ignoring case; null never matches. */
  public boolean matches(String text) {
    return text != null && matchesLower(text.toLowerCase(Locale.ROOT));
  }

  /** Whether {@code lowerText}, already lower-cased with {@link java.util.Locale#ROOT}, matches. */
  public boolean matchesLower(String lowerText) {
    if (contains) {
      return lowerText.contains(required);
    }
    return matchesLower(lowerText, 0, lowerText.length());
  }

  /**
   * Whether the part {@code [from, to)} of {@code lowerText} (already lower-cased) matches as a
   * whole text would; for searching many texts joined into one without copying them out.
   */
  public boolean matchesLower(String lowerText, int from, int to) {
    if (contains) {
      int at = lowerText.indexOf(required, from);
      return at >= 0 && at + required.length() <= to;
    }
    int n = to - from;
    return n >= prefix.length() + suffix.length()
        && lowerText.startsWith(prefix, from)
        && lowerText.startsWith(suffix, to - suffix.length())
        && wildcard(lower, lowerText, from, to);
  }

  /**
   * Whether some text inside {@code lowerTexts} — several lower-cased texts joined into one — could
   * match: a quick test on one contiguous string before trying the texts one by one. Never false
   * when one of them matches.
   */
  public boolean mayMatchIn(String lowerTexts) {
    return required.isEmpty() || lowerTexts.contains(required);
  }

  /**
   * The text every match contains, lower-cased: the whole pattern for a substring search, else its
   * longest literal run (empty if it has none, as {@code *}).
   */
  public String needle() {
    return required;
  }

  /** Whether this glob matches anywhere in a text (no wildcards were given to {@link #search}). */
  public boolean substring() {
    return substring;
  }

  /**
   * Whether every text holding the {@link #needle} matches: a substring search, or a glob of the
   * form {@code *text*}. Then finding the needle inside one field is a match, nothing else to
   * check.
   */
  public boolean containsNeedle() {
    return contains;
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

  /**
   * Whole-text wildcard match with one backtrack point per star: O(|p|·|t|) at worst, linear
   * usually.
   */
  private static boolean wildcard(String p, String t, int from, int to) {
    int pi = 0;
    int ti = from;
    int star = -1;
    int mark = 0;
    while (ti < to) {
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
