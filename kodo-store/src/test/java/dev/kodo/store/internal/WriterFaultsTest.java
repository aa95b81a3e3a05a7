package dev.kodo.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.store.EventStore;
import dev.kodo.store.NewRun;
import dev.kodo.store.StoreOptions;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer under pressure and under faults: it never stops for good, never loses or reorders a
 * write.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WriterFaultsTest {
  private static final Instant T0 = Instant.parse("2026-11-27T11:12:13.456Z");

  @TempDir Path dir;
  private EventStore store;

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  private static Event event(String fid, long seq) {
    return Event.of(fid, seq, T0, EventType.RESULT, "{\"format\":\"json\",\"body\":" + seq + "}");
  }

  private static List<Event> events(String fid, long from, int count) {
    List<Event> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(event(fid, from + i));
    }
    return out;
  }

  private String newRun() {
    String fid = UUID.randomUUID().toString();
    store.create(new NewRun(fid, "flood.yaml", null, T0, "{}"), List.of()).join();
    return fid;
  }

  /**
   * The deadlock of issue 8: the caller appends while holding a lock that the completion callbacks
   * take on the writer's thread. Appending used to wait for room while 100,000 events were queued —
   * holding the lock, so the writer stopped in a callback and never made room.
   */
  @Test
  void appendingUnderALockThatCallbacksTakeNeverStopsTheWriter() throws Exception {
    store = JdbcEventStore.open(StoreOptions.sqlite(dir));
    String fid = newRun();
    ReentrantLock lock = new ReentrantLock();
    List<CompletableFuture<Void>> written = new ArrayList<>();
    int calls = 300;
    int perCall = 1_000;
    for (int i = 0; i < calls; i++) {
      lock.lock();
      try {
        written.add(
            store
                .append(events(fid, 1L + (long) i * perCall, perCall))
                .whenComplete(
                    (v, e) -> {
                      lock.lock();
                      lock.unlock();
                    }));
      } finally {
        lock.unlock();
      }
    }

    CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    assertThat(store.run(fid).orElseThrow().lastSeq()).isEqualTo((long) calls * perCall);
  }

  @Test
  void awaitRoomHoldsAProducerBackWhileTheWriterIsBehindAndLetsItGoOnceItCatchesUp()
      throws Exception {
    FlakyBackend backend = FlakyBackend.sqlite(StoreOptions.sqlite(dir));
    store = JdbcEventStore.open(backend);
    String fid = newRun();
    backend.failWith(
        () -> new SQLTransientConnectionException("connection lost (injected)", "08006"));
    // The writer takes the first call and retries it; the others stay queued, a full backlog.
    int perCall = WriteQueue.MAX_BATCH_EVENTS;
    int calls = 1 + WriteQueue.ROOM_EVENTS / perCall;
    List<CompletableFuture<Void>> written = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      written.add(store.append(events(fid, 1L + (long) i * perCall, perCall)));
    }

    assertThat(store.awaitRoom(300))
        .as("room while the writer is stuck behind a full backlog")
        .isFalse();

    backend.recover();
    assertThat(store.awaitRoom(30_000)).isTrue();
    CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    assertThat(store.run(fid).orElseThrow().lastSeq()).isEqualTo((long) calls * perCall);
  }

  /**
   * Issue 8: a store that fails writes for 5 s then recovers — no failed call, no gap, nothing
   * reordered.
   */
  @Test
  void writesThatFailFor5SecondsAreRetriedInOrderUntilTheStoreRecovers() throws Exception {
    FlakyBackend backend = FlakyBackend.sqlite(StoreOptions.sqlite(dir));
    store = JdbcEventStore.open(backend);
    String a = newRun();
    String b = newRun();
    List<Integer> completed = Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<Void>> written = new ArrayList<>();

    backend.failWith(
        () -> new SQLTransientConnectionException("connection lost (injected)", "08006"));
    long failUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    Thread recover =
        Thread.ofPlatform()
            .start(
                () -> {
                  while (System.nanoTime() < failUntil) {
                    try {
                      Thread.sleep(10);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                  backend.recover();
                });
    int calls = 200;
    for (int i = 0; i < calls; i++) {
      int call = i;
      String fid = i % 2 == 0 ? a : b;
      written.add(
          store
              .append(events(fid, 1L + (i / 2) * 10L, 10))
              .whenComplete((v, e) -> completed.add(call)));
      Thread.sleep(20);
    }
    recover.join();

    CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    assertThat(backend.failures()).as("writes failed on purpose").isGreaterThan(1);
    assertThat(completed)
        .as("completion order")
        .containsExactlyElementsOf(IntStream.range(0, calls).boxed().toList());
    for (String fid : List.of(a, b)) {
      List<Event> stored = store.events(fid, 0, 10_000);
      assertThat(stored)
          .extracting(Event::seq)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, calls * 5L).boxed().toList());
    }
  }

  @Test
  void aFailureThatWaitingCannotCureFailsTheCallNamingItAndTheStoreGoesOn() throws Exception {
    FlakyBackend backend = FlakyBackend.sqlite(StoreOptions.sqlite(dir));
    store = JdbcEventStore.open(backend);
    String fid = newRun();
    backend.failWith(() -> new SQLException("disk I/O error (injected)", null, 10));

    CompletableFuture<Void> lost = store.append(events(fid, 1, 3));
    assertThat(lost)
        .failsWithin(30, TimeUnit.SECONDS)
        .withThrowableThat()
        .withMessageContaining("run " + fid + " seq 1..3")
        .withMessageContaining("disk I/O error");

    backend.recover();
    store.append(events(fid, 1, 3)).get(30, TimeUnit.SECONDS);
    assertThat(store.run(fid).orElseThrow().lastSeq()).isEqualTo(3);
  }
}
