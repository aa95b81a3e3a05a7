package dev.kodo.sdk;

import java.time.Duration;

/**
 * Thrown by {@link FlowContext#lock} when no accepted answer arrived in time. A flow may catch it
 * and carry on (with a default, say); if it does not, the run ends with {@code fatal}.
 */
public final class LockTimeoutException extends RuntimeException {
  private final String lid;

  public LockTimeoutException(String fid, String lid, Duration timeout) {
    super("lock " + lid + " of run " + fid + " got no accepted answer within " + timeout);
    this.lid = lid;
  }

  public String lid() {
    return lid;
  }
}
