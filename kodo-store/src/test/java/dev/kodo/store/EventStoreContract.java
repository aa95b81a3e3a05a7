package dev.kodo.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.KodoException;
import dev.kodo.client.Page;
import dev.kodo.client.RunState;
import dev.kodo.client.RunUsage;
import dev.kodo.client.Share;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link EventStore} must have, written once and run against each
 * implementation: extend it and say how to open the store under test.
 *
 * <p>The tests do not assume an empty store: each one makes its own fids and flow names, so a
 * subclass may keep one database for all of them.
 */
public abstract class EventStoreContract {
  private static final Instant T0 = Instant.parse("2026-11-27T11:12:13.456Z");
  private static final AtomicInteger COUNTER = new AtomicInteger();

  /** The store under test, opened before each test and closed after it. */
  protected EventStore store;

  private final String tag = UUID.randomUUID().toString().substring(0, 8);

  /**
   * Opens the store under test. The tests that reopen call it again after closing the store and
   * expect the same data, unless {@link #durable()} says otherwise.
   */
  protected abstract EventStore openStore();

  /**
   * Whether {@link #openStore()} opens the same data again, also while another store is open on it
   * (true for databases). Tests of durability need it.
   */
  protected boolean durable() {
    return true;
  }

  @BeforeEach
  void openTheStore() {
    store = openStore();
  }

  @AfterEach
  void closeTheStore() {
    store.close();
  }

  // ---------------------------------------------------------------- create, append, read

  @Test
  void aCreatedRunReadsBackWithItsFirstEvents() {
    String fid = newFid();
    NewRun run = new NewRun(fid, "hello.yaml", "alice", T0, "{\"topic\":\"tea\"}");
    List<Event> first =
        List.of(
            event(fid, 1, EventType.INPUTS, "{\"topic\":\"tea\"}"),
            event(fid, 2, EventType.VERSION, "{\"release\":\"1.0.0\"}"));

    store.create(run, first).join();

    RunRecord r = run(fid);
    assertThat(r.fid()).isEqualTo(fid);
    assertThat(r.flow()).isEqualTo("hello.yaml");
    assertThat(r.owner()).isEqualTo("alice");
    assertThat(r.inputs()).isEqualTo("{\"topic\":\"tea\"}");
    assertThat(r.created()).isEqualTo(T0);
    assertThat(r.state()).isEqualTo(RunState.PENDING);
    assertThat(r.progress()).isZero();
    assertThat(r.finished()).isNull();
    assertThat(r.acknowledged()).isFalse();
    assertThat(r.lastSeq()).isEqualTo(2);
    assertThat(store.events(fid, 0, 100)).isEqualTo(first);
  }

  @Test
  void anUnknownRunHasNoSummaryAndNoEvents() {
    assertThat(store.run("no-such-run-" + tag)).isEmpty();
    assertThat(store.events("no-such-run-" + tag, 0, 10)).isEmpty();
  }

  @Test
  void seqStartsAtOneAndHasNoGaps() {
    String fid = created();
    store.append(List.of(stdout(fid, 2), stdout(fid, 3))).join();
    store.append(List.of(stdout(fid, 4))).join();

    assertThatThrownBy(() -> store.append(List.of(stdout(fid, 6))).join())
        .hasCauseInstanceOf(KodoException.class)
        .hasMessageContainingAll(fid, "seq 6");

    assertThat(seqs(fid)).containsExactly(1L, 2L, 3L, 4L);
    assertThat(run(fid).lastSeq()).isEqualTo(4);
  }

  @Test
  void oneAppendMayCarryEventsOfSeveralRuns() {
    String a = created();
    String b = created();

    store.append(List.of(stdout(a, 2), stdout(b, 2), stdout(a, 3))).join();

    assertThat(seqs(a)).containsExactly(1L, 2L, 3L);
    assertThat(seqs(b)).containsExactly(1L, 2L);
  }

  @Test
  void eventsArePagedWithAfterAndLimit() {
    String fid = created();
    store.append(LongStream.rangeClosed(2, 25).mapToObj(s -> stdout(fid, s)).toList()).join();

    assertThat(store.events(fid, 0, 10))
        .extracting(Event::seq)
        .containsExactlyElementsOf(range(1, 10));
    assertThat(store.events(fid, 10, 10))
        .extracting(Event::seq)
        .containsExactlyElementsOf(range(11, 20));
    assertThat(store.events(fid, 20, 10))
        .extracting(Event::seq)
        .containsExactlyElementsOf(range(21, 25));
    assertThat(store.events(fid, 25, 10)).isEmpty();
    assertThat(store.events(fid, 5, 0)).isEmpty();
  }

