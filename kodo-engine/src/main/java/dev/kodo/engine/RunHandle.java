package dev.kodo.engine;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * The controls of one executing run: whether it was cancelled, the thread to interrupt, and the
 * mailbox of candidate answers for its locks. Thread-safe: {@link #cancel} may be called from any
 * thread, before, during or after the run.
 *
 * <p>A run parked in a lock costs little heap (docs/performance.md#parked-runs): the mailbox is a
 * queue and a set made on first use, guarded by this handle's monitor, and the waiting thread parks
 * once until an answer, a kill ({@link #cancel} wakes it on whichever thread it waits) or its
 * deadline wakes it, instead of polling a {@code LinkedBlockingQueue} (two locks, two conditions)
 * in slices, each wake-up of which left its virtual thread's stack in a new stack chunk.
 */
public final class RunHandle {
  private final String fid;
  private volatile boolean cancelled;
  private Thread thread; // guarded by this
  private ArrayDeque<Candidate> candidates; // guarded by this; made on the first offer
  private Set<String> withdrawn; // guarded by this; made on the first withdrawal
  private Thread waiter; // guarded by this: the thread waiting in nextCandidate, if any

  /**
   * A candidate answer to a lock, as a node forwards it.
   *
   * @param data the answer's values as a JSON object text
   */
  public record Candidate(String lid, String cid, String data) {}

  public RunHandle(String fid) {
    this.fid = fid;
  }

  public String fid() {
    return fid;
  }

  public boolean cancelled() {
    return cancelled;
  }

  /**
   * Marks the run cancelled and interrupts its thread, wherever it is blocked. Once the run has
   * ended its thread is no longer interrupted, so a thread that goes on to other work (a worker's,
   * a test's) is never hit by a late kill.
   */
  public void cancel() {
    cancelled = true;
    synchronized (this) {
      if (thread != null) {
        thread.interrupt();
      }
      // A lock may wait on a thread other than the run's (one the flow started): wake it too.
      wakeWaiter();
    }
  }

  synchronized void attach(Thread t) {
    this.thread = t;
    if (cancelled) {
      t.interrupt();
    }
  }

  synchronized void detach() {
    this.thread = null;
  }

  /** Hands a candidate answer to the run's open lock (it is considered in arrival order). */
  public synchronized void offer(Candidate candidate) {
    if (candidates == null) {
      candidates = new ArrayDeque<>(2);
    }
    candidates.add(candidate);
    wakeWaiter();
  }

  /** Takes back a candidate the node gave up waiting for; it is skipped if not considered yet. */
  public synchronized void withdraw(String cid) {
    if (withdrawn == null) {
      withdrawn = new HashSet<>(4);
    }
    withdrawn.add(cid);
  }

  /** Whether the node took the candidate back (it gave up waiting for the verdict). */
  synchronized boolean withdrawn(String cid) {
    return withdrawn != null && withdrawn.contains(cid);
  }

  private void wakeWaiter() { // guarded by this
    if (waiter != null) {
      LockSupport.unpark(waiter);
    }
  }

  /**
   * The next candidate not withdrawn, waiting up to {@code nanos}; null if none came in time or the
   * run was cancelled (the caller tells which by {@link #cancelled}). Throws if the waiting thread
   * is interrupted, as {@code BlockingQueue.poll} does.
   */
  Candidate nextCandidate(long nanos) throws InterruptedException {
    long deadline = System.nanoTime() + nanos;
    Thread me = Thread.currentThread();
    try {
      while (true) {
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        long left;
        synchronized (this) {
          Candidate c;
          while ((c = candidates == null ? null : candidates.poll()) != null) {
            if (withdrawn == null || !withdrawn.remove(c.cid())) {
              return c;
            }
          }
          left = deadline - System.nanoTime();
          if (cancelled || left <= 0) {
            return null;
          }
          // offer and cancel unpark the waiter under this monitor, after this check: no wake-up
          // is missed; a stale permit only makes one more turn of the loop.
          waiter = me;
        }
        LockSupport.parkNanos(this, left);
      }
    } finally {
      synchronized (this) {
        if (waiter == me) {
          waiter = null;
        }
      }
    }
  }
}
