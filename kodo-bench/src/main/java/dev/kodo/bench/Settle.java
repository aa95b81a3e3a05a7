package dev.kodo.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Waits until the machine is at rest before a scenario that times single processes ({@link
 * CliScenario}): a wall time of a few hundred milliseconds measured while the previous scenario's
 * node still collects its garbage or ends its runs measures that work, not the command (README,
 * Benchmarks). At rest means the machine's CPUs, all processes together, were busy less than a
 * given share of one second; read from {@code /proc/stat}, so on Linux only: elsewhere it does not
 * wait.
 */
final class Settle {
  private static final Path STAT = Path.of("/proc/stat");
  private static final Duration WINDOW = Duration.ofSeconds(1);

  private Settle() {}

  /**
   * Collects the garbage, then waits until one second had the CPUs busy under {@code busyBelow}
   * (0–1) or {@code max} has passed; returns a line saying which, and after how long.
   */
  static String await(double busyBelow, Duration max) throws InterruptedException {
    long start = System.nanoTime();
    System.gc();
    double busy = Double.NaN;
    long[] before = ticks();
    while (before != null && System.nanoTime() - start < max.toNanos()) {
      Thread.sleep(WINDOW.toMillis());
      long[] after = ticks();
      if (after == null) break;
      long total = after[0] - before[0];
      busy = total <= 0 ? 0 : (double) (after[1] - before[1]) / total;
      if (busy < busyBelow) {
        return String.format(
            Locale.ROOT,
            "at rest after %.1f s (CPUs %.0f%% busy)",
            (System.nanoTime() - start) / 1e9,
            busy * 100);
      }
      before = after;
    }
    return Double.isNaN(busy)
        ? "not checked for rest (no /proc/stat)"
        : String.format(
            Locale.ROOT,
            "not at rest after %d s (CPUs %.0f%% busy): timed anyway",
            max.toSeconds(),
            busy * 100);
  }

  /** All CPUs' ticks in total and busy (not idle or waiting for I/O); null if unreadable. */
  private static long[] ticks() {
    try {
      String[] f = Files.readAllLines(STAT).getFirst().trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length && i <= 8; i++) total += Long.parseLong(f[i]);
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new long[] {total, total - idle};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
