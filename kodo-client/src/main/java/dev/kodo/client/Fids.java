package dev.kodo.client;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Makes run ids: UUIDv7 strings (RFC 9562), ordered by creation time, monotonic within this JVM.
 * Thread-safe.
 */
public final class Fids {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static long lastMillis;
  private static long counter;

  private Fids() {}

  public static synchronized String next() {
    long now = System.currentTimeMillis();
    if (now > lastMillis) {
      lastMillis = now;
      counter = RANDOM.nextInt(1 << 11);
    } else if (++counter >= (1 << 12)) {
      lastMillis++;
      counter = 0;
    }
    long msb = (lastMillis << 16) | 0x7000L | counter;
    long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  /**
   * Whether {@code s} looks like a run id (a UUID: 8-4-4-4-12 hex digits), so that junk never
   * reaches the store.
   */
  public static boolean valid(String s) {
    if (s == null || s.length() != 36) return false;
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(i);
      boolean ok =
          (i == 8 || i == 13 || i == 18 || i == 23)
              ? c == '-'
              : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!ok) return false;
    }
    return true;
  }
}
