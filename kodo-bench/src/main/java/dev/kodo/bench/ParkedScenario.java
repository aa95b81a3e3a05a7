package dev.kodo.bench;

import dev.kodo.client.RunState;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parked runs (issue 12, scenario {@code parked}): N runs of {@link Approve} (100,000; 10,000 with
 * {@code --quick}) all locked at once; the heap in use after a full collection ({@link
 * Bench.Memory}: {@code System.gc()} and the MemoryMXBean) before launching and with all of them
 * locked, divided by N, is the heap a parked run costs; then every lock is answered and every run
 * must reach {@code final}; releases/s beside the same server's no-op POST/s.
 *
 * <p>The runs are launched in rounds of {@value #ROUND}, each parked before the next; launching
 * stops early, with the N reached and why, once the launches have taken {@value
 * #LAUNCH_BUDGET_SECONDS} s (the whole bench stays under about 5 minutes; {@code
 * -Dkodo.bench.parked.budget=0} lifts it), when the node refuses a launch, or when the heap in use
 * passes 80 % of the maximum heap. {@code ./koco bench} gives the bench's JVM no {@code -Xmx}: its
 * maximum heap is the JVM's default, a quarter of the machine's memory, printed with the figures.
 */
final class ParkedScenario {
  /** Runs parked at full size (issue 12's 100,000). */
  static final int FULL = 100_000;

  private static final String FLOW = Approve.class.getName();
  private static final String LAUNCH = "{\"flow\":\"" + FLOW + "\",\"inputs\":{}}";
  private static final int CONCURRENCY = 64;
  private static final int ROUND = 5_000;
  static final int LAUNCH_BUDGET_SECONDS = 10;
  // -Dkodo.bench.parked.budget=0: no time budget, to park all 100,000 once (a few minutes).
  private static final int BUDGET =
      Integer.getInteger("kodo.bench.parked.budget", LAUNCH_BUDGET_SECONDS);

  // -Dkodo.bench.parked.hold=S: wait S seconds before launching and again with every run locked,
  // printing when, so that a class histogram of this JVM (jcmd <pid> GC.class_histogram) can be
  // taken idle and parked (docs/performance.md#parked-runs).
  private static final int HOLD = Integer.getInteger("kodo.bench.parked.hold", 0);

  private final Bench bench;

  ParkedScenario(Bench bench) {
    this.bench = bench;
  }

