package dev.kodo.node.runs;

import dev.kodo.cluster.KodoCluster;
import dev.kodo.node.NodeProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Receives the events workers send to this node through the cluster and hands them, in order,
 * to the {@link RunJournal}. One platform thread; starts after start-up recovery, stops first.
 */
@Component
final class EventIngest implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(EventIngest.class);

  private final KodoCluster cluster;
  private final RunJournal journal;
  private final String node;
  private volatile boolean running;
  private Thread thread;

  EventIngest(KodoCluster cluster, RunJournal journal, NodeProperties properties) {
    this.cluster = cluster;
    this.journal = journal;
    this.node = properties.getNode().getName();
  }

  @Override
  public void start() {
    running = true;
    thread = Thread.ofPlatform().daemon().name("kodo-ingest").start(this::loop);
  }

  private void loop() {
    while (running) {
      try {
        cluster.receiveEvents(node, 250, journal::appendEmitted);
      } catch (InterruptedException e) {
        if (!running) return;
      } catch (RuntimeException e) {
        if (running) log.error("event ingest failed; continuing", e);
      }
    }
  }

  @Override
  public void stop() {
    running = false;
    if (thread != null) {
      // Not interrupted: an interrupted Hazelcast poll may take a batch off the queue and lose it;
      // the loop notices the flag within its 250 ms poll.
      try {
        thread.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return 100;
  }
}
