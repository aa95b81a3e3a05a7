package dev.kodo.node.runs;

import dev.kodo.client.EventType;
import dev.kodo.cluster.Cluster;
import dev.kodo.cluster.RunTicket;
import dev.kodo.cluster.WorkerInfo;
import dev.kodo.engine.EventData;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches runs dispatched while no live worker offers their flow (docs/architecture.md#dispatch):
 * such a run says so in a {@code progress} event and waits in its flow's queue; if still no live
 * worker offers the flow when {@code kodo.node.no-worker-timeout} has passed, the run is taken off
 * the queue and ends with {@code fatal} / {@code no-worker}. A run whose flow some worker offers
 * waits for room as long as it takes (back-pressure), and is not watched.
 *
 * <p>Thread-safe; checks run on one daemon thread of its own.
 */
final class NoWorkerWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NoWorkerWatch.class);
  private static final long OFFERED_FOR_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Cluster cluster;
  private final RunJournal journal;
  private final Duration timeout;

  /**
   * Until when (nanoTime) a flow is known to be offered: launches skip the cluster read meanwhile.
   */
  private final java.util.concurrent.ConcurrentHashMap<String, Long> offeredUntil =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("kodo-no-worker").unstarted(r));

  NoWorkerWatch(Cluster cluster, RunJournal journal, Duration timeout) {
    this.cluster = cluster;
    this.journal = journal;
    this.timeout = timeout;
  }

  /** Whether a live worker offers {@code flow} now. */
  boolean offered(String flow) {
    for (WorkerInfo w : cluster.workers()) {
      if (w.offers(flow)) {
        return true;
      }
    }
    return false;
  }

  /** Called once {@code ticket} is on the cluster: watches it if no live worker offers its flow. */
  void dispatched(RunTicket ticket) {
    // A flow seen offered within the last second is not looked up again: reading kodo.workers on
    // every launch was the watch's whole cost on the launch path. "Not offered" is never cached, so
    // the progress it writes is always current.
    Long until = offeredUntil.get(ticket.flow());
    if (until != null && System.nanoTime() - until < 0) {
      return;
    }
    try {
      if (offered(ticket.flow())) {
        offeredUntil.put(ticket.flow(), System.nanoTime() + OFFERED_FOR_NANOS);
        return;
      }
    } catch (RuntimeException e) {
      log.debug("run {}: could not read the workers: {}", ticket.fid(), e.toString());
      return;
    }
    try {
      RunService.join(
          journal.appendWhileRunning(
              ticket.fid(),
              EventType.PROGRESS,
              EventData.progress(
                  0,
                  "no live worker offers flow "
                      + ticket.flow()
                      + "; the run waits up to "
                      + timeout.toSeconds()
                      + " s for one (start a worker with it: koco worker --flows "
                      + ticket.flow()
                      + ")")));
    } catch (RunJournal.RunEndedException e) {
      return;
    } catch (RuntimeException e) {
      log.warn("run {}: could not record that no worker offers its flow: {}", ticket.fid(), e);
    }
    timer.schedule(() -> expire(ticket), timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void expire(RunTicket ticket) {
    try {
      if (offered(ticket.flow()) || !cluster.withdraw(ticket)) {
        return; // a worker has come for it, or took it already
      }
      RunService.join(
          journal.appendWhileRunning(
              ticket.fid(),
              EventType.FATAL,
              EventData.fatal(
                  "no-worker",
                  "no live worker offered flow "
                      + ticket.flow()
                      + " within "
                      + timeout.toSeconds()
                      + " s (kodo.node.no-worker-timeout); run "
                      + ticket.fid()
                      + " was taken off the queue. Start a worker with the flow, then restart the run",
                  null)));
      log.warn("run {} of {} ended: no live worker offers the flow", ticket.fid(), ticket.flow());
    } catch (RunJournal.RunEndedException e) {
      // killed meanwhile
    } catch (RuntimeException e) {
      log.error("run {}: could not end it after no worker came for it", ticket.fid(), e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
