package dev.kodo.bench;

import dev.kodo.client.Event;
import dev.kodo.client.RunState;
import dev.kodo.node.runs.LiveHub;
import dev.kodo.store.RunQuery;
import dev.kodo.store.RunRecord;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Events persisted from 1,000 concurrent runs (issue 12, scenario {@code concurrent}): 1,000 runs
 * of {@link HeldEmitter}, launched from 64 clients, wait at a gate until all have started; then the
 * gate opens and each emits its events without pause; events/s from the gate's opening until every
 * run is final, vs. the raw batched SQLite rows/s of the {@code events} scenario ({@link
 * Bench#rawSqliteInserts}) for as many rows. Where the {@code events} scenario measures one run's
 * writer, this one measures many runs' appends contending for the store; the launches are the
 * {@code launch} scenario's figure (the rate from the first launch is printed beside it). Every run
 * must have persisted its events plus inputs, version, flow and final.
 */
final class ConcurrentScenario {
  static final String FIGURE = "events persisted (1,000 runs)";
  private static final String FLOW = HeldEmitter.class.getName();
  private static final int RUNS = 1_000;
  private static final int CONCURRENCY = 64;

  private final Bench bench;

  ConcurrentScenario(Bench bench) {
    this.bench = bench;
  }

  Figure run() throws Exception {
    // -Dkodo.bench.concurrent.events=N: more events a run, for a profile of a longer window
    int perRun = Integer.getInteger("kodo.bench.concurrent.events", bench.quick() ? 20 : 100);
    // Warm-up: as many runs, the same size, so that what is measured runs compiled code.
    emit(Integer.getInteger("kodo.bench.concurrent.warmup", RUNS), perRun);
    Timing t = emit(RUNS, perRun);
    long emitted = (long) RUNS * (perRun + 1); // results and final, after the gate
    double rate = emitted / t.fromGate();
    double fromLaunch = (long) RUNS * (perRun + 4) / t.fromLaunch();
    double raw = bench.rawSqliteInserts((int) emitted);
    System.out.printf(
        Locale.ROOT,
        "concurrent: %,d runs of HeldEmitter (%,d events each) launched from %d clients and held"
            + " at a gate, released at once: %,d events persisted and all runs final %.3f s after"
            + " the gate opened (%,.0f events/s; from the first launch %.2f s, %,.0f events/s with"
            + " inputs, version and flow); raw SQLite: %,.0f rows/s%n",
        RUNS,
        perRun,
        CONCURRENCY,
        emitted,
        t.fromGate(),
        rate,
        t.fromLaunch(),
        fromLaunch,
        raw);
    return Figure.ratioTarget(
        FIGURE, rate, "events/s", raw, "raw batched SQLite rows/s", true, 0.60);
  }

  /** Counts down once for each run whose {@code final} is among {@code events}. */
  private static void countFinals(List<Event> events, Set<String> ended, CountDownLatch finals) {
    for (Event e : events) {
      if (e.type().equals("final") && ended.add(e.fid())) finals.countDown();
    }
  }

  /** Seconds from the first launch and from the gate's opening until every run was final. */
  private record Timing(double fromLaunch, double fromGate) {}

  /**
   * Launches {@code runs} runs emitting {@code perRun} events each and waits until all are done;
   * checks every run's last seq; returns the seconds from the first launch.
   */
  private Timing emit(int runs, int perRun) throws Exception {
    long doneBefore = bench.count(FLOW, RunState.DONE);
    String launch = "{\"flow\":\"" + FLOW + "\",\"inputs\":{\"count\":" + perRun + "}}";
    HeldEmitter.close();
    double fromGate;
    // Created timestamps are the node's wall clock, in this JVM; a millisecond's slack for
    // rounding.
    Instant created = Instant.now().minusMillis(1);
    long start = System.nanoTime();
    Load.run(bench.uri(), runs, CONCURRENCY, "/api/runs", launch, 201);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (HeldEmitter.held() < runs) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "only " + HeldEmitter.held() + " of " + runs + " runs reached the gate in 120 s");
      }
      Thread.sleep(1);
    }
    // The window ends at the last run's committed final, seen as the node commits it: polling the
    // store for the count would take CPU from the node inside the window and add up to a poll's
    // interval to it. Only these runs run now (the warm-up's are done); the store check below
    // fails the scenario if a final counted here was another run's.
    CountDownLatch finals = new CountDownLatch(runs);
    Set<String> ended = ConcurrentHashMap.newKeySet();
    long end;
    try (LiveHub.Observation o =
        bench.node().getBean(LiveHub.class).observe(events -> countFinals(events, ended, finals))) {
      long opened = System.nanoTime();
      HeldEmitter.open();
      if (!finals.await(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException(
            finals.getCount() + " of " + runs + " runs had no final 120 s after the gate opened");
      }
      end = System.nanoTime();
      fromGate = (end - opened) / 1e9;
    }
    bench.awaitCount(FLOW, RunState.DONE, doneBefore + runs, 120);
    // Every run wrote all of its events (gapless seq per run): the last seq says how many.
    var page =
        bench
            .store()
            .runs(
                new RunQuery(
                    Set.of(),
                    FLOW,
                    null,
                    null,
                    List.of(),
                    0,
                    RunQuery.MAX_PER_PAGE,
                    null,
                    null,
                    null,
                    created,
                    null));
    if (page.filtered() != runs) {
      throw new IllegalStateException(
          page.filtered()
              + " runs of "
              + FLOW
              + " were created since the launch, expected "
              + runs);
    }
    for (RunRecord run : page.items()) {
      if (run.state() != RunState.DONE || run.lastSeq() != perRun + 4L) {
        throw new IllegalStateException(
            "run "
                + run.fid()
                + " is "
                + run.state()
                + " with last seq "
                + run.lastSeq()
                + ", expected done with "
                + (perRun + 4));
      }
    }
    return new Timing((end - start) / 1e9, fromGate);
  }
}
