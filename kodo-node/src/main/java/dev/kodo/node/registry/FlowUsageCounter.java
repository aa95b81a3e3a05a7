package dev.kodo.node.registry;

import dev.kodo.client.FlowUsage;
import dev.kodo.client.RunUsage;
import dev.kodo.node.runs.RunListener;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Runs started and finished per flow in the last hour, and their model calls (calls, input and
 * output tokens, cost), in one-minute buckets, for the heartbeats sent to registries. Counted by
 * this node as it writes the runs' first and terminal events and their {@code llm} actions; lost on
 * restart; the run journal tells it as a {@link RunListener}. Thread-safe.
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
    final long[] calls = new long[MINUTES];
    final long[] inputTokens = new long[MINUTES];
    final long[] outputTokens = new long[MINUTES];
    final double[] cost = new double[MINUTES];

    /** The bucket of this minute, emptied if it still holds an older minute. */
    private int bucket(long now) {
      int i = (int) Math.floorMod(now, (long) MINUTES);
      if (minute[i] != now) {
        minute[i] = now;
        started[i] = 0;
        finished[i] = 0;
        calls[i] = 0;
        inputTokens[i] = 0;
        outputTokens[i] = 0;
        cost[i] = 0;
      }
      return i;
    }

    synchronized void add(long now, boolean start) {
      int i = bucket(now);
      if (start) started[i]++;
      else finished[i]++;
    }

    synchronized void add(long now, RunUsage call) {
      int i = bucket(now);
      calls[i] += call.calls();
      inputTokens[i] += call.inputTokens();
      outputTokens[i] += call.outputTokens();
      if (call.cost() != null) cost[i] += call.cost();
    }

    synchronized FlowUsage sum(long now) {
      double s = 0;
      double f = 0;
      double c = 0;
      double in = 0;
      double out = 0;
      double money = 0;
      for (int i = 0; i < MINUTES; i++) {
        if (minute[i] > now - MINUTES && minute[i] <= now) {
          s += started[i];
          f += finished[i];
          c += calls[i];
          in += inputTokens[i];
          out += outputTokens[i];
          money += cost[i];
        }
      }
      return new FlowUsage(s, f, c, in, out, money);
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

  /** A run of this flow recorded a model call. */
  @Override
  public void modelCall(String flow, RunUsage call) {
    if (flow != null) flows.computeIfAbsent(flow, k -> new Buckets()).add(minute(), call);
  }

  /** The runs of this flow started and finished, and their model calls, in the last hour. */
  public FlowUsage lastHour(String flow) {
    Buckets b = flows.get(flow);
    return b == null ? FlowUsage.NONE : b.sum(minute());
  }
}
