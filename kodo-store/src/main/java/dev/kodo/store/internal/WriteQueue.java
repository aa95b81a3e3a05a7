package dev.kodo.store.internal;

import dev.kodo.client.KodoException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The calls waiting for the writer, in call order. The writer takes them in batches of up to {@link
 * #MAX_BATCH_EVENTS} events; a delete always travels alone.
 *
 * <p>{@link #submit} never waits: a caller may hold locks that the writer's completion callbacks
 * need, and a caller that waited for the writer there would stop it for good. Back-pressure is a
 * separate step, {@link #awaitRoom}, which a producer that can outrun the writer (the node's event
 * ingest) calls before it takes any lock: it waits while {@link #ROOM_EVENTS} or more events are
 * queued. The queue therefore holds at most {@code ROOM_EVENTS} plus what the callers that passed
 * {@code awaitRoom} at the same moment submit, and everything else queued behind it is written
 * within about two batches. Thread-safe.
 */
final class WriteQueue {
  static final int MAX_BATCH_EVENTS = 10_000;

  /**
   * Producers wait in {@link #awaitRoom} while this many events are queued: two batches keep the
   * writer busy.
   */
  static final int ROOM_EVENTS = 2 * MAX_BATCH_EVENTS;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition room = lock.newCondition();
  private final ArrayDeque<WriteOp> queued = new ArrayDeque<>();
  private final String store;
  private long queuedEvents;
  private boolean closed;
  private long closedAt;
  private volatile Thread writer;

  WriteQueue(String store) {
    this.store = store;
  }

  /** Queues {@code op} without waiting; fails if the queue is closed. */
  void submit(WriteOp op) {
    lock.lock();
    try {
      if (closed) {
        throw new KodoException(
            "cannot " + op.describe() + ": the event store " + store + " is closed");
      }
      queued.add(op);
      queuedEvents += op.size();
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until fewer than {@link #ROOM_EVENTS} events are queued (or the queue is closed, or
   * {@code maxMillis} passed); returns whether there is room. Returns at once on the writer's own
   * thread, which must never wait for itself.
   */
  boolean awaitRoom(long maxMillis) {
    if (Thread.currentThread() == writer) {
      return true;
    }
    long nanos = TimeUnit.MILLISECONDS.toNanos(maxMillis);
    lock.lock();
    try {
      while (!closed && queuedEvents >= ROOM_EVENTS) {
        if (nanos <= 0) {
          return false;
        }
        try {
          nanos = room.awaitNanos(nanos);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** How many events wait for the writer. */
  long queuedEvents() {
    lock.lock();
    try {
      return queuedEvents;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The next calls to write, in call order, waiting for some; empty once the queue is closed and
   * everything queued before has been taken.
   */
  List<WriteOp> take() {
    lock.lock();
    try {
      writer = Thread.currentThread();
      while (queued.isEmpty() && !closed) {
        notEmpty.awaitUninterruptibly();
      }
      List<WriteOp> batch = new ArrayList<>();
      int events = 0;
      for (WriteOp next; (next = queued.peek()) != null; ) {
        if (!batch.isEmpty()
            && (next.solo()
                || batch.getFirst().solo()
                || events + next.size() > MAX_BATCH_EVENTS)) {
          break;
        }
        batch.add(queued.poll());
        events += next.size();
      }
      queuedEvents -= events;
      if (queuedEvents < ROOM_EVENTS) {
        room.signalAll();
      }
      return batch;
    } finally {
      lock.unlock();
    }
  }

  /** Refuses new calls; those already queued are still handed out by {@link #take()}. */
  void close() {
    lock.lock();
    try {
      if (!closed) {
        closed = true;
        closedAt = System.nanoTime();
      }
      notEmpty.signalAll();
      room.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** How long ago the queue was closed, in nanoseconds; -1 while it is open. */
  long closedForNanos() {
    lock.lock();
    try {
      return closed ? System.nanoTime() - closedAt : -1;
    } finally {
      lock.unlock();
    }
  }
}
