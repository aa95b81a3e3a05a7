package dev.kodo.node.runs;

import dev.kodo.client.EventType;
import dev.kodo.cluster.Cluster;
import dev.kodo.cluster.RunTicket;
import dev.kodo.engine.EventData;
import dev.kodo.engine.FlowCatalog;
import dev.kodo.engine.LoadedFlow;
import dev.kodo.node.NodeProperties;
import dev.kodo.store.NoSuchRunException;
import dev.kodo.store.RunRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Ends this node's runs whose worker left the cluster (its member crashed, was cut off, or stopped
 * with events it could not send) with {@code fatal} / {@code worker-lost}: nothing else would end
 * them. A worker keeps a run's assignment until the run's last event was sent, so a run whose final
 * reached the cluster is not lost: the watch first waits until the events that were queued for this
 * node when the member left have been read, then ends only the runs still open.
 *
 * <p>A run of a {@code @RetrySafe} flow is put back on its flow's queue instead, at most {@code
 * kodo.node.retry-attempts} times, each attempt recorded as a {@code progress} event (and an open
 * lock of the lost attempt closed with {@code lock-timeout}: the new attempt asks again), see
 * docs/architecture.md#worker-loss.
 *
 * <p>Each departure is handled on a virtual thread of its own. Thread-safe.
 */
@Component
final class WorkerWatch implements DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(WorkerWatch.class);

  /** How long a departure waits for the events queued before it to be read. */
  private static final long CATCH_UP_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final Cluster cluster;
  private final RunJournal journal;
  private final String node;
  private final RunService runs;
  private final FlowCatalog catalog;
  private final int retryAttempts;
  private final HandOver handOver;
  private final EventIngest ingest;
  private final Map<String, Integer> retries = new ConcurrentHashMap<>();
  private volatile boolean closed;

  WorkerWatch(
      Cluster cluster,
      RunJournal journal,
      NodeProperties properties,
      RunService runs,
      FlowCatalog catalog,
      HandOver handOver,
      EventIngest ingest) {
    this.handOver = handOver;
    this.ingest = ingest;
    this.cluster = cluster;
    this.journal = journal;
    this.runs = runs;
    this.catalog = catalog;
    this.retryAttempts = properties.getNode().getRetryAttempts();
    this.node = NodeIncarnation.id(properties, cluster);
    cluster.onMemberLeft(
        member ->
            Thread.ofVirtual().name("kodo-worker-lost-" + member).start(() -> memberLeft(member)));
  }

  private void memberLeft(String member) {
    try {
      // First the runs of a node on that member become this node's, if it is the one to take them.
      List<RunRecord> taken = handOver.memberLeft(member);
      List<BooleanSupplier> queues = new ArrayList<>();
      for (String queue : ingest.queues()) {
        queues.add(cluster.receivedUpToNow(queue));
      }
      BooleanSupplier caughtUp = () -> queues.stream().allMatch(BooleanSupplier::getAsBoolean);
      long deadline = System.nanoTime() + CATCH_UP_NANOS;
      while (!caughtUp.getAsBoolean() && !closed) {
        if (System.nanoTime() - deadline > 0) {
          log.warn(
              "member {} left; its runs are checked although the events queued for node {} were not all read in time",
              member,
              node);
          break;
        }
        LockSupport.parkNanos(20_000_000L);
      }
      if (closed) {
        return;
      }
      if (!taken.isEmpty()) {
        Thread.ofVirtual()
            .name("kodo-hand-over-" + member)
            .start(
                () -> {
                  try {
                    handOver.settle(taken);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  } catch (RuntimeException e) {
                    log.warn(
                        "could not look at the runs taken over from member {}: {}",
                        member,
                        e.toString());
                  }
                });
      }
      int ended = 0;
      Set<String> fids = cluster.assignedOnMember(member);
      int requeued = 0;
      for (String fid : fids) {
        if (!journal.writesHere(fid)) {
          continue; // another node's run: that node ends or re-queues it
        }
        if (requeue(fid, member)) {
          requeued++;
        } else if (endLost(fid, member)) {
          ended++;
        }
      }
      if (requeued > 0) {
        log.warn(
            "member {} left the cluster; put {} of this node's retry-safe run(s) back on the cluster",
            member,
            requeued);
      }
      if (ended > 0) {
        log.warn(
            "member {} left the cluster; ended {} of this node's run(s) it executed (fatal: worker-lost)",
            member,
            ended);
      }
    } catch (RuntimeException e) {
      if (!closed) {
        log.error("could not end the runs of member {}, which left the cluster", member, e);
      }
    }
  }

  /**
   * Puts the run back on its flow's queue if it is this node's, still open, of a {@code @RetrySafe}
   * flow, and has attempts left; whether it did.
   */
  private boolean requeue(String fid, String member) {
    RunRecord r;
    try {
      r = runs.record(fid);
    } catch (RuntimeException e) {
      return false; // not a run of this node
    }
    if (r.state().finished()) {
      return false;
    }
    Optional<LoadedFlow> flow = catalog.get(r.flow());
    if (flow.isEmpty() || !flow.get().retrySafe()) {
      return false;
    }
    int attempt = retries.merge(fid, 1, Integer::sum);
    if (attempt > retryAttempts) {
      retries.remove(fid);
      return false;
    }
    // Synchronously: the next worker's assignment must not be removed by this one's.
    cluster.assign(fid, null);
    try {
      if (r.lockId() != null) {
        RunService.join(
            journal.appendWhileRunning(
                fid, EventType.LOCK_TIMEOUT, EventData.lockTimeout(r.lockId())));
      }
      RunService.join(
          journal.appendWhileRunning(
              fid,
              EventType.PROGRESS,
              EventData.progress(
                  0,
                  "the worker executing run "
                      + fid
                      + " left the cluster (member "
                      + member
                      + "); flow "
                      + r.flow()
                      + " is retry-safe: the run is back on the cluster, attempt "
                      + (attempt + 1)
                      + " of "
                      + (retryAttempts + 1))));
    } catch (RunJournal.RunEndedException e) {
      retries.remove(fid);
      return true; // ended meanwhile: nothing to end or retry
    }
    if (!runs.requeue(new RunTicket(fid, r.flow(), r.inputs(), node, runs.traceparent(fid), 0L))) {
      retries.remove(fid);
      return false;
    }
    return true;
  }

  /** Ends the run if it is this node's and still open; whether it did. */
  private boolean endLost(String fid, String member) {
    try {
      RunService.join(
          journal.appendWhileRunning(
              fid,
              EventType.FATAL,
              EventData.fatal(
                  "worker-lost",
                  "the worker executing run "
                      + fid
                      + " left the cluster (member "
                      + member
                      + "); launch it again (restart) to retry",
                  null)));
    } catch (RunJournal.RunEndedException e) {
      cluster.unassignLater(fid);
      return false;
    } catch (NoSuchRunException e) {
      return false; // not a run of this node
    }
    cluster.unassignLater(fid);
    // Should the member come back (a network split), its worker stops the flow.
    cluster.kill(fid);
    return true;
  }

  @Override
  public void destroy() {
    closed = true;
  }
}
