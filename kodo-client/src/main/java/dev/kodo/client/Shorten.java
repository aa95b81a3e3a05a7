package dev.kodo.client;

/**
 * The one way Kodo shortens a text it quotes (a caller's value in an error, an answer in a log
 * line, a database's reason): the first {@code max} characters and an ellipsis. Each caller names
 * its own limit for its own purpose. Stateless; thread-safe.
 */
public final class Shorten {
  /** What marks a shortened text. */
  public static final String ELLIPSIS = "…";

  private Shorten() {}

  /**
   * {@code text} if it has at most {@code max} characters, else its first {@code max} characters
   * followed by {@link #ELLIPSIS}; null stays null.
   */
  public static String to(String text, int max) {
    if (text == null || text.length() <= max) return text;
    return text.substring(0, max) + ELLIPSIS;
  }
}
