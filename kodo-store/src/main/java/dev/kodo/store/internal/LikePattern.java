package dev.kodo.store.internal;

/**
 * Translates a search glob into a SQL {@code LIKE} pattern with {@code \} as the escape character.
 * {@code *} matches any text and {@code ?} one character; every other character, including {@code
 * %}, {@code _} and {@code \}, matches itself. A glob without {@code *} or {@code ?} matches
 * anywhere in the text, as a search box would. Matching ignores the case of ASCII letters: the
 * pattern is lower-cased here and compared with {@code LOWER(column)}, which in SQLite (and for the
 * {@code "C"} collation in PostgreSQL) lower-cases ASCII only.
 */
final class LikePattern {
  static final String ESCAPE = "\\";

  private LikePattern() {}

  static String of(String glob) {
    boolean anchored = glob.indexOf('*') >= 0 || glob.indexOf('?') >= 0;
    StringBuilder like = new StringBuilder(glob.length() + 2);
    if (!anchored) {
      like.append('%');
    }
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> like.append('%');
        case '?' -> like.append('_');
        case '%', '_', '\\' -> like.append('\\').append(c);
        default -> like.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
      }
    }
    if (!anchored) {
      like.append('%');
    }
    return like.toString();
  }
}
