package dev.kodo.node.runs;

import dev.kodo.client.EventType;
import dev.kodo.cluster.Cluster;
import dev.kodo.engine.EventData;
import dev.kodo.node.NodeProperties;
import dev.kodo.store.NoSuchRunException;
import java.util.Set;
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
  private volatile boolean closed;

  WorkerWatch(Cluster cluster, RunJournal journal, NodeProperties properties) {
    this.cluster = cluster;
    this.journal = journal;
    this.node = properties.getNode().getName();
    cluster.onMemberLeft(
        member ->
            Thread.ofVirtual().name("kodo-worker-lost-" + member).start(() -> memberLeft(member)));
  }

  private void memberLeft(String member) {
    try {
      BooleanSupplier caughtUp = cluster.receivedUpToNow(node);
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
      int ended = 0;
      Set<String> fids = cluster.assignedOnMember(member);
      for (String fid : fids) {
        if (endLost(fid, member)) {
          ended++;
        }
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