  @Test
  void futuresCompleteInCallOrderAndEveryRunKeepsItsSeq() throws Exception {
    int threads = 4;
    int runsPerThread = 5;
    int appendsPerRun = 100;
    List<String> fids = new ArrayList<>();
    for (int i = 0; i < threads * runsPerThread; i++) {
      fids.add(created());
    }
    Object callOrder = new Object();
    AtomicInteger calls = new AtomicInteger();
    List<Integer> completed = Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<Void>> futures = Collections.synchronizedList(new ArrayList<>());

    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> producers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        List<String> mine = fids.subList(t * runsPerThread, (t + 1) * runsPerThread);
        producers.add(
            pool.submit(
                () -> {
                  for (int n = 0; n < appendsPerRun; n++) {
                    for (String fid : mine) {
                      long seq = n + 2;
                      synchronized (callOrder) {
                        int call = calls.getAndIncrement();
                        CompletableFuture<Void> f = store.append(List.of(stdout(fid, seq)));
                        futures.add(f.whenComplete((v, e) -> completed.add(call)));
                      }
                    }
                  }
                }));
      }
      for (Future<?> p : producers) {
        p.get();
      }
    }
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();

    assertThat(completed).hasSize(threads * runsPerThread * appendsPerRun);
    assertThat(completed).isSorted();
    for (String fid : fids) {
      assertThat(seqs(fid)).containsExactlyElementsOf(range(1, appendsPerRun + 1));
      assertThat(run(fid).lastSeq()).isEqualTo(appendsPerRun + 1);
    }
  }

  @Test
  void aDuplicateSeqFailsOnlyThatCall() {
    String a = created();
    String b = created();

    CompletableFuture<Void> first =
        store.append(List.of(event(a, 2, EventType.STDOUT, "{\"text\":\"first\"}")));
    CompletableFuture<Void> duplicate =
        store.append(List.of(event(a, 2, EventType.STDOUT, "{\"text\":\"again\"}")));
    CompletableFuture<Void> other = store.append(List.of(stdout(b, 2)));
    CompletableFuture<Void> next = store.append(List.of(stdout(a, 3)));

    assertThatThrownBy(duplicate::join)
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(KodoException.class)
        .hasMessageContainingAll(a, "seq 2");
    first.join();
    other.join();
    next.join();
    assertThat(store.events(a, 1, 1).getFirst().data()).isEqualTo("{\"text\":\"first\"}");
    assertThat(seqs(a)).containsExactly(1L, 2L, 3L);
    assertThat(seqs(b)).containsExactly(1L, 2L);
  }

  @Test
  void appendingToAnUnknownRunFailsTheWholeCall() {
    String known = created();
    String unknown = "no-such-run-" + tag;

    assertThatThrownBy(() -> store.append(List.of(stdout(unknown, 1))).join())
        .hasCauseInstanceOf(KodoException.class)
        .hasMessageContainingAll(unknown, "no such run");
    assertThatThrownBy(() -> store.append(List.of(stdout(known, 2), stdout(unknown, 1))).join())
        .hasCauseInstanceOf(KodoException.class)
        .hasMessageContaining(unknown);

    assertThat(seqs(known)).containsExactly(1L);
    assertThat(store.run(unknown)).isEmpty();
  }

  @Test
  void creatingAnExistingRunFails() {
    String fid = created();

    assertThatThrownBy(() -> store.create(newRun(fid, "other.yaml", T0), List.of()).join())
        .hasCauseInstanceOf(KodoException.class)
        .hasMessageContainingAll(fid, "already exists");
    assertThat(run(fid).flow()).isEqualTo("flow.yaml");
  }

  // ---------------------------------------------------------------- derived state

  @Test
  void aPendingRunReportsItsProgress() {
    String fid = created();
    append(event(fid, 2, EventType.PROGRESS, "{\"value\":0.25,\"message\":\"reading\"}"));
    assertThat(run(fid).progress()).isEqualTo(0.25);
    assertThat(run(fid).progressMessage()).isEqualTo("reading");

    append(event(fid, 3, EventType.PROGRESS, "{\"value\":0.5,\"message\":\"writing\"}"));

    RunRecord r = run(fid);
    assertThat(r.state()).isEqualTo(RunState.PENDING);
    assertThat(r.progress()).isEqualTo(0.5);
    assertThat(r.progressMessage()).isEqualTo("writing");
  }

  @Test
  void aLockMakesTheRunLockedUntilItsUnlock() {
    String fid = created();
    String lock =
        "{\"lid\":\"l1\",\"demand\":{\"type\":\"object\"},\"expires\":\"2026-11-27T12:00:00Z\"}";

    append(
        event(fid, 2, EventType.LOCK, lock),
        event(fid, 3, EventType.CANDIDATE, "{\"lid\":\"l1\",\"cid\":\"c1\"}"));
    RunRecord locked = run(fid);
    assertThat(locked.state()).isEqualTo(RunState.LOCKED);
    assertThat(locked.lockId()).isEqualTo("l1");
    assertThat(locked.lock()).isEqualTo(lock);

    append(event(fid, 4, EventType.UNLOCK, "{\"lid\":\"l1\",\"cid\":\"c1\"}"));
    RunRecord unlocked = run(fid);
    assertThat(unlocked.state()).isEqualTo(RunState.PENDING);
    assertThat(unlocked.lockId()).isNull();
    assertThat(unlocked.lock()).isNull();
  }

  @Test
  void onlyTheOpenLocksUnlockOrTimeoutReleasesIt() {
    String fid = created();
    append(
        event(fid, 2, EventType.LOCK, "{\"lid\":\"l2\"}"),
        event(fid, 3, EventType.UNLOCK, "{\"lid\":\"l9\"}"));
    assertThat(run(fid).state()).isEqualTo(RunState.LOCKED);

    append(event(fid, 4, EventType.LOCK_TIMEOUT, "{\"lid\":\"l2\"}"));

    assertThat(run(fid).state()).isEqualTo(RunState.PENDING);
    assertThat(run(fid).lockId()).isNull();
  }

  @Test
  void finalMakesTheRunDone() {
    String fid = created();
    append(event(fid, 2, EventType.PROGRESS, "{\"value\":0.5}"));
    Event last = event(fid, 3, EventType.FINAL, "{\"result\":\"tea is ready\",\"runtime\":1.5}");
    append(last);

    RunRecord r = run(fid);
    assertThat(r.state()).isEqualTo(RunState.DONE);
    assertThat(r.result()).isEqualTo(last.data());
    assertThat(r.finished()).isEqualTo(last.ts());
    assertThat(r.progress()).isEqualTo(1.0);
    assertThat(r.error()).isNull();
  }

  @Test
  void fatalMakesTheRunAnErrorAndClosesItsLock() {
    String fid = created();
    append(event(fid, 2, EventType.LOCK, "{\"lid\":\"l1\"}"));
    Event fatal = event(fid, 3, EventType.FATAL, "{\"reason\":\"worker-lost\"}");
    append(fatal);

    RunRecord r = run(fid);
    assertThat(r.state()).isEqualTo(RunState.ERROR);
    assertThat(r.error()).isEqualTo(fatal.data());
    assertThat(r.finished()).isEqualTo(fatal.ts());
    assertThat(r.lockId()).isNull();
  }

  @Test
  void killMakesTheRunKilledButALaterFatalMakesItAnError() {
    String fid = created();
    Event kill = event(fid, 2, EventType.KILL, "{\"by\":\"admin\"}");
    append(kill);
    assertThat(run(fid).state()).isEqualTo(RunState.KILLED);
    assertThat(run(fid).finished()).isEqualTo(kill.ts());

    append(event(fid, 3, EventType.FATAL, "{\"reason\":\"cancelled\"}"));

    assertThat(run(fid).state()).isEqualTo(RunState.ERROR);
    assertThat(run(fid).finished()).isEqualTo(kill.ts());
  }

  @Test
  void acknowledgeIsRecordedOnAFinishedRun() {
    String fid = created();
    append(event(fid, 2, EventType.FINAL, "{\"result\":1}"));
    assertThat(run(fid).acknowledged()).isFalse();

    append(event(fid, 3, EventType.ACKNOWLEDGE, "{\"by\":\"alice\"}"));

    assertThat(run(fid).acknowledged()).isTrue();
    assertThat(run(fid).state()).isEqualTo(RunState.DONE);
  }

  @Test
  void theSummaryIsTheFoldOfTheWholeLog() {
    String fid = newFid();
    NewRun newRun = newRun(fid, "fold.yaml", T0);
    store.create(newRun, List.of(event(fid, 1, EventType.INPUTS, "{}"))).join();
    append(
        event(fid, 2, EventType.PROGRESS, "{\"value\":0.1,\"message\":\"start\"}"),
        new Event(fid, 3, T0, "process", "x-not-in-the-catalogue", "{\"a\":1}"));
    append(
        event(fid, 4, EventType.LOCK, "{\"lid\":\"l1\"}"),
        event(fid, 5, EventType.UNLOCK, "{\"lid\":\"l1\"}"));
    append(event(fid, 6, EventType.LOCK, "{\"lid\":\"l2\"}"));
    append(
        event(fid, 7, EventType.PROGRESS, "{\"value\":0.7}"),
        event(fid, 8, EventType.RESULT, "{\"r\":1}"));

    RunRecord folded = RunRecord.start(newRun);
    for (Event e : store.events(fid, 0, 1000)) {
      folded = RunFold.apply(folded, e);
    }
    assertThat(run(fid)).isEqualTo(folded);
  }

  // ---------------------------------------------------------------- model usage

  private static Event llm(String fid, long seq, long in, long out, String cost) {
    return event(
        fid,
        seq,
        EventType.ACTION,
        "{\"name\":\"llm\",\"provider\":\"openai\",\"model\":\"gpt-4o-mini\","
            + "\"input_tokens\":"
            + in
            + ",\"output_tokens\":"
            + out
            + ",\"latency_ms\":12,\"finish_reason\":\"stop\""
            + (cost == null ? "" : ",\"cost\":" + cost)
            + "}");
  }

  @Test
  void aRunWithoutModelCallsHasNoUsage() {
    String fid = created();
    append(event(fid, 2, EventType.ACTION, "{\"name\":\"search\",\"data\":{}}"));

    assertThat(run(fid).usage()).isEqualTo(RunUsage.NONE);
  }

  @Test
  void modelCallsAreSummedAndSurviveReopening() {
    String fid = created(newFid(), "usage.yaml", null, T0);
    append(llm(fid, 2, 100, 20, null), stdout(fid, 3));
    append(
        llm(fid, 4, 7, 3, "0.25"),
        event(fid, 5, EventType.ACTION, "{\"name\":\"llm\",\"data\":\"a flow's own\"}"),
        event(fid, 6, EventType.ACTION, "not json at all"),
        llm(fid, 7, 1, 1, "0.5"));

    RunUsage expected = new RunUsage(3, 108, 24, 0.75);
    assertThat(run(fid).usage()).isEqualTo(expected);
    assertThat(run(fid).state()).isEqualTo(RunState.PENDING);
    assertThat(run(fid).lastSeq()).isEqualTo(7);
    assertThat(store.runs(query(Set.of(), "usage.yaml", null, fid)).items())
        .singleElement()
        .extracting(RunRecord::usage)
        .isEqualTo(expected);

    assumeThat(durable()).as("the store keeps its data across reopening").isTrue();
    store.close();
    store = openStore();

    assertThat(run(fid).usage()).isEqualTo(expected);
    append(llm(fid, 8, 10, 10, null), event(fid, 9, EventType.FINAL, "{\"answer\":1}"));
    assertThat(run(fid).usage()).isEqualTo(new RunUsage(4, 118, 34, 0.75));
    assertThat(run(fid).state()).isEqualTo(RunState.DONE);
  }

  @Test
  void usageIsTheFoldOfTheLogAfterReopening() {
    String fid = newFid();
    NewRun newRun = newRun(fid, "usage.yaml", T0);
    store
        .create(newRun, List.of(event(fid, 1, EventType.INPUTS, "{}"), llm(fid, 2, 5, 6, null)))
        .join();
    append(llm(fid, 3, Long.MAX_VALUE, 1, "1e308"), llm(fid, 4, 1, 1, "1e308"));

    RunRecord folded = RunRecord.start(newRun);
    for (Event e : store.events(fid, 0, 1000)) {
      folded = RunFold.apply(folded, e);
    }
    assertThat(run(fid)).isEqualTo(folded);
    assertThat(folded.usage().inputTokens()).isEqualTo(Long.MAX_VALUE);
  }

  // ---------------------------------------------------------------- listing

  @Test
  void unfinishedListsPendingAndLockedRunsOldestFirst() {
    String newest = created(newFid(), "a.yaml", null, T0.plusSeconds(3));
    String oldest = created(newFid(), "a.yaml", null, T0.plusSeconds(1));
    String done = created(newFid(), "a.yaml", null, T0.plusSeconds(2));
    append(event(oldest, 2, EventType.LOCK, "{\"lid\":\"l1\"}"));
    append(event(done, 2, EventType.FINAL, "{}"));

    List<String> mine =
        store.unfinished().stream()
            .map(RunRecord::fid)
            .filter(Set.of(newest, oldest, done)::contains)
            .toList();

    assertThat(mine).containsExactly(oldest, newest);
  }

  // ---------------------------------------------------------------- writers

  @Test
  void aRunRecordsItsWriterAndAClaimTakesTheUnfinishedRunsOfAWriterOnce() {
    String alpha = "alpha-" + tag + "~1";
    String beta = "beta-" + tag + "~1";
    store.writeAs(alpha);
    String open = created(newFid(), "a.yaml", null, T0.plusSeconds(1));
    String locked = created(newFid(), "a.yaml", null, T0.plusSeconds(2));
    String done = created(newFid(), "a.yaml", null, T0.plusSeconds(3));
    append(event(locked, 2, EventType.LOCK, "{\"lid\":\"l1\"}"));
    append(event(done, 2, EventType.FINAL, "{}"));
    assertThat(store.writer(open)).isEqualTo(alpha);

    store.writeAs(beta);
    String betas = created(newFid(), "a.yaml", null, T0.plusSeconds(4));

    assertThat(store.claim(alpha, false)).extracting(RunRecord::fid).containsExactly(open, locked);
    assertThat(store.writer(open)).isEqualTo(beta);
    assertThat(store.writer(locked)).isEqualTo(beta);
    assertThat(store.writer(done)).as("a finished run keeps its writer").isEqualTo(alpha);
    assertThat(store.claim(alpha, false)).as("claimed once").isEmpty();

    // beta restarts as another incarnation of the same name and takes back what its name wrote
    store.writeAs("beta-" + tag + "~2");
    assertThat(store.claim("beta-" + tag + "~*", false))
        .extracting(RunRecord::fid)
        .containsExactly(open, locked, betas);
    assertThat(store.writer(betas)).isEqualTo("beta-" + tag + "~2");
    // appending goes on as before
    append(event(open, 2, EventType.FINAL, "{}"));
    assertThat(run(open).state()).isEqualTo(RunState.DONE);
  }

  @Test
  void aRunWithNoRecordedWriterIsClaimedOnlyWhenAsked() {
    String legacy = created();
    assertThat(store.writer(legacy)).isNull();
    store.writeAs("gamma-" + tag + "~1");
    assertThat(store.claim("nobody-" + tag, false))
        .extracting(RunRecord::fid)
        .doesNotContain(legacy);
    assertThat(store.claim("nobody-" + tag, true)).extracting(RunRecord::fid).contains(legacy);
    assertThat(store.writer(legacy)).isEqualTo("gamma-" + tag + "~1");
    assertThatThrownBy(() -> store.writer(newFid())).isInstanceOf(NoSuchRunException.class);
  }

  @Test
  void runsAreFilteredByStateFlowAndOwner() {
    long before = store.runs(RunQuery.all()).total();
    String flowA = "filter-" + tag + "/a.yaml";
    String flowB = "filter-" + tag + "/b.yaml";
    String a1 = created(newFid(), flowA, "alice", T0);
    created(newFid(), flowA, "alice", T0);
    String a3 = created(newFid(), flowA, "bob", T0);
    created(newFid(), flowB, "bob", T0);
    created(newFid(), flowB, "bob", T0);
    append(event(a1, 2, EventType.FINAL, "{}"));
    append(event(a3, 2, EventType.LOCK, "{\"lid\":\"l1\"}"));

    Page<RunRecord> all = store.runs(RunQuery.all());
    assertThat(all.total()).isEqualTo(before + 5);
    assertThat(all.filtered()).isEqualTo(all.total());

    assertThat(store.runs(query(Set.of(), flowA, null, null)).filtered()).isEqualTo(3);
    Page<RunRecord> done = store.runs(query(Set.of(RunState.DONE), flowA, null, null));
    assertThat(done.items()).extracting(RunRecord::fid).containsExactly(a1);
    assertThat(done.total()).isEqualTo(before + 5);
    assertThat(
            store
                .runs(query(Set.of(RunState.PENDING, RunState.LOCKED), flowA, null, null))
                .filtered())
        .isEqualTo(2);
    assertThat(store.runs(query(Set.of(), flowB, "bob", null)).filtered()).isEqualTo(2);
    assertThat(store.runs(query(Set.of(), flowA, "bob", null)).items())
        .extracting(RunRecord::fid)
        .containsExactly(a3);
  }

  @Test
  void visibilityKeepsOwnSharedAndReadableFlowsRunsAndCountsOnlyThose() {
    String mine = "vis-" + tag + "/mine.yaml";
    String readable = "vis-" + tag + "/readable.yaml";
    String own = created(newFid(), mine, "user:ann-" + tag, T0);
    String sharedToGroup = created(newFid(), mine, "user:bob-" + tag, T0);
    String revoked = created(newFid(), mine, "user:bob-" + tag, T0);
    String ofReadableFlow = created(newFid(), readable, "user:bob-" + tag, T0);
    created(newFid(), mine, "user:bob-" + tag, T0); // not visible to ann
    append(share(sharedToGroup, 2, "basic", "r", "group:team-" + tag));
    append(share(revoked, 2, "full", "r", "user:ann-" + tag));
    append(share(revoked, 3, "none", "r", "user:ann-" + tag));
    RunVisibility ann =
        new RunVisibility(Set.of("user:ann-" + tag, "group:team-" + tag), Set.of(readable));

    Page<RunRecord> page = store.runs(RunQuery.all().visibleTo(ann));
    assertThat(page.total()).isEqualTo(3);
    assertThat(page.filtered()).isEqualTo(3);
    assertThat(fids(page)).containsExactlyInAnyOrder(own, sharedToGroup, ofReadableFlow);

    Page<RunRecord> ofMine = store.runs(query(Set.of(), mine, null, null).visibleTo(ann));
    assertThat(ofMine.total()).isEqualTo(3);
    assertThat(ofMine.filtered()).isEqualTo(2);
    assertThat(fids(store.runs(sorted(null, List.of(), 1, 2).visibleTo(ann)))).hasSize(1);

    assertThat(store.runs(RunQuery.all().visibleTo(new RunVisibility(Set.of(), Set.of()))).total())
        .isZero();
  }

  @Test
  void searchIsACaseInsensitiveGlobOverFidFlowAndOwner() {
    String alpha = created(newFid(), "Search-" + tag + "/Alpha.yaml", null, T0);
    String beta = created(newFid(), "search-" + tag + "/beta.yaml", "Carol-" + tag, T0);
    String gamma = created("Gamma-" + tag, "other.yaml", null, T0);

    assertThat(search("alpha.YAML")).containsExactly(alpha);
    assertThat(search("search-" + tag + "/*.yaml")).containsExactlyInAnyOrder(alpha, beta);
    assertThat(search("SEARCH-" + tag + "/?eta.yaml")).containsExactly(beta);
    assertThat(search("search-" + tag + "/?.yaml")).isEmpty();
    assertThat(search("carol-" + tag)).containsExactly(beta);
    assertThat(search("gamma-" + tag)).containsExactly(gamma);
    assertThat(search("*" + tag + "*")).containsExactlyInAnyOrder(alpha, beta, gamma);
  }

  @Test
  void searchTreatsSqlCharactersLiterally() {
    String special = created(newFid(), "lit-" + tag + "/100%_done's \"x\" \\ y.yaml", null, T0);
    String plain = created(newFid(), "lit-" + tag + "/100xxdone.yaml", null, T0);
    String runs = created(newFid(), "lit-" + tag + "/runs.yaml", null, T0);

    assertThat(search("lit-" + tag)).containsExactlyInAnyOrder(special, plain, runs);
    assertThat(search("lit-" + tag + "/100%_done's \"x\"")).containsExactly(special);
    assertThat(search("lit-" + tag + "/100%*")).containsExactly(special);
    assertThat(search("lit-" + tag + "/100_*")).isEmpty();
    assertThat(search("\\ y")).containsExactly(special);
    assertThat(search("lit-" + tag + "/*'*")).containsExactly(special);
    assertThat(search("' OR '1'='1")).isEmpty();
    assertThat(search("lit-" + tag + "%' OR 1=1; DROP TABLE runs; --")).isEmpty();
    assertThat(search("lit-" + tag + "/runs")).containsExactly(runs);
  }

  @Test
  void runsAreSortedAndPaged() {
    String prefix = "sort-" + tag + "/";
    List<String> byAge = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      byAge.add(created(newFid(), prefix + (i % 2 == 0 ? "even" : "odd"), null, T0.plusSeconds(i)));
    }
    append(Event.of(byAge.get(1), 2, T0.plusSeconds(50), EventType.FINAL, "{}"));
    append(Event.of(byAge.get(4), 2, T0.plusSeconds(40), EventType.FATAL, "{}"));

    Page<RunRecord> first = store.runs(sorted(prefix, List.of(), 0, 3));
    assertThat(first.filtered()).isEqualTo(7);
    assertThat(first.p()).isZero();
    assertThat(first.pp()).isEqualTo(3);
    assertThat(fids(first)).containsExactly(byAge.get(6), byAge.get(5), byAge.get(4));
    assertThat(fids(store.runs(sorted(prefix, List.of(), 1, 3))))
        .containsExactly(byAge.get(3), byAge.get(2), byAge.get(1));
    assertThat(fids(store.runs(sorted(prefix, List.of(), 2, 3)))).containsExactly(byAge.get(0));
    assertThat(fids(store.runs(sorted(prefix, List.of(), 3, 3)))).isEmpty();

    assertThat(
            fids(
                store.runs(
                    sorted(prefix, List.of(sort(RunQuery.SortField.CREATED, false)), 0, 10))))
        .containsExactlyElementsOf(byAge);
    assertThat(
            fids(
                store.runs(
                    sorted(
                        prefix,
                        List.of(
                            sort(RunQuery.SortField.FLOW, false),
                            sort(RunQuery.SortField.CREATED, true)),
                        0,
                        10))))
        .containsExactly(
            byAge.get(6),
            byAge.get(4),
            byAge.get(2),
            byAge.get(0),
            byAge.get(5),
            byAge.get(3),
            byAge.get(1));
    assertThat(
            fids(
                store.runs(sorted(prefix, List.of(sort(RunQuery.SortField.FINISHED, true)), 0, 2))))
        .containsExactly(byAge.get(1), byAge.get(4));
    assertThat(
            fids(store.runs(sorted(prefix, List.of(sort(RunQuery.SortField.STATE, false)), 0, 2))))
        .containsExactly(byAge.get(1), byAge.get(4));
  }

  @Test
  void moreQueryShapesThanAConnectionKeepsStatementsForAnswerTheSameEachTime() {
    // Readers keep each connection's prepared statements (at most 32, least recently used
    // dropped): 80 shapes of query (two sort keys each), asked twice, must answer alike and as
    // the data says.
    String prefix = "shapes-" + tag + "/";
    List<String> byAge = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      byAge.add(created(newFid(), prefix + "f" + (i % 2), null, T0.plusSeconds(i)));
    }
    List<List<String>> first = new ArrayList<>();
    for (int pass = 0; pass < 2; pass++) {
      int shape = 0;
      for (RunQuery.SortField one : RunQuery.SortField.values()) {
        for (RunQuery.SortField two : RunQuery.SortField.values()) {
          if (one == two) continue;
          for (boolean descending : List.of(true, false)) {
            for (boolean then : List.of(true, false)) {
              List<String> got =
                  fids(
                      store.runs(
                          sorted(prefix, List.of(sort(one, descending), sort(two, then)), 0, 10)));
              assertThat(got).containsExactlyInAnyOrderElementsOf(byAge);
              if (one == RunQuery.SortField.CREATED) {
                List<String> expected = new ArrayList<>(byAge);
                if (descending) java.util.Collections.reverse(expected);
                assertThat(got).containsExactlyElementsOf(expected);
              }
              if (pass == 0) {
                first.add(got);
              } else {
                assertThat(got).as("shape %d asked again", shape).isEqualTo(first.get(shape));
              }
              shape++;
            }
          }
        }
      }
    }
    assertThat(first).hasSize(80);
  }

  // ---------------------------------------------------------------- shares

  @Test
  void aShareEventRecordsEachSubjectAndALaterShareOfASubjectWins() {
    String fid = created();
    String other = created();
    assertThat(store.shares(fid)).isEmpty();

    append(share(fid, 2, "basic", "r", "team-ops", "alice"));
    assertThat(store.shares(fid))
        .containsExactly(new Share("alice", "basic", "r"), new Share("team-ops", "basic", "r"));

    append(stdout(fid, 3), share(fid, 4, "full", "x", "alice", "bob"));

    assertThat(store.shares(fid))
        .containsExactly(
            new Share("alice", "full", "x"),
            new Share("bob", "full", "x"),
            new Share("team-ops", "basic", "r"));
    assertThat(store.shares(other)).isEmpty();
    assertThat(store.shares("no-such-run-" + tag)).isEmpty();
    assertThat(run(fid).lastSeq()).isEqualTo(4);
    assertThat(store.events(fid, 1, 100))
        .extracting(Event::type)
        .containsExactly("share", "stdout", "share");
  }

  @Test
  void sharesOfOneSubjectInOneAppendEndWithTheLast() {
    String fid = created();

    append(
        share(fid, 2, "basic", "r", "alice"),
        share(fid, 3, "advanced", "r", "alice", "carol"),
        share(fid, 4, "full", "x", "alice"));

    assertThat(store.shares(fid))
        .containsExactly(new Share("alice", "full", "x"), new Share("carol", "advanced", "r"));
  }

  @Test
  void aSubjectNamedTwiceInOneShareIsRecordedOnce() {
    String fid = created();

    append(share(fid, 2, "advanced", "r", "alice", "alice"));

    assertThat(store.shares(fid)).containsExactly(new Share("alice", "advanced", "r"));
  }

  @Test
  void sharesSurviveReopening() {
    assumeThat(durable()).as("the store keeps its data across reopening").isTrue();
    String fid = created();
    append(share(fid, 2, "basic", "x", "alice"));

    store.close();
    store = openStore();

    assertThat(store.shares(fid)).containsExactly(new Share("alice", "basic", "x"));
  }

  @Test
  void deleteRemovesTheRunsShares() {
    String fid = created();
    String kept = created();
    append(share(fid, 2, "basic", "r", "alice", "bob"));
    append(share(kept, 2, "basic", "r", "alice"));

    assertThat(store.delete(fid)).isTrue();

    assertThat(store.shares(fid)).isEmpty();
    store
        .create(newRun(fid, "again.yaml", T0), List.of(event(fid, 1, EventType.INPUTS, "{}")))
        .join();
    assertThat(store.shares(fid)).isEmpty();
    assertThat(store.shares(kept)).containsExactly(new Share("alice", "basic", "r"));
  }

  @Test
  void aMalformedShareEventFailsOnlyItsOwnAppend() {
    String fid = created();
    String other = created();
    List<String> malformed =
        List.of(
            "{\"subjects\":[\"alice\"],\"mode\":\"r\"}",
            "{\"subjects\":[],\"level\":\"basic\",\"mode\":\"r\"}",
            "{\"subjects\":\"alice\",\"level\":\"basic\",\"mode\":\"r\"}",
            "{\"level\":\"basic\",\"mode\":\"r\"}",
            "{\"subjects\":[\"alice\"],\"level\":\"basic\"}");

    for (String data : malformed) {
      // Queued together, so that the writer meets the bad share in a batch of good calls.
      long o = run(other).lastSeq();
      CompletableFuture<Void> before = store.append(List.of(stdout(other, o + 1)));
      long seq = run(fid).lastSeq() + 1;
      CompletableFuture<Void> bad =
          store.append(List.of(stdout(fid, seq), event(fid, seq + 1, EventType.SHARE, data)));
      CompletableFuture<Void> after =
          store.append(List.of(share(other, o + 2, "basic", "r", "bob")));

      assertThatThrownBy(bad::join)
          .as(data)
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(KodoException.class)
          .hasMessageContaining(fid);
      before.join();
      after.join();
      assertThat(run(fid).lastSeq()).as(data).isEqualTo(seq - 1);
      assertThat(store.events(fid, seq - 1, 10)).as(data).isEmpty();
    }

    assertThat(store.shares(fid)).isEmpty();
    assertThat(store.shares(other)).containsExactly(new Share("bob", "basic", "r"));
    assertThat(seqs(other)).containsExactlyElementsOf(range(1, 1 + 2L * malformed.size()));
    append(stdout(fid, 2), share(fid, 3, "basic", "r", "alice"));
    assertThat(store.shares(fid)).containsExactly(new Share("alice", "basic", "r"));
  }

  // ---------------------------------------------------------------- housekeeping filters

  @Test
  void finishedBeforeMatchesOnlyRunsThatFinishedEarlier() {
    String flow = "finished-" + tag + ".yaml";
    String done = created(newFid(), flow, null, T0);
    String failed = created(newFid(), flow, null, T0);
    String killed = created(newFid(), flow, null, T0);
    String pending = created(newFid(), flow, null, T0);
    String locked = created(newFid(), flow, null, T0);
    append(Event.of(done, 2, T0.plusSeconds(10), EventType.FINAL, "{}"));
    append(Event.of(failed, 2, T0.plusSeconds(20), EventType.FATAL, "{\"reason\":\"exception\"}"));
    append(Event.of(killed, 2, T0.plusSeconds(30), EventType.KILL, "{}"));
    append(Event.of(killed, 3, T0.plusSeconds(40), EventType.ACKNOWLEDGE, "{}"));
    append(Event.of(pending, 2, T0.plusSeconds(5), EventType.PROGRESS, "{\"value\":0.5}"));
    append(Event.of(locked, 2, T0.plusSeconds(5), EventType.LOCK, "{\"lid\":\"l1\"}"));

    assertThat(finishedBefore(flow, T0.plusSeconds(25))).containsExactlyInAnyOrder(done, failed);
    assertThat(finishedBefore(flow, T0.plusSeconds(30))).containsExactlyInAnyOrder(done, failed);
    assertThat(finishedBefore(flow, T0.plusSeconds(30).plusMillis(1)))
        .containsExactlyInAnyOrder(done, failed, killed);
    assertThat(finishedBefore(flow, T0.plusSeconds(10))).isEmpty();
    assertThat(finishedBefore(flow, Instant.parse("9999-12-31T23:59:59Z")))
        .containsExactlyInAnyOrder(done, failed, killed);
    Page<RunRecord> page =
        store.runs(
            new RunQuery(Set.of(), flow, null, null, List.of(), 0, 100, T0.plusSeconds(25), null));
    assertThat(page.filtered()).isEqualTo(2);
    assertThat(page.total()).isGreaterThanOrEqualTo(5);
  }

  @Test
  void createdBetweenMatchesRunsCreatedInTheHalfOpenRange() {
    String flow = "created-" + tag + ".yaml";
    String early = created(newFid(), flow, null, T0);
    String middle = created(newFid(), flow, null, T0.plusSeconds(60));
    String late = created(newFid(), flow, null, T0.plusSeconds(120));
    RunQuery all = new RunQuery(Set.of(), flow, null, null, List.of(), 0, 100);

    assertThat(fids(store.runs(all.createdBetween(T0.plusSeconds(60), T0.plusSeconds(120)))))
        .containsExactly(middle);
    assertThat(fids(store.runs(all.createdBetween(T0.plusSeconds(1), null))))
        .containsExactlyInAnyOrder(middle, late);
    assertThat(fids(store.runs(all.createdBetween(null, T0.plusSeconds(60)))))
        .containsExactly(early);
    assertThat(fids(store.runs(all.createdBetween(null, null))))
        .containsExactlyInAnyOrder(early, middle, late);
    Page<RunRecord> page = store.runs(all.createdBetween(T0.plusSeconds(121), null));
    assertThat(page.filtered()).isZero();
    assertThat(page.total()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void acknowledgedSelectsRunsByWhetherTheyWereAcknowledged() {
    String flow = "acked-" + tag + ".yaml";
    String acked = created(newFid(), flow, null, T0);
    String notAcked = created(newFid(), flow, null, T0);
    String pending = created(newFid(), flow, null, T0);
    append(
        Event.of(acked, 2, T0.plusSeconds(1), EventType.FINAL, "{}"),
        Event.of(acked, 3, T0.plusSeconds(2), EventType.ACKNOWLEDGE, "{\"by\":\"alice\"}"));
    append(Event.of(notAcked, 2, T0.plusSeconds(1), EventType.FATAL, "{}"));

    assertThat(
            fids(
                store.runs(
                    new RunQuery(Set.of(), flow, null, null, List.of(), 0, 100, null, true))))
        .containsExactly(acked);
    assertThat(
            fids(
                store.runs(
                    new RunQuery(Set.of(), flow, null, null, List.of(), 0, 100, null, false))))
        .containsExactlyInAnyOrder(notAcked, pending);
    assertThat(
            fids(
                store.runs(
                    new RunQuery(Set.of(), flow, null, null, List.of(), 0, 100, null, null))))
        .containsExactlyInAnyOrder(acked, notAcked, pending);
    // Both filters together: what housekeeping removes (finished long ago and seen to).
    Instant later = T0.plusSeconds(60);
    assertThat(
            fids(
                store.runs(
                    new RunQuery(Set.of(), flow, null, null, List.of(), 0, 100, later, true))))
        .containsExactly(acked);
    assertThat(
            fids(
                store.runs(
                    new RunQuery(Set.of(), flow, null, null, List.of(), 0, 100, later, false))))
        .containsExactly(notAcked);
    assertThat(
            fids(
                store.runs(
                    new RunQuery(
                        Set.of(RunState.DONE), flow, null, null, List.of(), 0, 100, later, false))))
        .isEmpty();
  }

  @Test
  void theOlderQueryConstructorAppliesNeitherFilter() {
    RunQuery q = new RunQuery(Set.of(), "x", null, null, List.of(), 0, 10);
    assertThat(q.finishedBefore()).isNull();
    assertThat(q.acknowledged()).isNull();
    assertThat(RunQuery.all().finishedBefore()).isNull();
    assertThat(RunQuery.all().acknowledged()).isNull();
  }

  // ---------------------------------------------------------------- delete, durability, volume,
  // close

  @Test
  void deleteRemovesTheRunAndItsEvents() {
    String fid = created();
    append(stdout(fid, 2), stdout(fid, 3));

    assertThat(store.delete(fid)).isTrue();

    assertThat(store.run(fid)).isEmpty();
    assertThat(store.events(fid, 0, 100)).isEmpty();
    assertThat(search(fid)).isEmpty();
    assertThat(store.delete(fid)).isFalse();
    assertThatThrownBy(() -> store.append(List.of(stdout(fid, 4))).join())
        .hasMessageContaining(fid);
    store.create(newRun(fid, "again.yaml", T0), List.of(stdout(fid, 1))).join();
    assertThat(seqs(fid)).containsExactly(1L);
  }

  @Test
  void dataSurvivesClosingAndReopening() {
    assumeThat(durable()).as("the store keeps its data across reopening").isTrue();
    String fid = created();
    append(event(fid, 2, EventType.LOCK, "{\"lid\":\"l1\"}"));
    RunRecord before = run(fid);
    List<Event> events = store.events(fid, 0, 100);

    store.close();
    store = openStore();

    assertThat(run(fid)).isEqualTo(before);
    assertThat(store.events(fid, 0, 100)).isEqualTo(events);
    append(event(fid, 3, EventType.UNLOCK, "{\"lid\":\"l1\"}"));
    assertThat(run(fid).state()).isEqualTo(RunState.PENDING);
    assertThat(run(fid).lastSeq()).isEqualTo(3);
  }

  @Test
  void writesOfAnotherStoreOnTheSameDataAreNotOverwritten() {
    assumeThat(durable()).as("two stores can be open on the same data").isTrue();
    String fid = created();
    String other = created();
    append(stdout(fid, 2));
    try (EventStore second = openStore()) {
      second.append(List.of(event(fid, 3, EventType.PROGRESS, "{\"value\":0.3}"))).join();
    }

    CompletableFuture<Void> stale = store.append(List.of(stdout(fid, 3)));
    CompletableFuture<Void> fine = store.append(List.of(stdout(other, 2)));
    CompletableFuture<Void> next =
        store.append(List.of(event(fid, 4, EventType.PROGRESS, "{\"value\":0.4}")));

    assertThatThrownBy(stale::join)
        .hasCauseInstanceOf(KodoException.class)
        .hasMessageContainingAll(fid, "seq 3");
    fine.join();
    next.join();
    assertThat(store.events(fid, 2, 1).getFirst().type()).isEqualTo("progress");
    assertThat(run(fid).progress()).isEqualTo(0.4);
    assertThat(run(fid).lastSeq()).isEqualTo(4);
    assertThat(seqs(other)).containsExactly(1L, 2L);
  }

  @Test
  void aHundredThousandEventsAppendedInBatchesAllReadBack() {
    String fid = created();
    int batches = 100;
    int perBatch = 1_000;
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      long from = 2L + (long) b * perBatch;
      futures.add(
          store.append(
              LongStream.range(from, from + perBatch).mapToObj(s -> stdout(fid, s)).toList()));
    }
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();

    long expected = 1;
    for (List<Event> page = store.events(fid, 0, 7_000);
        !page.isEmpty();
        page = store.events(fid, page.getLast().seq(), 7_000)) {
      for (Event e : page) {
        assertThat(e.seq()).isEqualTo(expected);
        if (expected > 1) {
          assertThat(e.data()).isEqualTo(stdout(fid, expected).data());
        }
        expected++;
      }
    }
    assertThat(expected - 1).isEqualTo(1L + batches * perBatch);
    assertThat(run(fid).lastSeq()).isEqualTo(1L + batches * perBatch);
  }

  @Test
  void callsAfterCloseFailClearly() {
    String fid = created();
    store.close();

    assertThatThrownBy(() -> store.append(List.of(stdout(fid, 2))))
        .isInstanceOf(KodoException.class)
        .hasMessageContainingAll(fid, "closed");
    assertThatThrownBy(() -> store.create(newRun(newFid(), "x.yaml", T0), List.of()))
        .isInstanceOf(KodoException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> store.run(fid))
        .isInstanceOf(KodoException.class)
        .hasMessageContainingAll(fid, "closed");
    assertThatThrownBy(() -> store.events(fid, 0, 10))
        .isInstanceOf(KodoException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> store.runs(RunQuery.all()))
        .isInstanceOf(KodoException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> store.delete(fid))
        .isInstanceOf(KodoException.class)
        .hasMessageContainingAll(fid, "closed");
    store.close();
  }

  @Test
  void closeWaitsForQueuedWrites() {
    assumeThat(durable()).as("the store keeps its data across reopening").isTrue();
    String fid = created();
    CompletableFuture<Void> last = null;
    for (long s = 2; s <= 500; s++) {
      last = store.append(List.of(stdout(fid, s)));
    }

    store.close();

    assertThat(last).isCompleted();
    store = openStore();
    assertThat(run(fid).lastSeq()).isEqualTo(500);
  }

  // ---------------------------------------------------------------- helpers

  private String newFid() {
    return "run-" + tag + "-" + String.format("%05d", COUNTER.incrementAndGet());
  }

  private static NewRun newRun(String fid, String flow, Instant created) {
    return new NewRun(fid, flow, null, created, "{\"n\":1}");
  }

  private String created() {
    return created(newFid(), "flow.yaml", null, T0);
  }

  private String created(String fid, String flow, String owner, Instant createdAt) {
    store
        .create(
            new NewRun(fid, flow, owner, createdAt, "{}"),
            List.of(event(fid, 1, EventType.INPUTS, "{}")))
        .join();
    return fid;
  }

  private static Event event(String fid, long seq, EventType type, String data) {
    return Event.of(fid, seq, T0.plusMillis(seq), type, data);
  }

  private static Event stdout(String fid, long seq) {
    return event(fid, seq, EventType.STDOUT, "{\"text\":\"line " + seq + "\"}");
  }

  private static Event share(String fid, long seq, String level, String mode, String... subjects) {
    StringBuilder data = new StringBuilder("{\"subjects\":[");
    for (int i = 0; i < subjects.length; i++) {
      data.append(i == 0 ? "" : ",").append('"').append(subjects[i]).append('"');
    }
    data.append("],\"level\":\"").append(level).append("\",\"mode\":\"").append(mode).append("\"}");
    return event(fid, seq, EventType.SHARE, data.toString());
  }

  private List<String> finishedBefore(String flow, Instant instant) {
    return fids(
        store.runs(new RunQuery(Set.of(), flow, null, null, List.of(), 0, 100, instant, null)));
  }

  private void append(Event... events) {
    store.append(List.of(events)).join();
  }

  private RunRecord run(String fid) {
    return store.run(fid).orElseThrow(() -> new AssertionError("no run " + fid));
  }

  private List<Long> seqs(String fid) {
    return store.events(fid, 0, Integer.MAX_VALUE).stream().map(Event::seq).toList();
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  private static RunQuery query(Set<RunState> states, String flow, String owner, String search) {
    return new RunQuery(states, flow, owner, search, List.of(), 0, 100);
  }

  private static RunQuery sorted(String search, List<RunQuery.Sort> sort, int page, int perPage) {
    return new RunQuery(Set.of(), null, null, search, sort, page, perPage);
  }

  private static RunQuery.Sort sort(RunQuery.SortField field, boolean descending) {
    return new RunQuery.Sort(field, descending);
  }

  private List<String> search(String glob) {
    return fids(store.runs(query(Set.of(), null, null, glob)));
  }

  private static List<String> fids(Page<RunRecord> page) {
    return page.items().stream().map(RunRecord::fid).toList();
  }
}
