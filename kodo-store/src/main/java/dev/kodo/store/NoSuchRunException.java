package dev.kodo.store;

import dev.kodo.client.KodoException;

/**
 * An append named a run the store does not hold: it was never created, or it was deleted while the
 * append was on its way (a {@code DELETE} racing an acknowledge or a share). Not retryable; the
 * caller should treat the run as gone.
 */
public final class NoSuchRunException extends KodoException {
  private final String fid;

  public NoSuchRunException(String fid, String message) {
    super(message);
    this.fid = fid;
  }

  /** The run that is not there. */
  public String fid() {
    return fid;
  }
}
