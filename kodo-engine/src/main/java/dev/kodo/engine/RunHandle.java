package dev.kodo.engine;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The controls of one executing run: whether it was cancelled, the thread to interrupt, and the
 * mailbox of candidate answers for its locks. Thread-safe: {@link #cancel} may be called from any
 * thread, before, during or after the run.
 */
public final class RunHandle {
  private final String fid;
  private volatile boolean cancelled;
  private Thread thread; // guarded by this
  private final LinkedBlockingQueue<Candidate> candidates = new LinkedBlockingQueue<>();
  private final Set<String> withdrawn = ConcurrentHashMap.newKeySet();

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
  public void offer(Candidate candidate) {
    candidates.add(candidate);
  }

  /** Takes back a candidate the node gave up waiting for; it is skipped if not considered yet. */
  public void withdraw(String cid) {
    withdrawn.add(cid);
  }

  /** Whether the node took the candidate back (it gave up waiting for the verdict). */
  boolean withdrawn(String cid) {
    return withdrawn.contains(cid);
  }

  /** The next candidate not withdrawn, waiting up to {@code nanos}; null if none came. */
  Candidate nextCandidate(long nanos) throws InterruptedException {
    long deadline = System.nanoTime() + nanos;
    while (true) {
      Candidate c =
          candidates.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (c == null || !withdrawn.remove(c.cid())) {
        return c;
      }
    }
  }
}
