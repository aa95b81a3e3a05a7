package dev.kodo.engine;

/**
 * The controls of one executing run: whether it was cancelled, and the thread to interrupt.
 * Thread-safe: {@link #cancel} may be called from any thread, before, during or after the run.
 */
public final class RunHandle {
  private final String fid;
  private volatile boolean cancelled;
  private Thread thread; // guarded by this

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
}
