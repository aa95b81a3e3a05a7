package dev.kodo.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.store.Durability;
import dev.kodo.store.EventStore;
import dev.kodo.store.NewRun;
import dev.kodo.store.StoreOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The event store on a real PostgreSQL that keeps dropping its connections: for 5 s every
 * connection of the store is terminated ({@code pg_terminate_backend}) as soon as it appears, then
 * the database is left alone. Runs in a database of its own (created and dropped here), so that
 * only this test's connections are ever terminated.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PostgresWriterFaultsIT {
  private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final String USER = "postgres";
  private static final String DB =
      "kodo_faults_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private static final Instant T0 = Instant.parse("2026-11-27T11:12:13.456Z");

  @BeforeAll
  static void createDatabase() throws SQLException {
    try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, null);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + DB);
    }
  }

  @AfterAll
  static void dropDatabase() throws SQLException {
    try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, null);
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
    }
  }

  private static StoreOptions options() {
    return new StoreOptions("jdbc:postgresql://127.0.0.1:5432/" + DB, USER, null, null);
  }

  /** Terminates every connection to this test's database; how many. */
  private static int terminateAll(Connection admin) throws SQLException {
    try (Statement s = admin.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '"
                    + DB
                    + "'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  void writesWhileEveryConnectionIsKilledFor5SecondsAreAllStoredInOrderWithoutGaps()
      throws Exception {
    try (EventStore store = JdbcEventStore.open(options());
        Connection admin = DriverManager.getConnection(ADMIN_URL, USER, null)) {
      String a = UUID.randomUUID().toString();
      String b = UUID.randomUUID().toString();
      store.create(new NewRun(a, "a.yaml", null, T0, "{}"), List.of()).join();
      store.create(new NewRun(b, "b.yaml", null, T0, "{}"), List.of()).join();

      AtomicInteger killed = new AtomicInteger();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      Thread killer =
          Thread.ofPlatform()
              .start(
                  () -> {
                    while (System.nanoTime() < until) {
                      try {
                        killed.addAndGet(terminateAll(admin));
                        Thread.sleep(20);
                      } catch (SQLException | InterruptedException e) {
                        return;
                      }
                    }
                  });
      List<Integer> completed = Collections.synchronizedList(new ArrayList<>());
      List<CompletableFuture<Void>> written = new ArrayList<>();
      int calls = 200;
      for (int i = 0; i < calls; i++) {
        int call = i;
        String fid = i % 2 == 0 ? a : b;
        List<Event> events = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
          long seq = 1L + (i / 2) * 10L + k;
          events.add(Event.of(fid, seq, T0, EventType.RESULT, "{\"body\":" + seq + "}"));
        }
        written.add(store.append(events).whenComplete((v, e) -> completed.add(call)));
        Thread.sleep(25);
      }
      killer.join();

      CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      assertThat(killed.get()).as("connections terminated").isGreaterThan(2);
      assertThat(completed).containsExactlyElementsOf(IntStream.range(0, calls).boxed().toList());
      for (String fid : List.of(a, b)) {
        assertThat(store.events(fid, 0, 10_000))
            .extracting(Event::seq)
            .containsExactlyElementsOf(LongStream.rangeClosed(1, calls * 5L).boxed().toList());
        assertThat(store.run(fid).orElseThrow().lastSeq()).isEqualTo(calls * 5L);
      }
    }
  }

  @Test
  void durabilityNormalTurnsSynchronousCommitOffOnTheWriterOnly() throws Exception {
    for (Durability d : Durability.values()) {
      Backend backend = Backend.of(options().withDurability(d), Backend.EVENTS);
      try (Connection c = backend.openWriter();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SHOW synchronous_commit")) {
        rs.next();
        assertThat(rs.getString(1))
            .as("synchronous_commit with %s", d)
            .isEqualTo(d == Durability.FSYNC ? "on" : "off");
      }
    }
  }
}
