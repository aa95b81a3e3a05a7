package dev.kodo.web.security;

import dev.kodo.client.KodoException;
import dev.kodo.client.access.Grant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link GrantSource} read at most once per {@code kodo.auth.grants-refresh}
 * (docs/security.md#node-who-sees-what), so a request never waits for the provider except the very
 * first. The list a request sees is at most one refresh interval old while the provider answers; a
 * stale list is refreshed in the background while the old one is served. When the provider stops
 * answering, the last list is served for at most four intervals, then {@link #grants()} fails (503)
 * rather than apply grants that may have been revoked. Thread-safe.
 */
public final class CachedGrants {
  private static final Logger log = LoggerFactory.getLogger(CachedGrants.class);

  private final GrantSource source;
  private final Duration refresh;
  private final Duration maxAge;
  private final Clock clock;
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private volatile Snapshot snapshot;
  private volatile String lastFailure = "";

  private record Snapshot(List<Grant> grants, Instant at) {}

  public CachedGrants(GrantSource source, Duration refresh) {
    this(source, refresh, Clock.systemUTC());
  }

  CachedGrants(GrantSource source, Duration refresh, Clock clock) {
    this.source = source;
    this.refresh = refresh == null || refresh.isNegative() ? Duration.ZERO : refresh;
    this.maxAge = this.refresh.multipliedBy(4);
    this.clock = clock;
  }

  /** A cache of nothing: a service without an auth provider (auth off, or operators only). */
  public static CachedGrants none() {
    return new CachedGrants(List::of, Duration.ofDays(365));
  }

  /**
   * The grants, at most {@code grants-refresh} old (older while the provider is unreachable, up to
   * four intervals).
   *
   * @throws KodoException when the grants cannot be read and none fresh enough are known (503)
   */
  public List<Grant> grants() {
    Snapshot s = snapshot;
    Instant now = clock.instant();
    if (s == null || refresh.isZero()) return load();
    Duration age = Duration.between(s.at(), now);
    if (age.compareTo(refresh) < 0) return s.grants();
    if (age.compareTo(maxAge) >= 0) return load();
    if (refreshing.compareAndSet(false, true)) {
      Thread.ofVirtual()
          .name("kodo-grants-refresh")
          .start(
              () -> {
                try {
                  fetch();
                } catch (RuntimeException e) {
                  failed(e);
                } finally {
                  refreshing.set(false);
                }
              });
    }
    return s.grants();
  }

  /** Forgets the cached list: the next {@link #grants()} reads the source. */
  public void invalidate() {
    snapshot = null;
  }

  private synchronized List<Grant> load() {
    Snapshot s = snapshot;
    if (s != null
        && !refresh.isZero()
        && Duration.between(s.at(), clock.instant()).compareTo(refresh) < 0) {
      return s.grants();
    }
    try {
      return fetch();
    } catch (RuntimeException e) {
      failed(e);
      // retryable: the answer is a 503 with Retry-After, as documented above, not a 500
      throw KodoException.retryable("the auth provider's grants cannot be read at the moment", e);
    }
  }

  private List<Grant> fetch() {
    List<Grant> g = List.copyOf(source.grants());
    snapshot = new Snapshot(g, clock.instant());
    lastFailure = "";
    return g;
  }

  private void failed(RuntimeException e) {
    String m = String.valueOf(e.getMessage());
    if (!m.equals(lastFailure)) {
      log.warn("cannot refresh the grants: {}", m);
      lastFailure = m;
    }
  }
}
