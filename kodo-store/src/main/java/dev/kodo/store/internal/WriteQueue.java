package dev.kodo.store.internal;

import dev.kodo.client.KodoException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The calls waiting for the writer, in call order. The writer takes them in batches of up to
 * {@link #MAX_BATCH_EVENTS} events; a delete always travels alone. Callers wait while more than
 * {@link #MAX_QUEUED_EVENTS} events are queued, except the writer itself (a completion callback
 * that writes again must not wait for its own thread). Thread-safe.
 */
final class WriteQueue {
  static final int MAX_BATCH_EVENTS = 10_000;
  static final int MAX_QUEUED_EVENTS = 100_000;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private final ArrayDeque<WriteOp> queued = new ArrayDeque<>();
  private final String store;
  private long queuedEvents;
  private boolean closed;
  private volatile Thread writer;

  WriteQueue(String store) {
    this.store = store;
  }

  /** Queues {@code op}; fails if the queue is closed. */
  void submit(WriteOp op) {
    lock.lock();
    try {
      while (!closed && queuedEvents >= MAX_QUEUED_EVENTS && Thread.currentThread() != writer) {
        notFull.awaitUninterruptibly();
      }
      if (closed) {
        throw new KodoException("cannot " + op.describe() + ": the event store " + store + " is closed");
      }
      queued.add(op);
      queuedEvents += op.size();
      notEmpty.signal();
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
        boolean delete = next instanceof WriteOp.Delete;
        if (!batch.isEmpty()
            && (delete || batch.getFirst() instanceof WriteOp.Delete || events + next.size() > MAX_BATCH_EVENTS)) {
          break;
        }
        batch.add(queued.poll());
        events += next.size();
      }
      queuedEvents -= events;
      notFull.signalAll();
      return batch;
    } finally {
      lock.unlock();
    }
  }

  /** Refuses new calls; those already queued are still handed out by {@link #take()}. */
  void close() {
    lock.lock();
    try {
      closed = true;
      notEmpty.signalAll();
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
