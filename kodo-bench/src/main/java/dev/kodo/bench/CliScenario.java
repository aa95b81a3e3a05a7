package dev.kodo.bench;

import dev.kodo.cli.KocoProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The command line's start (issue 12, scenario {@code cli}): the wall time of {@code koco flows}
 * against the bench's running node, from starting the process to its exit, the median of {@value
 * #TIMES} after one unmeasured call (which also lets {@code ./koco} make its class data archive
 * when the jars are newer than it, docs/architecture.md#koco), beside the median wall time of
 * {@code java -version} of the same JDK measured in the same run: the floor any JVM command pays.
 * Both are timed once the machine is at rest ({@link Settle}): the scenario before this one leaves
 * the bench's node collecting the garbage of 30,000 released runs, which a user's node at rest does
 * not make {@code koco flows} wait for.
 *
 * <p>{@code koco flows} is started as a user starts it: the {@code koco} script of the checkout the
 * bench runs from ({@code -Dkoco.home}, which {@code ./koco bench} sets), with {@code
 * KOCO_SKIP_BUILD=1} so that a source newer than the last build cannot start a build in the middle
 * of the bench (the script's check whether one is needed is skipped too, so the figure is the JVM's
 * and the CLI's). Without {@code koco.home} (the main class run directly), it is {@link
 * KocoProcess}: the CLI's main class with this JVM's class path and the service flags, and the row
 * says so.
 */
final class CliScenario {
  private static final int TIMES = 5;
  // Timed once the CPUs are busy under a quarter of a second, waiting 30 s at most.
  private static final double BUSY_AT_REST = 0.25;
  private static final Duration SETTLE_MAX = Duration.ofSeconds(30);

  private final Bench bench;
  private final Path dir;

  CliScenario(Bench bench, Path dir) {
    this.bench = bench;
    this.dir = dir;
  }

  Figure run() throws Exception {
    Files.createDirectories(dir);
    String home = System.getProperty("koco.home");
    Path script = home == null ? null : Path.of(home, "koco");
    boolean viaScript = script != null && Files.isExecutable(script);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String node = bench.uri().toString();
    Call flows = viaScript ? () -> timeScript(script, node) : () -> timeKocoProcess(node);
    Call version = () -> time(new ProcessBuilder(java, "-version"), "java -version", null);
    String rest = Settle.await(BUSY_AT_REST, SETTLE_MAX);
    flows.call();
    version.call();
    double[] cli = new double[TIMES];
    double[] jvm = new double[TIMES];
    for (int i = 0; i < TIMES; i++) {
      cli[i] = flows.call();
      jvm[i] = version.call();
    }
    double cliMedian = median(cli);
    double jvmMedian = median(jvm);
    String how = viaScript ? script + " (KOCO_SKIP_BUILD=1)" : "KocoProcess (no koco.home)";
    System.out.printf(
        Locale.ROOT,
        "cli: koco flows --node %s via %s: %s s, median %.3f s; java -version: %s s, median"
            + " %.3f s; the machine %s%n",
        node,
        how,
        round(cli),
        cliMedian,
        round(jvm),
        jvmMedian,
        rest);
    Figure f =
        new Figure(
            "koco flows wall time (median)",
            cliMedian,
            "s",
            jvmMedian,
            "s java -version",
            false,
            0.3);
    return viaScript ? f : f.withNote("via KocoProcess, not ./koco");
  }

  /** One timed call: the seconds from starting the process to its exit. */
  private interface Call {
    double call() throws Exception;
  }

  private double timeScript(Path script, String node) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(script.toString(), "flows", "--node", node);
    pb.environment().put("KOCO_SKIP_BUILD", "1");
    pb.environment().put("NO_COLOR", "1");
    return time(pb, "koco flows", "dev.kodo.bench.Noop");
  }

  private double timeKocoProcess(String node) throws Exception {
    Path log = dir.resolve("flows-" + System.nanoTime() + ".log");
    long start = System.nanoTime();
    try (KocoProcess p = KocoProcess.start(log, Map.of(), List.of(), "flows", "--node", node)) {
      if (!p.process().waitFor(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("koco flows did not exit within 60 s:\n" + p.output());
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      check("koco flows", p.process().exitValue(), p.output(), "dev.kodo.bench.Noop");
      return seconds;
    }
  }

  /**
   * Runs {@code pb} to its exit, its output in a file; fails if it exits non-zero or its output
   * lacks {@code expect} (null: anything goes).
   */
  private double time(ProcessBuilder pb, String what, String expect) throws Exception {
    Path log = dir.resolve("out-" + System.nanoTime() + ".log");
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    long start = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(what + " did not exit within 60 s");
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    check(what, p.exitValue(), Files.readString(log), expect);
    return seconds;
  }

  private static void check(String what, int exit, String output, String expect) {
    if (exit != 0 || (expect != null && !output.contains(expect))) {
      throw new IllegalStateException(
          what
              + " exited with "
              + exit
              + (expect == null ? "" : ", expected " + expect)
              + " in its output:\n"
              + output);
    }
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static List<Double> round(double[] values) {
    List<Double> r = new ArrayList<>();
    for (double v : values) r.add(Math.round(v * 1000) / 1000.0);
    return r;
  }
}
