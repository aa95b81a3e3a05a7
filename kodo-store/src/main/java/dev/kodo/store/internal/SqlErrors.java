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

  /** An exception saying {@code what} failed (it names the fid and seq involved) and why. */
  static KodoException wrap(String what, Throwable e) {
    String message = "cannot " + what + ": " + e.getMessage();
    return retryable(e) ? KodoException.retryable(message, e) : new KodoException(message, e);
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
