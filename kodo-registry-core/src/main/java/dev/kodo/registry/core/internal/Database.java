package dev.kodo.registry.core.internal;

import dev.kodo.client.KodoException;
import dev.kodo.store.StoreDatabase;
import dev.kodo.store.StoreOptions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The registry store's database — a {@link StoreDatabase} (SQLite or PostgreSQL, migrated from
 * {@code db/kodo-registry} with its own history table {@code registry_schema_history}, so its
 * tables can live beside the event store's) — reached through one connection that runs one
 * transaction at a time. The registry writes little — admin changes, connects, and batched
 * heartbeat state — so one connection serves it; reads beyond the start-up load are rare.
 * Thread-safe.
 */
final class Database implements AutoCloseable {
  /** Work done in one transaction. */
  @FunctionalInterface
  interface Work<T> {
    T apply(Connection c) throws SQLException;
  }

  private static final StoreDatabase.Layout LAYOUT =
      new StoreDatabase.Layout(
          "registry store", "db/kodo-registry", "registry_schema_history", "kodo-registry");

  private final StoreDatabase db;
  private final ReentrantLock lock = new ReentrantLock();
  private Connection connection;
  private volatile boolean closed;

  private Database(StoreDatabase db) {
    this.db = db;
  }

  /**
   * Opens and migrates the database the options point at.
   *
   * @throws KodoException saying what is wrong with the options or the database
   */
  static Database open(StoreOptions options) {
    return new Database(StoreDatabase.open(options, LAYOUT));
  }

  String describe() {
    return db.describe();
  }

  /**
   * Runs {@code work} in a transaction, committed if it returns and rolled back if it throws.
   *
   * @param what what the work does, naming the node, for the message of a failure
   * @throws KodoException saying what failed and why; retryable if the database was unavailable or
   *     busy
   */
  <T> T transaction(String what, Work<T> work) {
    lock.lock();
    try {
      if (closed) {
        throw new KodoException(
            "cannot " + what + ": the registry store " + describe() + " is closed");
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
      throw StoreDatabase.failure(what + " in the registry store " + describe(), e);
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
