package dev.kodo.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.client.KodoException;
import dev.kodo.store.StoreOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads are bounded in time: a read that runs too long is cancelled, a caller never waits for ever
 * for a connection.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReadLimitsTest {
  /** Counts for ever: a read that never ends by itself. */
  private static final String ENDLESS =
      "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c";

  @TempDir Path dir;
  private ConnectionPool pool;

  @AfterEach
  void close() {
    if (pool != null) {
      pool.close();
    }
  }

  private ConnectionPool open(Duration timeout, Duration wait) throws Exception {
    Backend backend = Backend.of(StoreOptions.sqlite(dir).withReads(timeout, wait), Backend.EVENTS);
    backend.prepare();
    pool = ConnectionPool.open(backend);
    return pool;
  }

  private static long one(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void aReadPastTheTimeoutIsCancelledAndSaysTheStoreIsBusyAndItsConnectionServesTheNextRead()
      throws Exception {
    open(Duration.ofMillis(300), Duration.ofSeconds(2));

    assertThatThrownBy(
            () ->
                pool.read(
                    "count for ever",
                    c -> {
                      try (Statement s = c.createStatement();
                          ResultSet rs = s.executeQuery(ENDLESS)) {
                        return rs.next();
                      }
                    }))
        .isInstanceOfSatisfying(KodoException.class, e -> assertThat(e.retryable()).isTrue())
        .hasMessageContaining("cannot count for ever")
        .hasMessageContaining("is busy")
        .hasMessageContaining("kodo.store.read-timeout");

    for (int i = 0; i < 8; i++) {
      assertThat(pool.read("select one", ReadLimitsTest::one)).isEqualTo(1);
    }
  }

  @Test
  void whenEveryConnectionIsTakenACallerGivesUpAfterTheReadWaitSayingTheStoreIsBusy()
      throws Exception {
    open(Duration.ofSeconds(30), Duration.ofMillis(300));
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch taken = new CountDownLatch(4);
    List<CompletableFuture<Long>> holders = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      holders.add(
          CompletableFuture.supplyAsync(
              () ->
                  pool.read(
                      "hold a connection",
                      c -> {
                        taken.countDown();
                        try {
                          release.await();
                        } catch (InterruptedException e) {
                          throw new IllegalStateException(e);
                        }
                        return one(c);
                      }),
              r -> Thread.ofVirtual().start(r)));
    }
    assertThat(taken.await(10, TimeUnit.SECONDS)).isTrue();

    assertThatThrownBy(() -> pool.read("list runs", ReadLimitsTest::one))
        .isInstanceOfSatisfying(KodoException.class, e -> assertThat(e.retryable()).isTrue())
        .hasMessageContaining("cannot list runs")
        .hasMessageContaining("all 4 read connections")
        .hasMessageContaining("kodo.store.read-wait");

    release.countDown();
    for (CompletableFuture<Long> h : holders) {
      assertThat(h.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    }
    assertThat(pool.read("select one", ReadLimitsTest::one)).isEqualTo(1);
  }
}
