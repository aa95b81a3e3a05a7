package dev.kodo.registry.core.internal;

import java.util.Arrays;

/**
 * The outcomes of the last {@value #WINDOW} probes of a node, oldest first, from which its
 * availability (share of successes) and latency (mean time of the successes) follow. Immutable.
 */
final class Probes {
  static final int WINDOW = 20;
  static final Probes NONE = new Probes(new boolean[0], new double[0]);

  private final boolean[] ok;
  private final double[] millis;

  private Probes(boolean[] ok, double[] millis) {
    this.ok = ok;
    this.millis = millis;
  }

  Probes plus(boolean success, double latencyMillis) {
    int keep = Math.min(ok.length, WINDOW - 1);
    boolean[] o = Arrays.copyOf(Arrays.copyOfRange(ok, ok.length - keep, ok.length), keep + 1);
    double[] m =
        Arrays.copyOf(Arrays.copyOfRange(millis, millis.length - keep, millis.length), keep + 1);
    o[keep] = success;
    m[keep] = latencyMillis;
    return new Probes(o, m);
  }

  boolean isEmpty() {
    return ok.length == 0;
  }

  double availability() {
    int n = 0;
    for (boolean b : ok) if (b) n++;
    return ok.length == 0 ? Double.NaN : (double) n / ok.length;
  }

  double latency() {
    double sum = 0;
    int n = 0;
    for (int i = 0; i < ok.length; i++) {
      if (ok[i]) {
        sum += millis[i];
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }
}
