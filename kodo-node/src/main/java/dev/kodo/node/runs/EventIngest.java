package dev.kodo.node.runs;

import dev.kodo.cluster.Cluster;
import dev.kodo.node.NodeProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Receives the events workers send to this node through the cluster and hands them, in order, to
 * the {@link RunJournal}. One platform thread; starts after start-up recovery. On a graceful stop
 * it stops after the embedded worker has stopped and sent what its runs emitted (a higher phase),
 * reading the cluster queue until it is empty (for at most {@link #DRAIN_LIMIT_MILLIS}), and before
 * the store closes (which commits what was handed to it).
 */
@Component
final class EventIngest implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(EventIngest.class);

  private final Cluster cluster;
  private final RunJournal journal;
  private final String node;

  /** How long a stop keeps reading events that keep coming (e.g. from workers on other members). */
  static final long DRAIN_LIMIT_MILLIS = 10_000;

  private volatile boolean running;
  private volatile long drainUntil;
  private Thread thread;

  EventIngest(Cluster cluster, RunJournal journal, NodeProperties properties) {
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
    while (true) {
      boolean draining = !running;
      try {
        int received = cluster.receiveEvents(node, draining ? 50 : 250, journal::appendEmitted);
        if (draining && (received == 0 || System.currentTimeMillis() > drainUntil)) {
          return;
        }
      } catch (InterruptedException e) {
        if (!running) return;
      } catch (RuntimeException e) {
        if (draining) {
          log.error(
              "event ingest failed while the node stops; events still queued are read when it starts again",
              e);
          return;
        }
        log.error("event ingest failed; continuing", e);
      }
    }
  }

  @Override
  public void stop() {
    drainUntil = System.currentTimeMillis() + DRAIN_LIMIT_MILLIS;
    running = false;
    if (thread != null) {
      // Not interrupted: an interrupted Hazelcast poll may take a batch off the queue and lose it;
      // the loop drains what is queued, then stops.
      try {
        thread.join(DRAIN_LIMIT_MILLIS + 2_000);
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
