package dev.kodo.bench;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The CPU time of the bench JVM's Java threads — the node's, its worker's and the bench's own load
 * clients', carriers of virtual threads included — without the JIT compiler's and the garbage
 * collector's, which the JVM does not list among them. Printed per request beside a rate: the rates
 * move with whatever else the machine does and with how far the JIT has got, the work a request
 * costs much less (docs/performance.md).
 */
final class AppCpu {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private AppCpu() {}

  /** The CPU time of the JVM's live Java threads so far, in nanoseconds. */
  static long nanos() {
    long sum = 0;
    for (long t : THREADS.getThreadCpuTime(THREADS.getAllThreadIds())) {
      if (t > 0) sum += t;
    }
    return sum;
  }

  /** Microseconds of CPU per operation since {@code start} (a {@link #nanos()} reading). */
  static double microsPer(long start, int operations) {
    return (nanos() - start) / 1e3 / operations;
  }

  /** "application CPU per launch 700 µs, per no-op POST 430 µs (1.63×)". */
  static String describe(String what, double micros, double noopMicros) {
    return String.format(
        Locale.ROOT,
        "application CPU per %s %,.0f µs, per no-op POST %,.0f µs (%.2f×; JIT and GC threads not"
            + " counted)",
        what,
        micros,
        noopMicros,
        micros / noopMicros);
  }
}
