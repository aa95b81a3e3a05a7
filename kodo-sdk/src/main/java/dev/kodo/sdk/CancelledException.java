package dev.kodo.sdk;

/**
 * Thrown by {@link FlowContext#checkCancelled()} when the run was killed. A flow lets it propagate;
 * the run then ends as {@code killed}, not as an error.
 */
public final class CancelledException extends RuntimeException {
  public CancelledException(String fid) {
    super("run " + fid + " was cancelled");
  }
}
