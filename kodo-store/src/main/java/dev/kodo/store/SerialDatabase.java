package dev.kodo.store;

import dev.kodo.client.KodoException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link StoreDatabase} reached through one connection that runs one transaction at a time: for
 * the parts that write little — the registry (admin changes, connects, batched heartbeat state) and
 * the auth provider (users, grants, keys; a login reads one row). A connection found broken after a
 * failure is replaced on the next transaction. Thread-safe.
 *
 * <pre>{@code
 * SerialDatabase db = SerialDatabase.open(options, layout);
 * long users = db.transaction("count users", c -> …);
 * }</pre>
 */
public final class SerialDatabase implements AutoCloseable {
  /** Work done in one transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T apply(Connection c) throws SQLException;
  }

  private final StoreDatabase db;
  private final String what;
  private final ReentrantLock lock = new ReentrantLock();
  private Connection connection;
  private boolean closed;

  private SerialDatabase(StoreDatabase db, String what) {
    this.db = db;
    this.what = what;
  }

  /**
   * Opens and migrates the database the options point at, with the part's {@code layout}.
   *
   * @throws KodoException saying what is wrong with the options or the database
   */
  public static SerialDatabase open(StoreOptions options, StoreDatabase.Layout layout) {
    return new SerialDatabase(StoreDatabase.open(options, layout), layout.what());
  }

  /** Where the database is, safe to log: no password. */
  public String describe() {
    return db.describe();
  }

  /**
   * Runs {@code work} in a transaction, committed if it returns and rolled back if it throws.
   *
   * @param action what the work does, for the message of a failure (e.g. {@code "add user 'ann'"})
   * @throws KodoException saying what failed and why; retryable if the database was unavailable or
   *     busy
   */
  public <T> T transaction(String action, Work<T> work) {
    lock.lock();
    try {
      if (closed) {
        throw new KodoException(
            "cannot " + action + ": the " + what + " " + describe() + " is closed");
      }
      if (connection == null) {
        connection = db.openWriter();
      }
      try {
        T result = work.apply(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollback();
        throw e;
      }
    } catch (SQLException e) {
      dropIfBroken();
      throw StoreDatabase.failure(action + " in the " + what + " " + describe(), e);
    } finally {
      lock.unlock();
    }
  }

  private void rollback() {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the connection is checked and replaced below if it is broken
    }
  }

  private void dropIfBroken() {
    try {
      if (connection != null && !connection.isValid(2)) {
        connection.close();
        connection = null;
      }
    } catch (SQLException e) {
      connection = null;
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      if (connection != null) {
        connection.close();
        connection = null;
      }
    } catch (SQLException ignored) {
      // closing is best effort
    } finally {
      lock.unlock();
      db.close();
    }
  }
}
