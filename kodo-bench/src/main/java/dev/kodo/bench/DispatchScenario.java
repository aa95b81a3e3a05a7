package dev.kodo.bench;

import dev.kodo.client.NodeClient;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import dev.kodo.store.EventStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Dispatch latency (issue 13, scenario {@code dispatch}): launch → running, the moment a worker has
 * taken the run and its flow starts, on a {@code koco worker} process vs. the embedded worker of a
 * node in the bench's JVM, in the same run. Two nodes in this JVM: one with its embedded worker,
 * one without ({@code --no-worker}) whose cluster one worker process joins. On each, runs of {@link
 * Started} are launched one at a time, 100 a second (so none waits for another), after a warm-up; a
 * run's latency is the flow's own start stamp minus the wall clock just before its {@code POST
 * /api/runs} (same machine, same clock). The flow's result names the process it ran in, so the
 * scenario knows where each run really executed ({@link #checks()}).
 */
final class DispatchScenario {
  private static final String FLOW = Started.class.getName();
  private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final boolean quick;
  private final Path dir;
  private Checks checks;

  /**
   * Where the measured runs executed: the process ids in the embedded node's runs' results, in the
   * remote node's, and the worker process's own pid.
   */
  record Checks(Set<Long> embeddedPids, Set<Long> remotePids, long workerPid) {}

  DispatchScenario(boolean quick, Path dir) {
    this.quick = quick;
    this.dir = dir;
  }

  /** The checks of the last {@link #run()}, or null before it. */
  Checks checks() {
    return checks;
  }

  List<Figure> run() throws Exception {
    int runs = quick ? 50 : 500;
    List<String> flows = List.of(FLOW);
    try (ScenarioNode embedded = ScenarioNode.start(dir.resolve("embedded"), "embedded", flows);
        ScenarioNode remote =
            ScenarioNode.start(
                dir.resolve("remote"), "remote", flows, "--kodo.worker.enabled=false")) {
      long workerPid = remote.startWorker("dispatch-1", flows, 100).pid();
      Bench local = embedded.bench(quick);
      Bench far = remote.bench(quick);
      measure(local, runs / 5);
      measure(far, runs / 5);
      Sample onEmbedded = measure(local, runs);
      Sample onRemote = measure(far, runs);
      checks = new Checks(onEmbedded.pids(), onRemote.pids(), workerPid);
      System.out.printf(
          Locale.ROOT,
          "dispatch: %,d runs of Started launched one at a time at 100/s on each node;"
              + " launch → running on a koco worker process (pid %d): p50 %.2f ms, p99 %.2f ms;"
              + " on the embedded worker: p50 %.2f ms, p99 %.2f ms%n",
          runs,
          workerPid,
          Bench.ms(onRemote.latency(), 50),
          Bench.ms(onRemote.latency(), 99),
          Bench.ms(onEmbedded.latency(), 50),
          Bench.ms(onEmbedded.latency(), 99));
      return List.of(
          figure("p50", onRemote.latency(), onEmbedded.latency(), 50),
          figure("p99", onRemote.latency(), onEmbedded.latency(), 99));
    } finally {
      ScenarioNode.delete(dir);
    }
  }

  private static Figure figure(String name, Histogram remote, Histogram embedded, double pct) {
    return new Figure(
        "launch → running, remote " + name,
        Bench.ms(remote, pct),
        "ms",
        Bench.ms(embedded, pct),
        "embedded worker " + name + " ms",
        false,
        Double.NaN);
  }

  /** The latencies of {@code runs} runs launched one at a time, and the pids they ran in. */
  record Sample(Histogram latency, Set<Long> pids) {}

  private static Sample measure(Bench bench, int runs) throws InterruptedException {
    NodeClient client = bench.client();
    List<String> fids = new ArrayList<>(runs);
    long[] launched = new long[runs];
    long start = System.nanoTime();
    for (int i = 0; i < runs; i++) {
      Pacing.parkUntil(start + i * INTERVAL_NANOS);
      launched[i] = Started.epochMicros();
      fids.add(client.launch(FLOW, Map.of()).fid());
    }
    EventStore store = bench.store();
    Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    Set<Long> pids = new TreeSet<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (int i = 0; i < runs; i++) {
      String fid = fids.get(i);
      while (!store.run(fid).orElseThrow().state().finished()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("run " + fid + " of " + FLOW + " did not end in 60 s");
        }
        Thread.sleep(2);
      }
      RunDocument r = client.run(fid);
      if (r.state() != RunState.DONE) {
        throw new IllegalStateException("run " + fid + " of " + FLOW + " ended " + r.state());
      }
      long started = r.result().findValue("startedMicros").asLong();
      pids.add(r.result().findValue("pid").asLong());
      latency.recordValue(Math.max(0, started - launched[i]));
    }
    return new Sample(latency, pids);
  }
}
