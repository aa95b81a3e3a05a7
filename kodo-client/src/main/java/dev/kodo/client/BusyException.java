package dev.kodo.client;

/**
 * A service is too busy to do this now (its store's read timed out, its connections are all in
 * use): the same call may succeed shortly. {@link #detail()} is what a caller may be told — what
 * was refused and which limit was reached — while the message adds where (a database file, a host)
 * for the service's own log.
 */
public final class BusyException extends KodoException {
  private final String detail;

  /**
   * @param detail what was refused and which limit was reached, safe to show to any caller
   * @param where what was busy, for the log only
   */
  public BusyException(String detail, String where, Throwable cause) {
    super(detail + " [" + where + "]", true, cause);
    this.detail = detail;
  }

  /** What a caller may be told. */
  public String detail() {
    return detail;
  }
}
