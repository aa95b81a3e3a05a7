package dev.kodo.bench;

import dev.kodo.client.Event;
import dev.kodo.client.RunState;
import dev.kodo.node.runs.LiveHub;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * SSE fan-out (issue 12, scenario {@code fanout}): 1,000 live streams open at once — 10 on each of
 * 100 runs ({@code kodo.limits.streams-per-run} allows 100; {@code -Dkodo.bench.fanout.runs=N}
 * spreads them over N runs instead) — receiving {@value #DEFAULT_DELIVERIES} events/s in total,
 * emit → client: each stream gets 10 events/s, so the 100 runs emit 1,000 events/s between them and
 * the node writes each to 10 streams (docs/decisions.md, "SSE fan-out: 10,000 events/s in total").
 * {@code -Dkodo.bench.fanout.deliveries=100000} is the harder reading (each run emitting 100/s to
 * its 10 streams). Each stream is {@link dev.kodo.client.NodeClient#stream} on a virtual thread, as
 * the {@code latency} scenario reads its one stream: one JDK HttpClient, one connection per stream.
 * The runs wait at a lock until every stream is open (the node's {@link LiveHub} counts them)
 * before the first stamp; the latency of each {@code result} event is its receipt minus its
 * emission stamp ({@code System.nanoTime()}, same JVM).
 *
 * <p>A stream <b>fell behind</b> if it had not received all its run's events within {@value
 * #GRACE_SECONDS} s after the runs stopped emitting, or if its lag grew: the mean latency of its
 * last fifth of events exceeds that of its first fifth by more than 20 ms (the p99 target). The
 * baseline is the single-stream emit → SSE p99 at 1,000 events/s of the {@code latency} scenario in
 * the same run, or, without it, measured here first the same way.
 */
final class FanoutScenario {
  static final int STREAMS = 1_000;
  static final int DEFAULT_DELIVERIES = 10_000;
  // Events/s the streams receive in total.
  static final int DELIVERIES =
      Integer.getInteger("kodo.bench.fanout.deliveries", DEFAULT_DELIVERIES);
  // -Dkodo.bench.fanout.runs=1000: one stream on each of 1,000 runs, to tell the fan-out's cost
  // from the streams'.
  static final int RUNS = Integer.getInteger("kodo.bench.fanout.runs", 100);
  static final int STREAMS_PER_RUN = STREAMS / RUNS;
  // Each stream receives its run's events: a run emits what one stream is to receive.
  static final int RATE_PER_RUN = DELIVERIES / STREAMS;
  static final int GRACE_SECONDS = 30;
  private static final int OPEN_SECONDS = 60;
  private static final long GROWTH_MICROS = 20_000;

  private final Bench bench;

  FanoutScenario(Bench bench) {
    this.bench = bench;
  }

  /**
   * What one stream saw: its result events' count and the latency sums of its first and last fifth.
   */
  private static final class Stream {
    final int count;
    int received;
    long firstSum;
    int firstN;
    long lastSum;
    int lastN;
    volatile boolean ended;

    Stream(int count) {
      this.count = count;
    }

    void record(long index, long micros) {
      received++;
      if (index < count / 5) {
        firstSum += micros;
        firstN++;
      } else if (index >= count - count / 5) {
        lastSum += micros;
        lastN++;
      }
    }

    boolean lagGrew() {
      return firstN > 0 && lastN > 0 && lastSum / lastN - firstSum / firstN > GROWTH_MICROS;
    }

    boolean behind() {
      return !ended || received < count || lagGrew();
    }
  }

  List<Figure> run() throws Exception {
    int seconds = bench.quick() ? 3 : 10;
    int streams = RUNS * STREAMS_PER_RUN;
    double baseline = bench.singleStreamP99();
    String baselineName = "1 stream p99 ms (latency)";
    if (Double.isNaN(baseline)) {
      baseline = Bench.ms(bench.sseLatency(bench.quick() ? 2 : 3, 1_000), 99);
      baselineName = "1 stream p99 ms (here)";
    }
    LiveHub hub = bench.node().getBean(LiveHub.class);
    int before = hub.subscribers();
    int count = seconds * RATE_PER_RUN;
    Histogram latency = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(120), 3);
    CountDownLatch opened = new CountDownLatch(streams);
    AtomicInteger failed = new AtomicInteger();
    AtomicReference<String> firstFailure = new AtomicReference<>();
    List<Stream> seen = new ArrayList<>(streams);
    List<Thread> threads = new ArrayList<>(streams);
    String flow = GatedEmitter.class.getName();
    long lockedBefore = bench.count(flow, RunState.LOCKED);
    List<String> fids = new ArrayList<>(RUNS);
    for (int r = 0; r < RUNS; r++) {
      fids.add(bench.client().launch(flow, Map.of("count", count, "rate", RATE_PER_RUN)).fid());
    }
    bench.awaitCount(flow, RunState.LOCKED, lockedBefore + RUNS, 60);
    long opening = System.nanoTime();
    for (String fid : fids) {
      for (int s = 0; s < STREAMS_PER_RUN; s++) {
        Stream stream = new Stream(count);
        seen.add(stream);
        threads.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      boolean[] first = {true};
                      try {
                        bench.client().stream(
                            fid,
                            0,
                            (Event e) -> {
                              if (first[0]) {
                                first[0] = false;
                                opened.countDown();
                              }
                              if (e.type().equals("result")) {
                                var body = e.dataNode().path("body");
                                long micros =
                                    Math.max(
                                        0, (System.nanoTime() - body.path("t").asLong()) / 1_000);
                                latency.recordValue(micros);
                                stream.record(body.path("i").asLong(), micros);
                              }
                            });
                        stream.ended = true;
                      } catch (RuntimeException e) {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, e.toString());
                        if (first[0]) opened.countDown();
                      }
                    }));
      }
    }
    // Every stream has had its first (replayed) event before the runs are let go.
    boolean allOpen = opened.await(OPEN_SECONDS, TimeUnit.SECONDS);
    double openSeconds = (System.nanoTime() - opening) / 1e9;
    int open = hub.subscribers() - before;
    List<String> answers = bench.lockPaths(flow, RUNS);
    long emitting = System.nanoTime();
    Load.run(bench.uri(), RUNS, 16, answers::get, "{\"go\":true}", 200);
    long deadline = emitting + TimeUnit.SECONDS.toNanos(seconds + GRACE_SECONDS);
    for (Thread t : threads) {
      long left = deadline - System.nanoTime();
      if (left > 0) t.join(TimeUnit.NANOSECONDS.toMillis(left) + 1);
    }
    long behind = seen.stream().filter(Stream::behind).count();
    long incomplete = seen.stream().filter(s -> !s.ended || s.received < s.count).count();
    long grew = seen.stream().filter(Stream::lagGrew).count();
    System.out.printf(
        Locale.ROOT,
        "fanout: %,d streams (%d on each of %d runs of GatedEmitter at %d events/s, %,d events/s"
            + " emitted, %,d s): %s open (%,d counted by the node) after %.2f s; %,d"
            + " events received: p50 %.2f ms, p99 %.2f ms, max %.2f ms; %d streams behind (%d"
            + " incomplete %d s after the emission, %d with growing lag), %d failed%s;"
            + " single stream p99 %.2f ms%n",
        streams,
        STREAMS_PER_RUN,
        RUNS,
        RATE_PER_RUN,
        RUNS * RATE_PER_RUN,
        seconds,
        allOpen ? "all" : "NOT all (" + (streams - opened.getCount()) + ")",
        open,
        openSeconds,
        latency.getTotalCount(),
        Bench.ms(latency, 50),
        Bench.ms(latency, 99),
        latency.getMaxValue() / 1000.0,
        behind,
        incomplete,
        GRACE_SECONDS,
        grew,
        failed.get(),
        firstFailure.get() == null ? "" : " (the first: " + firstFailure.get() + ")",
        baseline);
    String n = String.format(Locale.ROOT, "%,d", streams);
    Figure p99 =
        new Figure(
            "SSE fan-out p99, " + n + " streams",
            Bench.ms(latency, 99),
            "ms",
            baseline,
            baselineName,
            false,
            20);
    Figure lagging =
        new Figure(
            "SSE fan-out streams behind", behind, "streams", streams, "streams open", false, 0);
    p99 =
        p99.withNote(
            (allOpen ? "" : "only " + (streams - opened.getCount()) + " streams open in time; ")
                + String.format(
                    Locale.ROOT,
                    "%d streams on each of %d runs: %,d deliveries/s",
                    STREAMS_PER_RUN,
                    RUNS,
                    RUNS * RATE_PER_RUN * STREAMS_PER_RUN));
    return List.of(p99, lagging);
  }
}
