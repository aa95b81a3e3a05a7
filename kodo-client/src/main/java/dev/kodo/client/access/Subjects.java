package dev.kodo.client.access;

import java.util.regex.Pattern;

/**
 * Who can hold a grant (docs/security.md#subjects): {@code user:{name}}, {@code group:{name}},
 * {@code node:{name}} and {@code worker:{name}} (the last two are OAuth2 clients). Names are 1–64
 * characters of letters, digits, {@code . _ @ -}, starting with a letter or digit.
 */
public final class Subjects {
  private Subjects() {}

  public static final String USER = "user:";
  public static final String GROUP = "group:";
  public static final String NODE = "node:";
  public static final String WORKER = "worker:";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

  /** Whether {@code name} is a valid user, group or client name. */
  public static boolean validName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /**
   * The reason {@code subject} is not a subject, or {@code null} if it is one: a known prefix and a
   * valid name.
   */
  public static String problem(String subject) {
    if (subject == null || subject.isBlank()) return "is required";
    for (String prefix : new String[] {USER, GROUP, NODE, WORKER}) {
      if (subject.startsWith(prefix)) {
        return validName(subject.substring(prefix.length()))
            ? null
            : "needs a name of 1-64 letters, digits, '.', '_', '@' or '-' after '" + prefix + "'";
      }
    }
    return "must start with user:, group:, node: or worker:";
  }

  public static String user(String name) {
    return USER + name;
  }

  public static String group(String name) {
    return GROUP + name;
  }

  public static String node(String name) {
    return NODE + name;
  }

  public static String worker(String name) {
    return WORKER + name;
  }
}
