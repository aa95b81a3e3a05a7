package dev.kodo.worker;

import dev.kodo.client.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches the events a worker's runs emit and sends them to their nodes through the cluster. One
 * sender thread drains whatever is waiting (so a quiet run's event leaves at once and a busy run's
 * events leave in large batches), keeping the order of emission. The queue is bounded: a flow that
 * emits faster than the cluster carries blocks in {@link #put} instead of filling the heap.
 *
 * <p>A batch the cluster refuses (a full event queue, a member leaving) is sent again with
 * back-off, never skipped, so nothing after it overtakes it. Only {@link #close} gives up, after
 * its deadline, on what still cannot be sent; the runs of those events keep their cluster
 * assignment (see {@link #afterDelivered}), so their node ends them ({@code worker-lost}) when this
 * member leaves. Thread-safe.
 */
final class Outbox implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Outbox.class);
  private static final int CAPACITY = 65_536;
  private static final int MAX_BATCH = 4_096;
  private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(2);

  /** Where batches go: the cluster in production, something that fails on purpose in tests. */
  @FunctionalInterface
  interface Sender {
    /**
     * Sends {@code events}, all for runs of {@code node}, in order; throws if they were not taken.
     */
    void send(String node, List<Event> events);
  }

  // Either an event or, with a null event, something to do once everything queued before it for
  // the same node has been delivered.
  private record Item(String node, Event event, Runnable delivered) {}

  private final Sender sender;
  private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long giveUpAt =
      Long.MAX_VALUE; // System.nanoTime() after which close stops retrying
  private volatile boolean abandoned; // close gave up: nothing is sent any more

  Outbox(Sender sender, String name) {
    this.sender = sender;
    this.thread = Thread.ofPlatform().daemon().name(name + "-outbox").start(this::loop);
  }

  /**
   * Queues an event, waiting while the outbox is full. An interrupt alone does not drop it: a flow
   * may carry a stray interrupt (one it restored after catching it) into its final event. The event
   * is dropped only when {@code dropped} says so, e.g. because the run was killed, or once the
   * outbox was closed; the caller's interrupt status is kept either way.
   */
  void put(String node, Event event, BooleanSupplier dropped) {
    enqueue(new Item(node, event, null), dropped);
  }

  /**
   * Runs {@code action} on the sender thread once every event queued so far for {@code node} has
   * been delivered; never if they could not be (the outbox was closed first).
   */
  void afterDelivered(String node, Runnable action) {
    enqueue(new Item(node, null, action), () -> false);
  }

  private void enqueue(Item item, BooleanSupplier dropped) {
    if (abandoned) {
      return;
    }
    if (queue.offer(item)) {
      return;
    }
    boolean interrupted = Thread.interrupted();
    try {
      while (!abandoned && !dropped.getAsBoolean()) {
        try {
          if (queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
            return;
          }
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** How many events and markers wait to be sent. */
  int waiting() {
    return queue.size();
  }

  private void loop() {
    List<Item> batch = new ArrayList<>(MAX_BATCH);
    while (running || !queue.isEmpty()) {
      if (abandoned) {
        break;
      }
      try {
        Item first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        deliver(batch);
      } catch (InterruptedException e) {
        if (!running) break;
      } catch (RuntimeException e) {
        log.error("lost {} queued event(s) and marker(s) to a bug in the outbox", batch.size(), e);
      } finally {
        batch.clear();
      }
    }
    abandon(List.of());
  }

  /** Sends the batch, node by node, retrying each part until it is taken or close gives up. */
  private void deliver(List<Item> batch) {
    Map<String, List<Item>> byNode = new LinkedHashMap<>();
    for (Item i : batch) {
      byNode.computeIfAbsent(i.node(), n -> new ArrayList<>()).add(i);
    }
    List<List<Item>> parts = new ArrayList<>(byNode.values());
    for (int p = 0; p < parts.size(); p++) {
      List<Item> part = parts.get(p);
      List<Event> events = events(part);
      if (!events.isEmpty() && !sendWithRetry(part.getFirst().node(), events)) {
        List<Event> unsent = new ArrayList<>(events);
        for (List<Item> later : parts.subList(p + 1, parts.size())) {
          unsent.addAll(events(later));
        }
        abandon(unsent);
        return;
      }
      for (Item i : part) {
        if (i.delivered() != null) {
          try {
            i.delivered().run();
          } catch (RuntimeException e) {
            log.warn(
                "an action after delivering events to node {} failed: {}", i.node(), e.toString());
          }
        }
      }
    }
  }

  private static List<Event> events(List<Item> items) {
    List<Event> events = new ArrayList<>(items.size());
    for (Item i : items) {
      if (i.event() != null) {
        events.add(i.event());
      }
    }
    return events;
  }

  private boolean sendWithRetry(String node, List<Event> events) {
    long backoff = FIRST_BACKOFF_NANOS;
    for (int attempt = 1; ; attempt++) {
      try {
        sender.send(node, events);
        if (attempt > 1) {
          log.info("sent {} event(s) to node {} after {} attempts", events.size(), node, attempt);
        }
        return true;
      } catch (RuntimeException e) {
        if (System.nanoTime() - giveUpAt >= 0) {
          return false;
        }
        if (attempt == 1 || attempt % 20 == 0) {
          log.warn(
              "could not send {} event(s) to node {} (attempt {}): {}; retrying",
              events.size(),
              node,
              attempt,
              e.toString());
        }
        LockSupport.parkNanos(Math.min(backoff, Math.max(0, giveUpAt - System.nanoTime())));
        backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
      }
    }
  }

  /** Gives up on {@code unsent} and on everything still queued, naming the runs they belong to. */
  private void abandon(List<Event> unsent) {
    abandoned = true;
    List<Item> rest = new ArrayList<>();
    queue.drainTo(rest);
    Set<String> runs = new LinkedHashSet<>();
    int lost = unsent.size();
    for (Event e : unsent) {
      runs.add(e.fid());
    }
    for (Item i : rest) {
      if (i.event() != null) {
        runs.add(i.event().fid());
        lost++;
      }
    }
    if (lost > 0) {
      log.error(
          "gave up sending {} event(s) of run(s) {}: the cluster did not take them before the worker stopped; "
              + "their nodes end them (worker-lost) when this member leaves",
          lost,
          runs);
    }
  }

  /** Sends what is queued, retrying for at most {@code deadline}, then stops the sender. */
  void close(Duration deadline) {
    giveUpAt = System.nanoTime() + deadline.toNanos();
    running = false;
    try {
      thread.join(deadline.toMillis() + 1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      // Stuck in a send the cluster never answers: give up on it.
      abandoned = true;
      thread.interrupt();
    }
  }

  /** {@link #close(Duration)} with 5 s to send what is queued. */
  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}
