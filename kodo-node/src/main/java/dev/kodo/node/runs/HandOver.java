package dev.kodo.node.runs;

import dev.kodo.client.EventType;
import dev.kodo.client.KodoException;
import dev.kodo.cluster.Cluster;
import dev.kodo.engine.EventData;
import dev.kodo.store.EventStore;
import dev.kodo.store.NoSuchRunException;
import dev.kodo.store.RunRecord;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Takes over the runs of a node that left the cluster: when a member leaves on which a node ran (or
 * whose node had taken over another's runs), the eldest remaining node — the same one on every
 * member — claims in the store the runs those nodes wrote and had not finished, and reads their
 * event queues from then on. The runs' workers go on sending their events to those queues, so the
 * runs go on and their logs stay gapless, with one writer at a time
 * (docs/architecture.md#two-nodes-one-database). Called by {@link WorkerWatch} before it looks at
 * the departed member's runs, so that those are this node's by then.
 */
@Component
final class HandOver {
  private static final Logger log = LoggerFactory.getLogger(HandOver.class);
  private static final int CLAIM_ATTEMPTS = 10;

  private final Cluster cluster;
  private final EventStore store;
  private final EventIngest ingest;
  private final String self;
  private final RunJournal journal;

  /** How long a taken-over run found with no worker and no ticket is given before it is ended. */
  static final long ORPHAN_RECHECK_MILLIS = 2_000;

  HandOver(
      Cluster cluster,
      EventStore store,
      EventIngest ingest,
      NodeIncarnation self,
      RunJournal journal) {
    this.journal = journal;
    this.cluster = cluster;
    this.store = store;
    this.ingest = ingest;
    this.self = self.id();
  }

  /**
   * Takes over the runs of the nodes of {@code member}, if this node is the one to; returns the
   * runs it took.
   */
  List<RunRecord> memberLeft(String member) {
    List<String> gone = cluster.nodesOn(member);
    if (gone.isEmpty() || gone.contains(self)) {
      return List.of(); // a worker left, or this very member (a split): nothing to take over
    }
    List<String> live = cluster.liveNodes();
    if (live.isEmpty() || !live.getFirst().equals(self)) {
      log.info("node(s) {} left the cluster; node {} takes over their runs", gone, live);
      return List.of();
    }
    List<RunRecord> taken = new ArrayList<>();
    for (String node : gone) {
      List<RunRecord> runs = claim(node);
      taken.addAll(runs);
      ingest.adopt(node);
      cluster.adoptNode(node);
      log.warn(
          "node {} left the cluster; this node took over its {} unfinished run(s) and reads their events",
          node,
          runs.size());
    }
    return taken;
  }

  /**
   * Ends the taken-over runs that nobody will ever end, once the dead node's queue was read: those
   * no worker executes and whose ticket waits on no queue — their end was among the events the dead
   * node had taken but not stored, or they were waiting in its memory for an admission slot. Each
   * is looked at twice, {@link #ORPHAN_RECHECK_MILLIS} apart (a worker may be between taking the
   * ticket and recording that it executes the run), then ended {@code fatal} / {@code node-lost}.
   */
  void settle(List<RunRecord> taken) throws InterruptedException {
    List<RunRecord> orphans = orphans(taken);
    if (orphans.isEmpty()) {
      return;
    }
    Thread.sleep(ORPHAN_RECHECK_MILLIS);
    int ended = 0;
    for (RunRecord r : orphans(orphans)) {
      try {
        RunService.join(
            journal.appendWhileRunning(
                r.fid(),
                EventType.FATAL,
                EventData.fatal(
                    "node-lost",
                    "the node that wrote run "
                        + r.fid()
                        + " left the cluster, and no worker executes it any more nor will: its"
                        + " last events were lost with that node, or it was waiting there for a"
                        + " slot; restart it to run it again",
                    null)));
        cluster.kill(r.fid());
        ended++;
      } catch (RunJournal.RunEndedException | NoSuchRunException e) {
        // ended or deleted meanwhile
      }
    }
    if (ended > 0) {
      log.warn("ended {} taken-over run(s) nobody executes any more (fatal: node-lost)", ended);
    }
  }

  private List<RunRecord> orphans(List<RunRecord> runs) {
    List<RunRecord> out = new ArrayList<>();
    for (RunRecord r : runs) {
      RunRecord now = store.run(r.fid()).orElse(null);
      if (now != null
          && !now.state().finished()
          && cluster.assignee(r.fid()) == null
          && !cluster.queued(r.flow(), r.fid())) {
        out.add(now);
      }
    }
    return out;
  }

  private List<RunRecord> claim(String node) {
    long delay = 100;
    for (int attempt = 1; ; attempt++) {
      try {
        return store.claim(node, false);
      } catch (KodoException e) {
        if (!e.retryable() || attempt == CLAIM_ATTEMPTS) {
          throw e;
        }
        log.warn(
            "could not take over the runs of node {} yet ({}); retrying", node, e.getMessage());
        try {
          Thread.sleep(delay);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
        delay = Math.min(2 * delay, 2_000);
      }
    }
  }
}
