package dev.kodo.bench;

import dev.kodo.client.RunState;
import dev.kodo.cluster.WorkerInfo;
import dev.kodo.examples.HashChain;
import dev.kodo.store.EventStore;
import dev.kodo.store.RunQuery;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Scale-out (issue 13, scenario {@code workers}): runs/s of the CPU-bound example flow {@link
 * HashChain} (about 20 ms of one core a run) on a node without a worker of its own ({@code
 * --no-worker}, in the bench's JVM) with one {@code koco worker} process, then with two, in the
 * same run; the ratio two ÷ one beside the machine's core count. Both worker processes share the
 * machine's cores with each other and with the node, so on 2 cores the ratio is expected near 1:
 * the figure shows what a second machine would add only where the first one's cores are not all
 * busy. Each measurement launches its runs from 16 clients and waits until all are {@code done},
 * after a warm-up of a quarter as many; meanwhile the scenario records each worker's highest load
 * ({@link #peakLoads()}): the runs really executed in the worker processes.
 */
final class WorkersScenario {
  private static final String FLOW = HashChain.class.getName();
  private static final String LAUNCH = "{\"flow\":\"" + FLOW + "\",\"inputs\":{}}";
  private static final int CONCURRENCY = 16;
  private static final int CAPACITY = 8;

  private final boolean quick;
  private final Path dir;
  private final Map<String, Integer> peakLoads = new TreeMap<>();

  WorkersScenario(boolean quick, Path dir) {
    this.quick = quick;
    this.dir = dir;
  }

  /** Each worker's highest load (runs executing at once) seen while measuring, by name. */
  Map<String, Integer> peakLoads() {
    return peakLoads;
  }

  List<Figure> run() throws Exception {
    int runs = quick ? 60 : 300;
    int cores = Runtime.getRuntime().availableProcessors();
    try (ScenarioNode node =
        ScenarioNode.start(dir, "workers", List.of(FLOW), "--kodo.worker.enabled=false")) {
      node.startWorker("cpu-1", List.of(FLOW), CAPACITY);
      measure(node, runs / 4);
      double one = runs / measure(node, runs);
      node.startWorker("cpu-2", List.of(FLOW), CAPACITY);
      measure(node, runs / 4);
      double two = runs / measure(node, runs);
      System.out.printf(
          Locale.ROOT,
          "workers: %,d runs of HashChain (%,d SHA-256 rounds each) from %d clients on a node with"
              + " --no-worker: %,.1f runs/s with 1 koco worker process, %,.1f runs/s with 2"
              + " (capacity %d each; peak loads %s); %d cores: the workers share them, so on 2 cores"
              + " the ratio is expected ≈ 1%n",
          runs,
          HashChain.DEFAULT_ROUNDS,
          CONCURRENCY,
          one,
          two,
          CAPACITY,
          peakLoads,
          cores);
      return List.of(
          new Figure(
                  "runs/s, 2 remote workers (CPU)",
                  two,
                  "runs/s",
                  one,
                  "runs/s with 1 worker",
                  true,
                  Double.NaN)
              .withNote(
                  cores
                      + " cores"
                      + (cores <= 2 ? " (workers share them: ratio ≈ 1 expected)" : "")));
    }
  }

  /**
   * Launches {@code runs} runs of {@link HashChain} and waits until all are done; returns the
   * seconds from the first launch.
   */
  private double measure(ScenarioNode node, int runs) throws InterruptedException {
    Bench bench = node.bench(quick);
    EventStore store = bench.store();
    URI uri = bench.uri();
    long before = done(store);
    long start = System.nanoTime();
    AtomicReference<RuntimeException> failed = new AtomicReference<>();
    Thread launcher =
        Thread.ofPlatform()
            .name("bench-workers-launch")
            .start(
                () -> {
                  try {
                    Load.run(uri, runs, CONCURRENCY, "/api/runs", LAUNCH, 201);
                  } catch (RuntimeException e) {
                    failed.set(e);
                  }
                });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    long n;
    while ((n = done(store) - before) < runs) {
      if (failed.get() != null) {
        throw failed.get();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "only " + n + " of " + runs + " runs of " + FLOW + " were done after 120 s");
      }
      for (WorkerInfo w : node.workers()) {
        peakLoads.merge(w.name(), w.load(), Math::max);
      }
      Thread.sleep(20);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    launcher.join();
    return seconds;
  }

  private static long done(EventStore store) {
    return store
        .runs(new RunQuery(Set.of(RunState.DONE), FLOW, null, null, List.of(), 0, 1))
        .filtered();
  }
}
