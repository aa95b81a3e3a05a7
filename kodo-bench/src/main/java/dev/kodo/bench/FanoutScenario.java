package dev.kodo.bench;

import dev.kodo.client.RunState;
import dev.kodo.node.runs.LiveHub;
import java.io.IOException;
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
 * its 10 streams). Each stream is an {@link SseReader} on a virtual thread: one connection per
 * stream, read with as little of the machine's CPU as a client can, since the 1,000 clients run in
 * the node's JVM. The runs wait at a lock until every stream is open (the node's {@link LiveHub}
 * counts them) before the first stamp; the latency of each {@code result} event is its receipt
 * minus its emission stamp ({@code System.nanoTime()}, same JVM).
 *
 * <p>What is counted is the steady fan-out (docs/decisions.md, "SSE fan-out: the steady state"):
 * run {@code r} of {@code R} emits {@code r/R} of an interval after the first, so that the
 * deliveries arrive evenly rather than 1,000 at once ten times a second; the first {@value
 * #WARM_SECONDS} s of events warm the path up and are not counted; and each run ends {@value
 * #HOLD_MILLIS} ms after its last event, so that 1,000 streams closing at once do not fall among
 * the counted events. The warm-up's p99 and that of the runs' {@code final} events, delivered as
 * the streams close, are printed on the scenario's line.
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
  static final int WARM_SECONDS = 1;
  static final int HOLD_MILLIS = 500;
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
    // The counted events, and all the result events the run emits (the warm-up's first).
    final int count;
    final int total;
    int received;
    long firstSum;
    int firstN;
    long lastSum;
    int lastN;
    volatile boolean ended;

    Stream(int count, int total) {
      this.count = count;
      this.total = total;
    }

    /** Records the counted event {@code index} (from 0, after the warm-up's). */
    void record(long index, long micros) {
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
      return !ended || received < total || lagGrew();
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
    int warm = WARM_SECONDS * RATE_PER_RUN;
    Histogram latency = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(120), 3);
    Histogram warmLatency = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(120), 3);
    Histogram finals = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(120), 3);
    CountDownLatch opened = new CountDownLatch(streams);
    AtomicInteger failed = new AtomicInteger();
    AtomicReference<String> firstFailure = new AtomicReference<>();
    List<Stream> seen = new ArrayList<>(streams);
    List<Thread> threads = new ArrayList<>(streams);
    String flow = GatedEmitter.class.getName();
    long lockedBefore = bench.count(flow, RunState.LOCKED);
    List<String> fids = new ArrayList<>(RUNS);
    for (int r = 0; r < RUNS; r++) {
      // Run r emits r/RUNS of an interval after the first: the deliveries arrive evenly, not all
      // the runs' at once ten times a second.
      long offset = 1_000_000L / RATE_PER_RUN * r / RUNS;
      Map<String, Object> inputs =
          Map.of(
              "count", warm + count, "rate", RATE_PER_RUN, "offset", offset, "hold", HOLD_MILLIS);
      fids.add(bench.client().launch(flow, inputs).fid());
    }
    bench.awaitCount(flow, RunState.LOCKED, lockedBefore + RUNS, 60);
    long opening = System.nanoTime();
    for (String fid : fids) {
      for (int s = 0; s < STREAMS_PER_RUN; s++) {
        Stream stream = new Stream(count, warm + count);
        seen.add(stream);
        threads.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      boolean[] first = {true};
                      try {
                        SseReader.follow(
                            bench.uri(),
                            bench.token(),
                            fid,
                            (seq, type, data) -> {
                              if (first[0]) {
                                first[0] = false;
                                opened.countDown();
                              }
                              boolean result = type.equals("result");
                              if (!result && !type.equals("final")) return;
                              // The stamp: {"body":{"i":…,"t":…}} (Emitter.Stamp) in the event's
                              // data.
                              int body = data.indexOf("\"body\":");
                              long micros =
                                  Math.max(
                                      0,
                                      (System.nanoTime() - SseReader.number(data, "t", body))
                                          / 1_000);
                              if (!result) {
                                finals.recordValue(micros);
                                return;
                              }
                              long i = SseReader.number(data, "i", body);
                              stream.received++;
                              if (i < warm) {
                                warmLatency.recordValue(micros);
                              } else {
                                latency.recordValue(micros);
                                stream.record(i - warm, micros);
                              }
                            });
                        stream.ended = true;
                      } catch (IOException | RuntimeException e) {
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
    long deadline =
        emitting
            + TimeUnit.SECONDS.toNanos(WARM_SECONDS + seconds + GRACE_SECONDS)
            + TimeUnit.MILLISECONDS.toNanos(HOLD_MILLIS);
    for (Thread t : threads) {
      long left = deadline - System.nanoTime();
      if (left > 0) t.join(TimeUnit.NANOSECONDS.toMillis(left) + 1);
    }
    long behind = seen.stream().filter(Stream::behind).count();
    long incomplete = seen.stream().filter(s -> !s.ended || s.received < s.total).count();
    long grew = seen.stream().filter(Stream::lagGrew).count();
    System.out.printf(
        Locale.ROOT,
        "fanout: %,d streams (%d on each of %d runs of GatedEmitter at %d events/s, %,d events/s"
            + " emitted, %d s counted after %d s of warm-up): %s open (%,d counted by the node)"
            + " after %.2f s; %,d events counted: p50 %.2f ms, p99 %.2f ms, max %.2f ms (warm-up"
            + " p99 %.2f ms; the runs' finals, %d ms after their last events, as their streams"
            + " close: p99 %.2f ms); %d streams behind (%d incomplete %d s after the emission, %d"
            + " with growing lag), %d failed%s; single stream p99 %.2f ms%n",
        streams,
        STREAMS_PER_RUN,
        RUNS,
        RATE_PER_RUN,
        RUNS * RATE_PER_RUN,
        seconds,
        WARM_SECONDS,
        allOpen ? "all" : "NOT all (" + (streams - opened.getCount()) + ")",
        open,
        openSeconds,
        latency.getTotalCount(),
        Bench.ms(latency, 50),
        Bench.ms(latency, 99),
        latency.getMaxValue() / 1000.0,
        Bench.ms(warmLatency, 99),
        HOLD_MILLIS,
        Bench.ms(finals, 99),
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
