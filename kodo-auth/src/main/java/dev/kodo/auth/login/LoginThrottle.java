package dev.kodo.auth.login;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Counts failed logins per username and per remote address (docs/security.md#throttling): once one
 * has {@code max} failures within the window, further attempts are refused until the window ends
 * ({@code 429} with {@code Retry-After}). Memory is bounded: at most {@code maxTracked} keys of
 * each kind, the least recently seen forgotten first. Thread-safe.
 */
public final class LoginThrottle {
  private final Counter users;
  private final Counter addresses;

  public LoginThrottle(
      int maxPerUser, int maxPerAddress, Duration window, int maxTracked, Clock clock) {
    this.users = new Counter(maxPerUser, window, maxTracked, clock);
    this.addresses = new Counter(maxPerAddress, window, maxTracked, clock);
  }

  /** Seconds to wait if the username or the address is throttled now; empty if neither is. */
  public OptionalLong retryAfter(String username, String address) {
    long u = users.wait(username);
    long a = addresses.wait(address);
    long w = Math.max(u, a);
    return w > 0 ? OptionalLong.of(w) : OptionalLong.empty();
  }

  /** Counts a failed login. */
  public void failed(String username, String address) {
    users.fail(username);
    addresses.fail(address);
  }

  /** A successful login clears the username's failures (not the address's). */
  public void succeeded(String username) {
    users.clear(username);
  }

  private static final class Counter {
    private final int max;
    private final long windowMillis;
    private final Clock clock;
    private final Map<String, long[]> entries; // {window start, failures}

    Counter(int max, Duration window, int maxTracked, Clock clock) {
      this.max = max;
      this.windowMillis = window.toMillis();
      this.clock = clock;
      this.entries =
          new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
              return size() > maxTracked;
            }
          };
    }

    synchronized long wait(String key) {
      if (key == null) return 0;
      long[] e = entries.get(key);
      if (e == null) return 0;
      long now = clock.millis();
      long end = e[0] + windowMillis;
      if (now >= end) {
        entries.remove(key);
        return 0;
      }
      return e[1] >= max ? Math.max(1, (end - now + 999) / 1000) : 0;
    }

    synchronized void fail(String key) {
      if (key == null) return;
      long now = clock.millis();
      long[] e = entries.get(key);
      if (e == null || now >= e[0] + windowMillis) {
        entries.put(key, new long[] {now, 1});
      } else {
        e[1]++;
      }
    }

    synchronized void clear(String key) {
      if (key != null) entries.remove(key);
    }
  }
}
