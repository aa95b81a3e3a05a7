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

  /**
   * Like {@link #to}, and a shortened text says how long it was — {@code abc…(4000 characters)} —
   * so that whoever sent it sees it was cut, not changed.
   */
  public static String saying(String text, int max) {
    if (text == null || text.length() <= max) return text;
    return to(text, max) + "(" + text.length() + " characters)";
  }
}
