package dev.kodo.cli;

/**
 * ANSI colours for a terminal, or plain text. The {@code ./koco} launcher turns colours on with
 * {@code -Dkoco.color=true} when standard output is a terminal and {@code NO_COLOR} is unset.
 */
record Style(boolean color) {
  static final Style PLAIN = new Style(false);

  static Style detect() {
    return new Style(Boolean.getBoolean("koco.color") && System.getenv("NO_COLOR") == null);
  }

  String dim(String s) {
    return paint("2", s);
  }

  String bold(String s) {
    return paint("1", s);
  }

  String red(String s) {
    return paint("31", s);
  }

  String green(String s) {
    return paint("32", s);
  }

  String yellow(String s) {
    return paint("33", s);
  }

  String cyan(String s) {
    return paint("36", s);
  }

  private String paint(String code, String s) {
    return color && !s.isEmpty() ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
  }
}
