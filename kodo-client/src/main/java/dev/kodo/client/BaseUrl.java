package dev.kodo.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The one rule for a service's base URL as nodes, registries and peers are given (a node's {@code
 * kodo.registries}, a node's announced URL, a registry's peers): http(s), with a host, no user or
 * password, no query or fragment, at most {@value #MAX_LENGTH} characters and no control
 * characters; stripped and without a trailing slash. The registry answers a bad one with 400 naming
 * the field, a node refuses to start. Stateless; thread-safe.
 */
public final class BaseUrl {
  /** At most this many characters in a base URL. */
  public static final int MAX_LENGTH = 2_000;

  private BaseUrl() {}

  /**
   * {@code url} stripped and without a trailing slash.
   *
   * @throws IllegalArgumentException whose message says what is wrong, without the field's name and
   *     without echoing a value that may hold a password
   * @throws NullPointerException if {@code url} is null
   */
  public static String of(String url) {
    String u = url.strip();
    if (u.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "at most " + MAX_LENGTH + " characters are allowed, not " + u.length());
    }
    for (int i = 0; i < u.length(); i++) {
      char c = u.charAt(i);
      if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == '\u2028' || c == '\u2029') {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "control character U+%04X at character %d is not allowed",
                (int) c,
                i + 1));
      }
    }
    // A URL with a user in it may hold a password: never quote it.
    String shown = u.contains("@") ? "the value" : "'" + Shorten.to(u, 40) + "'";
    try {
      URI uri = new URI(u);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        throw new IllegalArgumentException(shown + " is not an http(s) URL with a host");
      }
      if (uri.getRawUserInfo() != null) {
        throw new IllegalArgumentException("must not carry a user or password");
      }
      if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
        throw new IllegalArgumentException("must be a base URL, without '?' or '#'");
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(shown + " is not a URL: " + e.getReason(), e);
    }
    while (u.endsWith("/")) u = u.substring(0, u.length() - 1);
    return u;
  }
}
