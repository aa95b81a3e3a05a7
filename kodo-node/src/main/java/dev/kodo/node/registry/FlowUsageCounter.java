package dev.kodo.node.registry;

import dev.kodo.client.FlowUsage;
import dev.kodo.node.runs.RunListener;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Runs started and finished per flow in the last hour, in one-minute buckets, for the heartbeats
 * sent to registries. Counted by this node as it writes the runs' first and terminal events; lost
 * on restart; the run journal tells it as a {@link RunListener}. Thread-safe.
 */
@Component
public class FlowUsageCounter implements RunListener {
  private static final int MINUTES = 60;
  private final Clock clock;
  private final Map<String, Buckets> flows = new ConcurrentHashMap<>();

  public FlowUsageCounter(Clock clock) {
    this.clock = clock;
  }

  /** The runs of one flow, one bucket per minute of the last hour. Guarded by itself. */
  private static final class Buckets {
    final long[] minute = new long[MINUTES];
    final long[] started = new long[MINUTES];
    final long[] finished = new long[MINUTES];

    synchronized void add(long now, boolean start) {
      int i = (int) Math.floorMod(now, (long) MINUTES);
      if (minute[i] != now) {
        minute[i] = now;
        started[i] = 0;
        finished[i] = 0;
      }
      if (start) started[i]++;
      else finished[i]++;
    }

    synchronized long[] sum(long now) {
      long s = 0;
      long f = 0;
      for (int i = 0; i < MINUTES; i++) {
        if (minute[i] > now - MINUTES && minute[i] <= now) {
          s += started[i];
          f += finished[i];
        }
      }
      return new long[] {s, f};
    }
  }

  private long minute() {
    return Math.floorDiv(clock.millis(), 60_000L);
  }

  /** A run of this flow was launched. */
  @Override
  public void started(String flow) {
    if (flow != null) flows.computeIfAbsent(flow, k -> new Buckets()).add(minute(), true);
  }

  /** A run of this flow ended (finished, failed or was killed). */
  @Override
  public void finished(String flow) {
    if (flow != null) flows.computeIfAbsent(flow, k -> new Buckets()).add(minute(), false);
  }

  /** The runs of this flow started and finished in the last hour. */
  public FlowUsage lastHour(String flow) {
    Buckets b = flows.get(flow);
    long[] sum = b == null ? new long[2] : b.sum(minute());
    return new FlowUsage(sum[0], sum[1]);
  }
}
