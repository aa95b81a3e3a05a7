package dev.kodo.sdk;

/**
 * Argument checks for the SDK's builders, with the messages of {@code dev.kodo.client.Check} (the
 * SDK depends on no other module). Stateless.
 */
final class Require {
  private Require() {}

  static <T> T notNull(T value, String what) {
    if (value == null) {
      throw new IllegalArgumentException(what + " cannot be null");
    }
    return value;
  }

  static String notBlank(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " cannot be null or blank");
    }
    return value;
  }

  static void that(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
