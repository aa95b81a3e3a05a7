package dev.kodo.store.internal;

import dev.kodo.client.KodoException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/** Turns database errors into {@link KodoException}s, retryable when the database was only unavailable or busy. */
final class SqlErrors {
  private static final int SQLITE_BUSY = 5;
  private static final int SQLITE_LOCKED = 6;

  private SqlErrors() {}

  private static final int MAX_REASON_LENGTH = 500;

  /** An exception saying {@code what} failed (it names the fid and seq involved) and why. */
  static KodoException wrap(String what, Throwable e) {
    String message = "cannot " + what + ": " + reason(e);
    return retryable(e) ? KodoException.retryable(message, e) : new KodoException(message, e);
  }

  /**
   * Why {@code e} happened, in a line: the database's own error rather than a batch's echo of the
   * statements it aborted (PostgreSQL quotes every row of the batch, which can be megabytes).
   */
  static String reason(Throwable e) {
    Throwable cause = e instanceof SQLException s && s.getNextException() != null ? s.getNextException() : e;
    String reason = String.valueOf(cause.getMessage()).strip();
    return reason.length() <= MAX_REASON_LENGTH ? reason : reason.substring(0, MAX_REASON_LENGTH) + "…";
  }

  static boolean retryable(Throwable e) {
    if (!(e instanceof SQLException s)) {
      return false;
    }
    String state = s.getSQLState();
    return s instanceof SQLTransientException
        || s instanceof SQLRecoverableException
        || (state != null && (state.startsWith("08") || state.startsWith("40") || state.startsWith("57P")))
        || s.getErrorCode() == SQLITE_BUSY
        || s.getErrorCode() == SQLITE_LOCKED;
  }
}
