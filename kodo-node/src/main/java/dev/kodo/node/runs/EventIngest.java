package dev.kodo.node.runs;

import dev.kodo.cluster.Cluster;
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
    Failures failures = new Failures();
    while (true) {
      boolean draining = !running;
      try {
        int received = cluster.receiveEvents(queue, draining ? 50 : 250, journal::appendEmitted);
        failures.recovered(queue);
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
          Thread.sleep(failures.failed(queue, e));
        } catch (InterruptedException stop) {
          if (!running) return;
        }
      }
    }
  }

  /**
   * Consecutive failures of one queue's loop: back-off from {@value #FIRST_BACKOFF_MILLIS} ms up to
   * {@value #MAX_BACKOFF_MILLIS} ms; the first failure is logged with its cause, later ones once
   * every {@value #REPORT_EVERY_MILLIS} ms with their count.
   */
  private static final class Failures {
    private long count;
    private long backoff = FIRST_BACKOFF_MILLIS;
    private long reportedAt;

    long failed(String queue, RuntimeException e) {
      count++;
      long now = System.currentTimeMillis();
      if (count == 1) {
        log.error("event ingest of queue {} failed; retrying with back-off", queue, e);
        reportedAt = now;
      } else if (now - reportedAt >= REPORT_EVERY_MILLIS) {
        log.error(
            "event ingest of queue {} has failed {} times in a row; still retrying (latest: {})",
            queue,
            count,
            e.toString());
        reportedAt = now;
      }
      long wait = backoff;
      backoff = Math.min(2 * backoff, MAX_BACKOFF_MILLIS);
      return wait;
    }

    void recovered(String queue) {
      if (count > 0) {
        log.info("event ingest of queue {} works again after {} failures", queue, count);
        count = 0;
        backoff = FIRST_BACKOFF_MILLIS;
      }
    }
  }

  static final long FIRST_BACKOFF_MILLIS = 10;
  static final long MAX_BACKOFF_MILLIS = 2_000;
  static final long REPORT_EVERY_MILLIS = 30_000;

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
