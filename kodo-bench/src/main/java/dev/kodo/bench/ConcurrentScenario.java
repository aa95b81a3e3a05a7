package dev.kodo.bench;

import dev.kodo.client.RunState;
import dev.kodo.store.RunQuery;
import dev.kodo.store.RunRecord;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Events persisted from 1,000 concurrent runs (issue 12, scenario {@code concurrent}): 1,000 runs
 * of {@link Emitter}, each emitting without pause, launched from 64 clients at once; events/s from
 * the first launch until every run is final, vs. the raw batched SQLite rows/s of the {@code
 * events} scenario ({@link Bench#rawSqliteInserts}) for as many rows. Where the {@code events}
 * scenario measures one run's writer, this one measures many runs' appends contending for the
 * store. Every run must have persisted its events plus inputs, version, flow and final.
 */
final class ConcurrentScenario {
  static final String FIGURE = "events persisted (1,000 runs)";
  private static final String FLOW = Emitter.class.getName();
  private static final int RUNS = 1_000;
  private static final int CONCURRENCY = 64;

  private final Bench bench;

  ConcurrentScenario(Bench bench) {
    this.bench = bench;
  }

  Figure run() throws Exception {
    int perRun = bench.quick() ? 20 : 100;
    // Warm-up: a tenth of the runs, the same size.
    emit(RUNS / 10, perRun);
    double seconds = emit(RUNS, perRun);
    long persisted = (long) RUNS * (perRun + 4);
    double rate = persisted / seconds;
    double raw = bench.rawSqliteInserts((int) persisted);
    System.out.printf(
        Locale.ROOT,
        "concurrent: %,d runs of Emitter (%,d events each) launched from %d clients, %,d events"
            + " persisted and all runs final in %.2f s (%,.0f events/s); raw SQLite: %,.0f rows/s%n",
        RUNS,
        perRun,
        CONCURRENCY,
        persisted,
        seconds,
        rate,
        raw);
    return Figure.ratioTarget(
        FIGURE, rate, "events/s", raw, "raw batched SQLite rows/s", true, 0.60);
  }

  /**
   * Launches {@code runs} runs emitting {@code perRun} events each and waits until all are done;
   * checks every run's last seq; returns the seconds from the first launch.
   */
  private double emit(int runs, int perRun) throws Exception {
    long doneBefore = bench.count(FLOW, RunState.DONE);
    String launch = "{\"flow\":\"" + FLOW + "\",\"inputs\":{\"count\":" + perRun + ",\"rate\":0}}";
    // Created timestamps are the node's wall clock, in this JVM; a millisecond's slack for
    // rounding.
    Instant created = Instant.now().minusMillis(1);
    long start = System.nanoTime();
    Load.run(bench.uri(), runs, CONCURRENCY, "/api/runs", launch, 201);
    bench.awaitCount(FLOW, RunState.DONE, doneBefore + runs, 120);
    double seconds = (System.nanoTime() - start) / 1e9;
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
    return seconds;
  }
}
