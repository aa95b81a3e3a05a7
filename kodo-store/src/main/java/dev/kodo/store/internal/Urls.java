package dev.kodo.store.internal;

import java.util.regex.Pattern;

/** Makes JDBC URLs safe to log or put in a message. */
final class Urls {
  private static final Pattern SECRET_PARAMETER =
      Pattern.compile("(?i)((?:password|pwd|sslpassword|sslkey|token)=)[^&;]*");
  private static final Pattern USER_INFO = Pattern.compile("//([^/@:]*):[^/@]*@");

  private Urls() {}

  /** The URL with any password in it replaced by {@code ***}. */
  static String redact(String url) {
    String s = SECRET_PARAMETER.matcher(url).replaceAll("$1***");
    return USER_INFO.matcher(s).replaceAll("//$1:***@");
  }
}
