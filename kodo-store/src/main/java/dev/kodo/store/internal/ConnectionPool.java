package dev.kodo.store.internal;

import dev.kodo.client.KodoException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A fixed set of read connections lent to one caller at a time (JDBC connections of sqlite-jdbc
 * are not thread-safe). Callers wait for a free one; on virtual threads waiting costs nothing.
 * A connection that failed and is no longer valid is replaced. Thread-safe.
 */
final class ConnectionPool implements AutoCloseable {
  /** Work done with a borrowed connection. */
  @FunctionalInterface
  interface SqlWork<T> {
    T apply(Connection c) throws SQLException;
  }

  private static final long CLOSED_CHECK_MILLIS = 200;

  private final Backend backend;
  private final BlockingQueue<Connection> idle;
  private volatile boolean closed;

  private ConnectionPool(Backend backend, List<Connection> connections) {
    this.backend = backend;
    this.idle = new ArrayBlockingQueue<>(connections.size(), false, connections);
  }

  static ConnectionPool open(Backend backend) throws SQLException {
    List<Connection> connections = new ArrayList<>();
    try {
      for (int i = 0; i < backend.readers(); i++) {
        connections.add(backend.openReader());
      }
    } catch (SQLException e) {
      connections.forEach(ConnectionPool::closeQuietly);
      throw e;
    }
    return new ConnectionPool(backend, connections);
  }

  /** Runs {@code work} on a borrowed connection; {@code what} it does, naming the fid, is for messages. */
  <T> T read(String what, SqlWork<T> work) {
    Connection c = borrow(what);
    boolean healthy = true;
    try {
      return work.apply(c);
    } catch (SQLException e) {
      healthy = isValid(c);
      throw SqlErrors.wrap(what, e);
    } finally {
      release(c, healthy);
    }
  }

  private Connection borrow(String what) {
    try {
      while (true) {
        if (closed) {
          throw closed(what);
        }
        Connection c = idle.poll(CLOSED_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        if (c != null) {
          return c;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KodoException("interrupted while waiting for a connection to " + what, e);
    }
  }

  private void release(Connection c, boolean healthy) {
    Connection back = c;
    if (!healthy) {
      closeQuietly(c);
      try {
        back = backend.openReader();
      } catch (SQLException e) {
        back = c;
      }
    }
    if (closed) {
      closeQuietly(back);
    } else {
      idle.add(back);
      if (closed && idle.remove(back)) {
        closeQuietly(back);
      }
    }
  }

  private KodoException closed(String what) {
    return new KodoException("cannot " + what + ": the event store " + backend.describe() + " is closed");
  }

  private static boolean isValid(Connection c) {
    try {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // closing is best effort: the connection is being dropped anyway
    }
  }

  /** Closes idle connections now and busy ones when they come back. */
  @Override
  public void close() {
    closed = true;
    for (Connection c; (c = idle.poll()) != null; ) {
      closeQuietly(c);
    }
  }
}
