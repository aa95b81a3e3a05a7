package dev.kodo.web.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.client.KodoException;
import dev.kodo.client.access.Grant;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CachedGrantsTest {
  private static final Grant A = new Grant("1", "user:a", "flow://n/f", "x", "basic");
  private static final Grant B = new Grant("2", "user:b", "flow://n/f", "r", "full");

  private final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Test
  void readsTheSourceOncePerInterval() {
    AtomicInteger reads = new AtomicInteger();
    CachedGrants g =
        new CachedGrants(
            () -> {
              reads.incrementAndGet();
              return List.of(A);
            },
            Duration.ofSeconds(15),
            clock);
    assertThat(g.grants()).containsExactly(A);
    clock.advance(Duration.ofSeconds(10));
    assertThat(g.grants()).containsExactly(A);
    assertThat(reads).hasValue(1);
  }

  @Test
  void aStaleListIsRefreshedAndAFailingSourceIsTrustedForFourIntervalsOnly() throws Exception {
    AtomicReference<List<Grant>> held = new AtomicReference<>(List.of(A));
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    CachedGrants g =
        new CachedGrants(
            () -> {
              if (failure.get() != null) throw failure.get();
              return held.get();
            },
            Duration.ofSeconds(15),
            clock);
    assertThat(g.grants()).containsExactly(A);
    held.set(List.of(B));
    clock.advance(Duration.ofSeconds(16));
    g.grants(); // stale: served while a background refresh runs
    for (int i = 0; i < 100 && !g.grants().equals(List.of(B)); i++) Thread.sleep(20);
    assertThat(g.grants()).containsExactly(B);

    failure.set(new IllegalStateException("provider down"));
    clock.advance(Duration.ofSeconds(30));
    assertThat(g.grants()).containsExactly(B); // still within four intervals
    clock.advance(Duration.ofSeconds(60));
    assertThatThrownBy(g::grants).isInstanceOf(KodoException.class);
  }
}
