package dev.kodo.ui.registry;

import dev.kodo.registry.core.HealthSample;
import java.util.List;
import java.util.Locale;

/**
 * A node's recent health as a small line for an inline SVG (docs/ui.md#registry-pages): one point a
 * sample, oldest left, its availability (0..1) high or low, or online/offline where it was never
 * probed. Drawn with SVG attributes only, so the page needs no inline style (the
 * Content-Security-Policy forbids it).
 *
 * @param points the polyline's {@code points} attribute, empty when there is no history yet
 * @param label what the line shows, for screen readers
 */
public record Sparkline(String points, String label) {
  /** The drawing's width in SVG units (its {@code viewBox}). */
  public static final int WIDTH = 120;

  /** The drawing's height in SVG units. */
  public static final int HEIGHT = 24;

  /** Whether there is anything to draw. */
  public boolean empty() {
    return points.isEmpty();
  }

  /** The line of {@code samples}, oldest first. */
  public static Sparkline of(List<HealthSample> samples) {
    if (samples.isEmpty()) return new Sparkline("", "no history yet");
    // one sample is drawn as a flat line across
    List<HealthSample> line =
        samples.size() == 1 ? List.of(samples.get(0), samples.get(0)) : samples;
    int n = samples.size();
    StringBuilder out = new StringBuilder();
    double sum = 0;
    for (int i = 0; i < line.size(); i++) {
      double v = value(line.get(i));
      if (i < n) sum += v;
      double x = (double) i * WIDTH / (line.size() - 1);
      // 1 unit of margin, so that the line is not cut at the top and bottom edges
      double y = 1 + (1 - v) * (HEIGHT - 2);
      if (i > 0) out.append(' ');
      out.append(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
    }
    String label =
        String.format(
            Locale.ROOT,
            "%d sample%s, on average %.0f %% available",
            n,
            n == 1 ? "" : "s",
            100 * sum / n);
    return new Sparkline(out.toString(), label);
  }

  private static double value(HealthSample s) {
    if (s.availability() != null) return Math.max(0, Math.min(1, s.availability()));
    return s.online() ? 1 : 0;
  }
}
