package dev.kodo.worker;

import dev.kodo.client.Event;
import dev.kodo.cluster.KodoCluster;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches the events a worker's runs emit and sends them to their nodes through the cluster. One
 * sender thread drains whatever is waiting (so a quiet run's event leaves at once and a busy run's
 * events leave in large batches), keeping the order of emission. The queue is bounded: a flow that
 * emits faster than the cluster carries blocks in {@link #put} instead of filling the heap.
 */
final class Outbox implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Outbox.class);
  private static final int CAPACITY = 65_536;
  private static final int MAX_BATCH = 4_096;

  private record Item(String node, Event event) {}

  private final KodoCluster cluster;
  private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final Thread sender;
  private volatile boolean running = true;

  Outbox(KodoCluster cluster, String name) {
    this.cluster = cluster;
    this.sender = Thread.ofPlatform().daemon().name(name + "-outbox").start(this::loop);
  }

  /**
   * Queues an event, waiting while the outbox is full. An interrupt alone does not drop it: a
   * flow may carry a stray interrupt (one it restored after catching it) into its final event.
   * The event is dropped only when {@code dropped} says so, e.g. because the run was killed; the
   * caller's interrupt status is kept either way.
   */
  void put(String node, Event event, BooleanSupplier dropped) {
    Item item = new Item(node, event);
    if (queue.offer(item)) {
      return;
    }
    boolean interrupted = Thread.interrupted();
    try {
      while (!dropped.getAsBoolean()) {
        try {
          queue.put(item);
          return;
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

  private void loop() {
    List<Item> batch = new ArrayList<>(MAX_BATCH);
    while (running || !queue.isEmpty()) {
      try {
        Item first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        send(batch);
      } catch (InterruptedException e) {
        if (!running) break;
      } catch (RuntimeException e) {
        log.error("could not send {} event(s) to their node; they are lost", batch.size(), e);
      } finally {
        batch.clear();
      }
    }
  }

  private void send(List<Item> batch) {
    Map<String, List<Event>> byNode = new LinkedHashMap<>();
    for (Item i : batch) {
      byNode.computeIfAbsent(i.node(), n -> new ArrayList<>()).add(i.event());
    }
    byNode.forEach(cluster::sendEvents);
  }

  /** Sends what is queued, then stops the sender. */
  @Override
  public void close() {
    running = false;
    try {
      sender.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
