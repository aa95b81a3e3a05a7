package dev.kodo.node.runs;

import dev.kodo.client.KodoException;
import dev.kodo.cluster.Cluster;
import dev.kodo.store.EventStore;
import dev.kodo.store.RunRecord;
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

  HandOver(Cluster cluster, EventStore store, EventIngest ingest, NodeIncarnation self) {
    this.cluster = cluster;
    this.store = store;
    this.ingest = ingest;
    this.self = self.id();
  }

  /** Takes over the runs of the nodes of {@code member}, if this node is the one to. */
  void memberLeft(String member) {
    List<String> gone = cluster.nodesOn(member);
    if (gone.isEmpty() || gone.contains(self)) {
      return; // a worker left, or this very member (a split): nothing to take over
    }
    List<String> live = cluster.liveNodes();
    if (live.isEmpty() || !live.getFirst().equals(self)) {
      log.info("node(s) {} left the cluster; node {} takes over their runs", gone, live);
      return;
    }
    for (String node : gone) {
      List<RunRecord> runs = claim(node);
      ingest.adopt(node);
      cluster.adoptNode(node);
      log.warn(
          "node {} left the cluster; this node took over its {} unfinished run(s) and reads their events",
          node,
          runs.size());
    }
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
