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
 * @param note printed after the verdict (what the reader needs to weigh the figure, e.g. the
 *     machine's core count), or empty; a figure whose value is NaN was not measured and its row is
 *     the note alone (e.g. "skipped (no PostgreSQL)")
 */
record Figure(
    String name,
    double value,
    String unit,
    double baseline,
    String baselineName,
    boolean higherIsBetter,
    double target,
    boolean targetIsRatio,
    String note) {

  /** A figure whose target, if any, bounds its value. */
  Figure(
      String name,
      double value,
      String unit,
      double baseline,
      String baselineName,
      boolean higherIsBetter,
      double target) {
    this(name, value, unit, baseline, baselineName, higherIsBetter, target, false, "");
  }

  /** A figure whose target, if any, bounds its value ({@code targetIsRatio} false) or its ratio. */
  Figure(
      String name,
      double value,
      String unit,
      double baseline,
      String baselineName,
      boolean higherIsBetter,
      double target,
      boolean targetIsRatio) {
    this(name, value, unit, baseline, baselineName, higherIsBetter, target, targetIsRatio, "");
  }

  /** A figure that was not measured, and why ({@code reason}, e.g. "no PostgreSQL"). */
  static Figure skipped(String name, String reason) {
    return new Figure(
        name, Double.NaN, "", Double.NaN, "", true, Double.NaN, false, "skipped (" + reason + ")");
  }

  /** This figure with {@code note} printed after its verdict. */
  Figure withNote(String note) {
    return new Figure(
        name, value, unit, baseline, baselineName, higherIsBetter, target, targetIsRatio, note);
  }

  /**
   * This figure with a second target, on its ratio, judged in its note: issue 12's ratio targets
   * beside an earlier issue's absolute one (e.g. launches ≥ 1,000/s and ≥ 0.80 of a no-op POST).
   */
  Figure withRatioTarget(double ratioTarget) {
    Figure asRatio =
        ratioTarget(name, value, unit, baseline, baselineName, higherIsBetter, ratioTarget);
    return withNote(note.isEmpty() ? asRatio.verdict() : asRatio.verdict() + "  " + note);
  }

  /** Whether the figure was not measured ({@link #skipped}). */
  boolean isSkipped() {
    return Double.isNaN(value);
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
    if (isSkipped()) {
      return String.format(Locale.ROOT, "%-34s %s", name, note);
    }
    String row =
        String.format(
            Locale.ROOT,
            "%-34s %14s %-10s %14s %-24s %8.3f  %s",
            name,
            fmt(value),
            unit,
            fmt(baseline),
            baselineName,
            ratio(),
            verdict());
    return note.isEmpty() ? row : row + (verdict().isEmpty() ? "" : "  ") + note;
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