  List<Figure> run() throws Exception {
    // -Dkodo.bench.parked.runs=N (with budget=0): the same N in every run, to compare two builds.
    int wanted = Integer.getInteger("kodo.bench.parked.runs", bench.quick() ? 10_000 : FULL);
    long locked0 = bench.count(FLOW, RunState.LOCKED);
    if (locked0 != 0) {
      throw new IllegalStateException(
          locked0 + " runs of " + FLOW + " are locked before the scenario starts");
    }
    long doneBefore = bench.count(FLOW, RunState.DONE);
    long maxHeap = Runtime.getRuntime().maxMemory();
    boolean xmx =
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .anyMatch(a -> a.startsWith("-Xmx") || a.startsWith("-XX:MaxHeapSize"));
    Bench.Memory idle = Bench.Memory.measure();
    hold("idle");
    int launched = 0;
    double firstPerRun = Double.NaN;
    String stopped = null;
    long start = System.nanoTime();
    while (launched < wanted) {
      int round = Math.min(ROUND, wanted - launched);
      Load.Result r =
          Load.tally(bench.uri(), round, CONCURRENCY, "POST", i -> "/api/runs", i -> LAUNCH, 201);
      launched += round - r.failures();
      if (r.failures() > 0) {
        // E.g. 503 "Run queue full": more runs wait for the worker than the cluster's queue holds.
        stopped =
            String.format(
                Locale.ROOT,
                "%,d launches refused after %,d, the first: %s",
                r.failures(),
                launched,
                r.firstFailure());
        break;
      }
      // Each round parks before the next is launched: what is measured is runs parked at once,
      // not how many launches the flow's run queue (Cluster.MAX_QUEUED_RUNS) lets wait.
      bench.awaitCount(FLOW, RunState.LOCKED, launched, 300);
      if (launched == ROUND && launched < wanted) {
        // The same measure with the first round parked: does the cost a run grow with N?
        firstPerRun = (Bench.Memory.measure().heapBytes() - idle.heapBytes()) / (double) launched;
      }
      double took = (System.nanoTime() - start) / 1e9;
      if (launched % 20_000 == 0) {
        System.out.printf(
            Locale.ROOT,
            "parked: %,d runs locked after %.1f s, heap in use %,d MB%n",
            launched,
            took,
            ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20);
      }
      long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      if (launched < wanted && BUDGET > 0 && took > BUDGET) {
        stopped =
            String.format(
                Locale.ROOT,
                "launches took %.0f s (%,.0f runs/s), over the %d s budget",
                took,
                launched / took,
                BUDGET);
        break;
      }
      if (launched < wanted && used > maxHeap * 0.8) {
        stopped =
            String.format(
                Locale.ROOT,
                "heap in use %,d MB, over 80 %% of the maximum %,d MB",
                used >> 20,
                maxHeap >> 20);
        break;
      }
    }
    double launchSeconds = (System.nanoTime() - start) / 1e9;
    bench.awaitCount(FLOW, RunState.LOCKED, launched, 300);
    double parkSeconds = (System.nanoTime() - start) / 1e9;
    Bench.Memory locked = Bench.Memory.measure();
    hold("locked");
    double perRun = (locked.heapBytes() - idle.heapBytes()) / (double) launched;
    System.out.printf(
        Locale.ROOT,
        "parked: %,d of %,d runs of Approve launched in %.2f s from %d clients%s, all locked after"
            + " %.2f s; heap in use after GC %,.0f → %,.0f MB (%,.2f KB a run), max heap %,d MB (%s);"
            + " RSS %,.0f → %,.0f MB%n",
        launched,
        wanted,
        launchSeconds,
        CONCURRENCY,
        stopped == null ? "" : " (stopped: " + stopped + ")",
        parkSeconds,
        idle.heapMb(),
        locked.heapMb(),
        perRun / 1024,
        maxHeap >> 20,
        xmx ? "-Xmx given" : "no -Xmx: the JVM's default",
        idle.rssMb(),
        locked.rssMb());

    List<String> answers = bench.lockPaths(FLOW, launched);
    // The baseline's rate needs no more requests than a few seconds' worth.
    int noops = Math.min(launched, 5_000);
    double noopSeconds =
        Load.run(bench.uri(), noops, CONCURRENCY, "/bench/noop", "{\"ok\":true}", 200);
    long releaseStart = System.nanoTime();
    double releaseSeconds =
        Load.run(bench.uri(), launched, CONCURRENCY, answers::get, "{\"ok\":true}", 200);
    bench.awaitCount(FLOW, RunState.DONE, doneBefore + launched, 300);
    double finalSeconds = (System.nanoTime() - releaseStart) / 1e9;
    long stillLocked = bench.count(FLOW, RunState.LOCKED);
    if (stillLocked != 0) {
      throw new IllegalStateException(
          stillLocked + " runs of " + FLOW + " are still locked after every answer was accepted");
    }
    System.out.printf(
        Locale.ROOT,
        "parked: %,d locks released (200) in %.2f s from %d clients, all %,d runs final after"
            + " %.2f s; %,d no-op POSTs in %.2f s%n",
        launched,
        releaseSeconds,
        CONCURRENCY,
        launched,
        finalSeconds,
        noops,
        noopSeconds);
    String n = String.format(Locale.ROOT, "%,d", launched);
    String why =
        stopped == null
            ? ""
            : String.format(Locale.ROOT, "N %,d of %,d: %s", launched, wanted, stopped);
    List<Figure> figures = new ArrayList<>();
    figures.add(
        new Figure(
                "heap per parked run, " + n,
                perRun / 1024,
                "KB/run",
                firstPerRun / 1024,
                String.format(Locale.ROOT, "KB/run at %,d parked", ROUND),
                false,
                5)
            .withNote(why));
    // Issue 12's bound: 100,000 locked runs in at most 1 GB of heap (only for that N).
    figures.add(
        new Figure(
                "heap in use, " + n + " parked runs",
                locked.heapMb(),
                "MB",
                idle.heapMb(),
                "MB before launching",
                false,
                launched == 100_000 ? 1024 : Double.NaN)
            .withNote(
                String.format(
                    Locale.ROOT,
                    "max heap %,d MB (%s)",
                    maxHeap >> 20,
                    xmx ? "-Xmx" : "JVM default, no -Xmx")));
    figures.add(
        new Figure(
            "releases of " + n + " parked runs",
            launched / releaseSeconds,
            "releases/s",
            noops / noopSeconds,
            "no-op POST/s",
            true,
            Double.NaN));
    return figures;
  }

  private static void hold(String state) throws InterruptedException {
    if (HOLD > 0) {
      System.out.printf(
          Locale.ROOT,
          "parked: holding %d s (%s), pid %d%n",
          HOLD,
          state,
          ProcessHandle.current().pid());
      Thread.sleep(HOLD * 1000L);
    }
  }
}
