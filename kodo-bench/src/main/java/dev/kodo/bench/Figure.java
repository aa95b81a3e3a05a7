package dev.kodo.bench;

import java.util.Locale;

/**
 * One measured figure beside its baseline from the same run.
 *
 * @param higherIsBetter whether a larger value is better (throughput) or worse (latency)
 * @param target the target for {@code value}, or NaN for none
 */
record Figure(
    String name,
    double value,
    String unit,
    double baseline,
    String baselineName,
    boolean higherIsBetter,
    double target) {

  double ratio() {
    return value / baseline;
  }

  String verdict() {
    if (Double.isNaN(target)) return "";
    boolean met = higherIsBetter ? value >= target : value <= target;
    return String.format(
        Locale.ROOT,
        "%s (target %s %s)",
        met ? "MET" : "MISSED",
        higherIsBetter ? "≥" : "≤",
        fmt(target));
  }

  static String fmt(double v) {
    if (v >= 100) return String.format(Locale.ROOT, "%,.0f", v);
    if (v >= 10) return String.format(Locale.ROOT, "%.1f", v);
    return String.format(Locale.ROOT, "%.2f", v);
  }

  String row() {
    return String.format(
        Locale.ROOT,
        "%-34s %14s %-10s %14s %-24s %8.3f  %s",
        name,
        fmt(value),
        unit,
        fmt(baseline),
        baselineName,
        ratio(),
        verdict());
  }

  static String header() {
    return String.format(
        Locale.ROOT,
        "%-34s %14s %-10s %14s %-24s %8s  %s",
        "figure",
        "kodo",
        "",
        "baseline",
        "(same run)",
        "ratio",
        "target");
  }
}
