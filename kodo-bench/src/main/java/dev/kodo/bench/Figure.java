package dev.kodo.bench;

import java.util.Locale;

/**
 * One measured figure beside its baseline from the same run.
 *
 * @param higherIsBetter whether a larger value is better (throughput) or worse (latency)
 * @param target the target for {@code value} (or, with {@code targetIsRatio}, for {@link
 *     #ratio()}), or NaN for none
 * @param targetIsRatio whether {@code target} bounds the ratio to the baseline rather than the
 *     value itself: a cost measured against the same thing without it (auth on vs. {@code
 *     --no-auth}), where an absolute figure would say more about the machine than about Kodo
 */
record Figure(
    String name,
    double value,
    String unit,
    double baseline,
    String baselineName,
    boolean higherIsBetter,
    double target,
    boolean targetIsRatio) {

  /** A figure whose target, if any, bounds its value. */
  Figure(
      String name,
      double value,
      String unit,
      double baseline,
      String baselineName,
      boolean higherIsBetter,
      double target) {
    this(name, value, unit, baseline, baselineName, higherIsBetter, target, false);
  }

  /** A figure whose target bounds its ratio to the baseline. */
  static Figure ratioTarget(
      String name,
      double value,
      String unit,
      double baseline,
      String baselineName,
      boolean higherIsBetter,
      double ratioTarget) {
    return new Figure(name, value, unit, baseline, baselineName, higherIsBetter, ratioTarget, true);
  }

  double ratio() {
    return value / baseline;
  }

  String verdict() {
    if (Double.isNaN(target)) return "";
    double measured = targetIsRatio ? ratio() : value;
    boolean met = higherIsBetter ? measured >= target : measured <= target;
    return String.format(
        Locale.ROOT,
        "%s (target %s%s %s)",
        met ? "MET" : "MISSED",
        targetIsRatio ? "ratio " : "",
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
