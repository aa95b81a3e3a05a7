package dev.kodo.node.runs;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.cluster.Cluster;
import dev.kodo.engine.EventData;
import dev.kodo.store.EventStore;
import dev.kodo.store.RunRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * At start-up, before the node takes requests or events, ends every run that was in flight when the
 * node last stopped (its own: with two nodes on one database, those its earlier incarnations wrote
 * and no other node took over, docs/architecture.md#two-nodes-one-database): a {@code fatal} with
 * reason {@code node-restarted}. Nothing else would ever end them: the node no longer waits for
 * them. Once those fatals are durable it tells the cluster to kill each of these runs, so that a
 * flow still executing on a worker of another member (or a ticket still queued) stops instead of
 * acting for a run declared dead.
 */
@Component
final class Recovery implements InitializingBean {
  private static final Logger log = LoggerFactory.getLogger(Recovery.class);

  private final EventStore store;
  private final RunJournal journal;
  private final Cluster cluster;

  private final NodeIncarnation self;

  Recovery(EventStore store, RunJournal journal, Cluster cluster, NodeIncarnation self) {
    this.self = self;
    this.store = store;
    this.journal = journal;
    this.cluster = cluster;
  }

  @Override
  public void afterPropertiesSet() {
    // The runs an earlier incarnation of this node wrote (and those no node is recorded to write);
    // the runs a node that took them over writes are left to it.
    List<RunRecord> unfinished = store.claim(self.name() + "~*", true);
    if (unfinished.isEmpty()) return;
    List<CompletableFuture<Event>> writes = new ArrayList<>();
    for (RunRecord r : unfinished) {
      writes.add(
          journal.append(
              r.fid(),
              EventType.FATAL,
              EventData.fatal(
                  "node-restarted",
                  "the node restarted while run "
                      + r.fid()
                      + " was "
                      + r.state()
                      + "; launch it again (restart) to retry",
                  null)));
    }
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
    log.info(
        "ended {} run(s) that were in flight when the node stopped (fatal: node-restarted)",
        unfinished.size());
    int told = 0;
    for (RunRecord r : unfinished) {
      try {
        cluster.kill(r.fid());
        told++;
      } catch (RuntimeException e) {
        log.warn("could not tell the cluster to kill run {}: {}", r.fid(), e.toString());
      }
    }
    log.debug("asked the cluster to kill {} ended run(s)", told);
  }
}
