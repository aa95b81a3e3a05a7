package dev.kodo.client;

/**
 * The root of every exception Kodo throws on purpose. A message always names the ids involved (fid,
 * flow path, node) and, where it can, what to do about it.
 *
 * <p>{@link #retryable()} tells a caller whether the same call may succeed later (a node that is
 * starting, a store that is busy) or will fail again until something changes (bad input, an unknown
 * flow).
 */
public class KodoException extends RuntimeException {
  private final boolean retryable;

  public KodoException(String message) {
    this(message, false, null);
  }

  public KodoException(String message, Throwable cause) {
    this(message, false, cause);
  }

  protected KodoException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  /** A failure that may go away if the same call is made again later. */
  public static KodoException retryable(String message, Throwable cause) {
    return new KodoException(message, true, cause);
  }

  public boolean retryable() {
    return retryable;
  }
}
