package dev.kodo.web;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task run every interval on a daemon thread of its own, first after one interval; a failing run
 * is logged and the next one runs as planned. A zero interval runs nothing. {@link #close} stops
 * it.
 */
public final class Periodic implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Periodic.class);
  private final ScheduledExecutorService executor;

  private Periodic(ScheduledExecutorService executor) {
    this.executor = executor;
  }

  /** Runs {@code task} every {@code interval} (nothing if the interval is zero or negative). */
  public static Periodic every(String name, Duration interval, Runnable task) {
    if (interval == null || interval.isZero() || interval.isNegative()) return new Periodic(null);
    ScheduledExecutorService ex =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name(name).unstarted(r));
    long millis = Math.max(1, interval.toMillis());
    ex.scheduleWithFixedDelay(
        () -> {
          try {
            task.run();
          } catch (Throwable e) {
            // A scheduled task that throws is never run again: log, and go on at the next interval.
            log.warn("{} failed: {}", name, e.toString());
          }
        },
        millis,
        millis,
        TimeUnit.MILLISECONDS);
    return new Periodic(ex);
  }

  /** Runs {@code task} once, soon, on this task's thread (nothing if the interval was zero). */
  public void soon(Runnable task) {
    if (executor != null && !executor.isShutdown()) executor.execute(task);
  }

  @Override
  public void close() {
    if (executor == null) return;
    executor.shutdownNow();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
