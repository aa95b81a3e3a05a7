package dev.kodo.ui.runs;

import dev.kodo.client.Event;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The run page's header figures (docs/ui.md#the-run-page): how many events the caller sees, their
 * payload size in bytes, and an events-over-time sparkline as the points of an SVG polyline drawn
 * on the server (no script, no style attribute: the Content-Security-Policy allows neither inline).
 * Fed one event at a time, in order; at most {@link #MAX_EVENTS} are read, and {@link #partial()}
 * says when the run has more. Not thread-safe: one per page view.
 */
public final class EventActivity {
  /** Events read for one page view at most: the header's work stays bounded. */
  static final int MAX_EVENTS = 20_000;

  static final int BUCKETS = 48;
  static final int WIDTH = 120;
  static final int HEIGHT = 24;

  private final Instant start;
  private final Instant end;
  private final long[] buckets = new long[BUCKETS];
  private long count;
  private long bytes;
  private boolean partial;

  /** Activity between {@code start} (the run's creation) and {@code end} (its end, or now). */
  EventActivity(Instant start, Instant end) {
    this.start = start;
    this.end = end.isAfter(start) ? end : start.plusMillis(1);
  }

  /** Counts one event; false once {@link #MAX_EVENTS} were counted (stop reading). */
  boolean add(Event e) {
    if (count >= MAX_EVENTS) {
      partial = true;
      return false;
    }
    count++;
    bytes += e.data().getBytes(StandardCharsets.UTF_8).length;
    long span = Duration.between(start, end).toMillis();
    long at = Math.clamp(Duration.between(start, e.ts()).toMillis(), 0, span);
    int i = (int) Math.min(BUCKETS - 1, at * BUCKETS / Math.max(1, span));
    buckets[i]++;
    return true;
  }

  public long count() {
    return count;
  }

  public boolean partial() {
    return partial;
  }

  /** The payload size, e.g. {@code 812 B}, {@code 14.2 kB}, {@code 3.1 MB}. */
  public String size() {
    if (bytes < 1000) return bytes + " B";
    if (bytes < 1_000_000) return String.format(Locale.ROOT, "%.1f kB", bytes / 1000.0);
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
  }

  /** The polyline's points in a {@value #WIDTH}×{@value #HEIGHT} box, the busiest bucket on top. */
  public String points() {
    long max = 1;
    for (long b : buckets) max = Math.max(max, b);
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < BUCKETS; i++) {
      double x = i * (double) WIDTH / (BUCKETS - 1);
      double y = HEIGHT - 1 - (HEIGHT - 2) * (double) buckets[i] / max;
      if (i > 0) s.append(' ');
      s.append(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
    }
    return s.toString();
  }

  /** The busiest bucket's count, for the sparkline's text alternative. */
  public long peak() {
    long max = 0;
    for (long b : buckets) max = Math.max(max, b);
    return max;
  }
}
