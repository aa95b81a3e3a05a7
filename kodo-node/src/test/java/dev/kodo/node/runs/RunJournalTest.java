package dev.kodo.node.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.Json;
import dev.kodo.client.KodoException;
import dev.kodo.client.Page;
import dev.kodo.client.RunState;
import dev.kodo.client.Share;
import dev.kodo.engine.EventData;
import dev.kodo.node.NodeProperties;
import dev.kodo.store.EventStore;
import dev.kodo.store.EventStores;
import dev.kodo.store.NewRun;
import dev.kodo.store.NoSuchRunException;
import dev.kodo.store.RunQuery;
import dev.kodo.store.RunRecord;
import dev.kodo.store.StoreOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal between the ingest, the node's own appends and a real SQLite store: flooding never
 * blocks it, a slow read never holds it, and a write the store fails for good ends its run.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RunJournalTest {
  private static final Instant T0 = Instant.parse("2026-11-27T11:12:13.456Z");

  @TempDir Path dir;
  private EventStore real;
  private FaultyStore store;
  private RunJournal journal;

  /**
   * What the journal told its listener, in order: {@code started <flow>}, {@code finished <flow>}.
   */
  private final List<String> told = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void open() {
    real = EventStores.open(StoreOptions.sqlite(dir));
    store = new FaultyStore(real);
    Clock clock = Clock.systemUTC();
    RunListener listener =
        new RunListener() {
          @Override
          public void started(String flow) {
            told.add("started " + flow);
          }

          @Override
          public void finished(String flow) {
            told.add("finished " + flow);
          }
        };
    journal = new RunJournal(store, new LiveHub(new NodeProperties()), clock, listener);
  }

  @AfterEach
  void close() {
    journal.destroy();
    real.close();
  }

  private String launch() {
    String fid = UUID.randomUUID().toString();
    journal
        .create(
            new NewRun(fid, "flood.yaml", null, T0, "{}"),
            List.of(Event.of(fid, 0, T0, EventType.INPUTS, "{}")))
        .join();
    return fid;
  }

  private static Event emitted(String fid, long i) {
    return Event.of(fid, 0, T0, EventType.RESULT, "{\"format\":\"json\",\"body\":" + i + "}");
  }

  @Test
  void itTellsItsListenerOnceWhenARunStartsAndOnceWhenItEnds() {
    String fid = launch();
    assertThat(told).containsExactly("started flood.yaml");
    journal.append(fid, EventType.KILL, EventData.kill("ops")).join();
    journal.append(fid, EventType.ACKNOWLEDGE, "{}").join();
    journal.appendEmitted(List.of(emitted(fid, 1))).join(); // dropped: the run has ended
    assertThat(told).containsExactly("started flood.yaml", "finished flood.yaml");
  }

  @Test
  void anAppendToARunTheStoreDoesNotHoldIsTheStoresNoSuchRunNotAnHttpAnswer() {
    assertThatThrownBy(() -> journal.append("no-such-run", EventType.ACKNOWLEDGE, "{}"))
        .isInstanceOf(NoSuchRunException.class)
        .hasMessageContaining("no-such-run");
    assertThat(journal.openRuns()).isZero();
  }

  /**
   * Issue 8's deadlock: the ingest hands events to the journal faster than the store writes them.
   * The journal used to wait for the store while holding its lock, which the writer's completion
   * callbacks need; now the ingest waits for room before it takes the lock, and the node's own
   * appends to another run keep completing meanwhile.
   */
  @Test
  void aFloodOfEmittedEventsNeverBlocksTheJournalAndTheNodesOwnAppendsGoOn() throws Exception {
    String flood = launch();
    String other = launch();
    int batches = 150;
    int perBatch = 4_096;
    AtomicBoolean flooding = new AtomicBoolean(true);
    List<Long> ownAppendMillis = new ArrayList<>();
    Thread own =
        Thread.ofPlatform()
            .start(
                () -> {
                  while (flooding.get()) {
                    long t0 = System.nanoTime();
                    journal
                        .append(other, EventType.PROGRESS, "{\"value\":0.5}")
                        .orTimeout(30, TimeUnit.SECONDS)
                        .join();
                    ownAppendMillis.add((System.nanoTime() - t0) / 1_000_000);
                  }
                });
    List<CompletableFuture<Void>> written = new ArrayList<>();
    long n = 0;
    for (int b = 0; b < batches; b++) {
      List<Event> batch = new ArrayList<>(perBatch);
      for (int i = 0; i < perBatch; i++) {
        batch.add(emitted(flood, n++));
      }
      written.add(journal.appendEmitted(batch));
    }
    CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    flooding.set(false);
    own.join();

    assertThat(real.run(flood).orElseThrow().lastSeq()).isEqualTo(1L + batches * perBatch);
    assertThat(real.events(flood, 0, 10).getFirst().type()).isEqualTo("inputs");
    assertThat(ownAppendMillis).as("the node's own appends during the flood").isNotEmpty();
    assertThat(real.run(other).orElseThrow().lastSeq()).isEqualTo(1L + ownAppendMillis.size());
  }

  /**
   * Reading a run's position from the store (here: held up for as long as the test likes) happens
   * outside the journal's lock.
   */
  @Test
  void aSlowReadOfOneRunsPositionDoesNotHoldUpAppendsToOthers() throws Exception {
    String slow = launch();
    String other = launch();
    journal.append(slow, EventType.KILL, "{}").join(); // ended: the journal forgets its position
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    store.holdReadsOf(slow, reading, release);

    CompletableFuture<Event> ack =
        CompletableFuture.supplyAsync(
            () -> journal.append(slow, EventType.ACKNOWLEDGE, "{}").join(),
            r -> Thread.ofPlatform().start(r));
    assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();

    Event progress =
        journal.append(other, EventType.PROGRESS, "{\"value\":0.1}").get(10, TimeUnit.SECONDS);
    assertThat(progress.seq()).isEqualTo(2);
    journal.appendEmitted(List.of(emitted(other, 1))).get(10, TimeUnit.SECONDS);
    assertThat(ack).isNotDone();

    release.countDown();
    assertThat(ack.get(10, TimeUnit.SECONDS).seq()).isEqualTo(3);
    assertThat(real.run(other).orElseThrow().lastSeq()).isEqualTo(3);
  }

  /**
   * Issue 8: a write the store fails for good. The run whose events were lost ends with fatal
   * store-failed right after what the store holds (no silent gap, no run left pending); the other
   * run in the same ingest batch loses nothing.
   */
  @Test
  void aRunWhoseEventsTheStoreFailsForGoodEndsWithStoreFailedAndTheOtherRunsOfTheBatchLoseNothing()
      throws Exception {
    String doomed = launch();
    String fine = launch();
    journal.appendEmitted(List.of(emitted(doomed, 1), emitted(fine, 1))).get(10, TimeUnit.SECONDS);
    store.failNextAppendOf(doomed);

    List<Event> batch = new ArrayList<>();
    for (int i = 2; i <= 5; i++) {
      batch.add(emitted(doomed, i));
      batch.add(emitted(fine, i));
    }
    journal.appendEmitted(batch).exceptionally(e -> null).get(10, TimeUnit.SECONDS);
    journal.appendEmitted(List.of(emitted(doomed, 6), emitted(fine, 6))).get(10, TimeUnit.SECONDS);

    RunRecord ended = await(() -> real.run(doomed).filter(r -> r.state().finished()).orElse(null));
    assertThat(ended.state()).isEqualTo(RunState.ERROR);
    List<Event> events = real.events(doomed, 0, 100);
    assertThat(events)
        .extracting(Event::seq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 3).boxed().toList());
    assertThat(events.getLast().type()).isEqualTo("fatal");
    assertThat(Json.read(events.getLast().data()).path("reason").asString())
        .isEqualTo("store-failed");

    assertThat(real.events(fine, 0, 100))
        .extracting(Event::seq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 7).boxed().toList());
    assertThat(
            journal
                .appendWhileRunning(fine, EventType.PROGRESS, "{}")
                .get(10, TimeUnit.SECONDS)
                .seq())
        .isEqualTo(8);
  }

  private static <T> T await(Supplier<T> probe) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      T t = probe.get();
      if (t != null) {
        return t;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("timed out");
  }

  /**
   * A real store with faults switched on by the test: reads of a run held up, a run's next append
   * failed unwritten.
   */
  private static final class FaultyStore implements EventStore {
    private final EventStore delegate;
    private final Set<String> failNext = ConcurrentHashMap.newKeySet();
    private volatile String held;
    private volatile CountDownLatch reading;
    private volatile CountDownLatch release;

    FaultyStore(EventStore delegate) {
      this.delegate = delegate;
    }

    void holdReadsOf(String fid, CountDownLatch reading, CountDownLatch release) {
      this.reading = reading;
      this.release = release;
      this.held = fid;
    }

    void failNextAppendOf(String fid) {
      failNext.add(fid);
    }

    @Override
    public CompletableFuture<Void> create(NewRun run, List<Event> first) {
      return delegate.create(run, first);
    }

    @Override
    public CompletableFuture<Void> append(List<Event> events) {
      for (Event e : events) {
        if (failNext.remove(e.fid())) {
          return CompletableFuture.failedFuture(
              new KodoException(
                  "cannot append events to run " + e.fid() + ": disk I/O error (injected)"));
        }
      }
      return delegate.append(events);
    }

    @Override
    public boolean awaitRoom(long maxMillis) {
      return delegate.awaitRoom(maxMillis);
    }

    @Override
    public Optional<RunRecord> run(String fid) {
      if (fid.equals(held)) {
        reading.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return delegate.run(fid);
    }

    @Override
    public List<Event> events(String fid, long after, int limit) {
      return delegate.events(fid, after, limit);
    }

    @Override
    public Page<RunRecord> runs(RunQuery query) {
      return delegate.runs(query);
    }

    @Override
    public List<Share> shares(String fid) {
      return delegate.shares(fid);
    }

    @Override
    public List<RunRecord> unfinished() {
      return delegate.unfinished();
    }

    @Override
    public void writeAs(String writer) {
      delegate.writeAs(writer);
    }

    @Override
    public String writer(String fid) {
      return delegate.writer(fid);
    }

    @Override
    public List<RunRecord> claim(String from, boolean unrecorded) {
      return delegate.claim(from, unrecorded);
    }

    @Override
    public boolean delete(String fid) {
      return delegate.delete(fid);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
