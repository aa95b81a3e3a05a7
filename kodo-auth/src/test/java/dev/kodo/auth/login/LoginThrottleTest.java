package dev.kodo.auth.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private Instant now = Instant.parse("2026-12-05T12:00:00Z");

  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };

  @Test
  void aUserIsThrottledAfterItsFailuresUntilTheWindowEnds() {
    LoginThrottle t = new LoginThrottle(3, 100, Duration.ofSeconds(60), 100, clock);
    for (int i = 0; i < 3; i++) {
      assertThat(t.retryAfter("alice", "a1")).isEmpty();
      t.failed("alice", "a1");
    }
    assertThat(t.retryAfter("alice", "a2")).hasValue(60);
    assertThat(t.retryAfter("bob", "a1")).isEmpty();
    now = now.plusSeconds(45);
    assertThat(t.retryAfter("alice", "a1")).hasValue(15);
    now = now.plusSeconds(15);
    assertThat(t.retryAfter("alice", "a1")).isEmpty();
  }

  @Test
  void anAddressIsThrottledAcrossUsers() {
    LoginThrottle t = new LoginThrottle(100, 2, Duration.ofSeconds(10), 100, clock);
    t.failed("u1", "10.0.0.1");
    t.failed("u2", "10.0.0.1");
    assertThat(t.retryAfter("u3", "10.0.0.1")).isPresent();
    assertThat(t.retryAfter("u3", "10.0.0.2")).isEmpty();
  }

  @Test
  void successClearsTheUsersFailures() {
    LoginThrottle t = new LoginThrottle(2, 100, Duration.ofSeconds(10), 100, clock);
    t.failed("alice", "a");
    t.succeeded("alice");
    t.failed("alice", "a");
    assertThat(t.retryAfter("alice", "a")).isEmpty();
  }

  @Test
  void memoryIsBoundedByForgettingTheLeastRecentlySeen() {
    LoginThrottle t = new LoginThrottle(1, 1_000_000, Duration.ofSeconds(60), 3, clock);
    t.failed("first", "a");
    for (int i = 0; i < 3; i++) t.failed("other" + i, "a");
    // 'first' was forgotten: bounded memory beats a perfect count
    assertThat(t.retryAfter("first", "b")).isEmpty();
    assertThat(t.retryAfter("other2", "b")).isPresent();
  }
}
