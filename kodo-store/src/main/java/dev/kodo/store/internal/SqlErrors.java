package dev.kodo.store.internal;

import dev.kodo.client.KodoException;
import dev.kodo.client.Shorten;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * Turns database errors into {@link KodoException}s, retryable when the database was only
 * unavailable or busy.
 */
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
    Throwable cause =
        e instanceof SQLException s && s.getNextException() != null ? s.getNextException() : e;
    String reason = String.valueOf(cause.getMessage()).strip();
    return Shorten.to(reason, MAX_REASON_LENGTH);
  }

  /**
   * Whether waiting may cure {@code e}: the connection was lost or refused, the database is
   * restarting or shutting down, a transaction was rolled back for serialisation or deadlock, or
   * SQLite was busy or locked. Looks through chained exceptions (a batch carries the database's own
   * error as its next exception).
   */
  static boolean retryable(Throwable e) {
    int depth = 0;
    for (Throwable t = e; t != null && depth < 10; depth++) {
      if (t instanceof SQLException s) {
        if (retryable(s)) {
          return true;
        }
        SQLException next = s.getNextException();
        if (next != null && next != s && retryable(next)) {
          return true;
        }
      }
      t = t.getCause() == t ? null : t.getCause();
    }
    return false;
  }

  private static boolean retryable(SQLException s) {
    String state = s.getSQLState();
    int primary = s.getErrorCode() & 0xff;
    return s instanceof SQLTransientException
        || s instanceof SQLRecoverableException
        || (state != null
            && (state.startsWith("08")
                || state.startsWith("40")
                || state.startsWith("57P")
                || state.equals("53300")))
        || primary == SQLITE_BUSY
        || primary == SQLITE_LOCKED;
  }
}
