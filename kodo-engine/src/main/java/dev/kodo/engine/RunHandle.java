package dev.kodo.engine;

/**
 * The controls of one executing run: whether it was cancelled, and the thread to interrupt.
 * Thread-safe.
 */
public final class RunHandle {
  private final String fid;
  private volatile boolean cancelled;
  private volatile Thread thread;

  public RunHandle(String fid) {
    this.fid = fid;
  }

  public String fid() {
    return fid;
  }

  public boolean cancelled() {
    return cancelled;
  }

  /** Marks the run cancelled and interrupts its thread, wherever it is blocked. */
  public void cancel() {
    cancelled = true;
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }

  void attach(Thread t) {
    this.thread = t;
    if (cancelled) {
      t.interrupt();
    }
  }

  void detach() {
    this.thread = null;
  }
}
