package dev.kodo.node.runs;

import dev.kodo.cluster.Cluster;
import dev.kodo.cluster.Retrying;
import dev.kodo.node.NodeProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Receives the events workers send to this node through the cluster and hands them, in order, to
 * the {@link RunJournal}. One platform thread per queue it reads; starts after start-up recovery.
 * On a graceful stop it stops after the embedded worker has stopped and sent what its runs emitted
 * (a higher phase), reading the cluster queue until it is empty (for at most {@link
 * #DRAIN_LIMIT_MILLIS}), and before the store closes (which commits what was handed to it).
 */
@Component
final class EventIngest implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(EventIngest.class);

  private final Cluster cluster;
  private final RunJournal journal;
  private final String node;

  /** The queues read: this node's own, and those of dead nodes whose runs it took over. */
  private final java.util.Set<String> queues = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final java.util.List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** How long a stop keeps reading events that keep coming (e.g. from workers on other members). */
  static final long DRAIN_LIMIT_MILLIS = 10_000;

  private volatile boolean running;
  private volatile long drainUntil;

  EventIngest(Cluster cluster, RunJournal journal, NodeProperties properties) {
    this.cluster = cluster;
    this.journal = journal;
    this.node = NodeIncarnation.id(properties, cluster);
    queues.add(node);
  }

  @Override
  public void start() {
    running = true;
    for (String queue : queues) {
      startLoop(queue);
    }
  }

  /**
   * Reads the event queue of {@code deadNode} too, from now on: its runs were taken over by this
   * node, and their workers keep sending their events there
   * (docs/architecture.md#two-nodes-one-database).
   */
  void adopt(String deadNode) {
    if (queues.add(deadNode) && running) {
      startLoop(deadNode);
    }
  }

  private void startLoop(String queue) {
    String name =
        queue.equals(node) ? "kodo-ingest" : "kodo-ingest-" + NodeIncarnation.nameOf(queue);
    threads.add(Thread.ofPlatform().daemon().name(name).start(() -> loop(queue)));
  }

  /** The queues this node reads. */
  java.util.Set<String> queues() {
    return java.util.Set.copyOf(queues);
  }

  private void loop(String queue) {
    Retrying failures = new Retrying(log, "event ingest of queue " + queue);
    while (true) {
      boolean draining = !running;
      try {
        int received = cluster.receiveEvents(queue, draining ? 50 : 250, journal::appendEmitted);
        failures.succeeded();
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
        // E.g. the cluster member is gone: try again, but not in a hot loop, and say so once in a
        // while rather than for every attempt.
        try {
          Thread.sleep(failures.failed(e));
        } catch (InterruptedException stop) {
          if (!running) return;
        }
      }
    }
  }

  @Override
  public void stop() {
    drainUntil = System.currentTimeMillis() + DRAIN_LIMIT_MILLIS;
    running = false;
    // Not interrupted: an interrupted Hazelcast poll may take a batch off the queue and lose it;
    // each loop drains what is queued, then stops.
    long end = System.nanoTime() + (DRAIN_LIMIT_MILLIS + 2_000) * 1_000_000L;
    for (Thread thread : threads) {
      try {
        thread.join(Math.max(1, (end - System.nanoTime()) / 1_000_000L));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
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
