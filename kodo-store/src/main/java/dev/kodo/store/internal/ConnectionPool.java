package dev.kodo.store.internal;

import dev.kodo.client.BusyException;
import dev.kodo.client.KodoException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed set of read connections lent to one caller at a time (JDBC connections of sqlite-jdbc are
 * not thread-safe). Reads never hold up the writer, and they are bounded in time: a caller waits at
 * most the options' {@code readWait} for a free connection, and a read that runs longer than {@code
 * readTimeout} is cancelled on its connection; both fail with a retryable {@link KodoException}
 * saying the store is busy (the HTTP layer answers 503). A connection that failed and is no longer
 * valid is replaced. Thread-safe.
 */
final class ConnectionPool implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConnectionPool.class);

  /** Work done with a borrowed connection. */
  @FunctionalInterface
  interface SqlWork<T> {
    T apply(Connection c) throws SQLException;
  }

  private static final long CLOSED_CHECK_MILLIS = 200;

  /** The most prepared statements one connection keeps (least recently used ones are closed). */
  static final int STATEMENTS_PER_CONNECTION = 32;

  /**
   * Each connection's prepared statements, by SQL: preparing costs a parse (SQLite) or a round trip
   * (PostgreSQL) on every read otherwise. Only the connection's borrower touches its cache.
   */
  private final java.util.Map<Connection, StatementCache> statements =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final Backend backend;
  private final BlockingQueue<Connection> idle;
  private final int size;
  private final Duration timeout;
  private final Duration wait;
  // The reads running now, each with its deadline: one thread looks them over every tick instead
  // of a timer scheduled and cancelled for each read, which cost a lock on a shared queue and a
  // thread wake-up per read (docs/performance.md#lock-release).
  private final Set<Deadline> running = ConcurrentHashMap.newKeySet();
  private final Thread watch;
  private volatile boolean closed;

  private ConnectionPool(Backend backend, List<Connection> connections) {
    this.backend = backend;
    this.size = connections.size();
    this.idle = new ArrayBlockingQueue<>(connections.size(), false, connections);
    this.timeout = backend.options().readTimeout();
    this.wait = backend.options().readWait();
    this.watch = Thread.ofPlatform().daemon().name("kodo-store-read-deadline").start(this::watch);
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

  /**
   * Runs {@code work} on a borrowed connection; {@code what} it does, naming the fid, is for
   * messages. A connection found dead (the database restarted, or dropped it while idle) is
   * replaced and the work tried once more on the new one.
   */
  <T> T read(String what, SqlWork<T> work) {
    Connection c = borrow(what);
    Deadline deadline = new Deadline(System.nanoTime() + timeout.toNanos());
    running.add(deadline);
    try {
      for (int attempt = 1; ; attempt++) {
        deadline.start(c);
        try {
          if (deadline.expired()) {
            throw new SQLException("the read's deadline passed before it started");
          }
          return work.apply(c);
        } catch (SQLException e) {
          if (deadline.expired()) {
            throw new BusyException(
                "cannot "
                    + what
                    + ": the event store is busy: the read took longer than "
                    + seconds(timeout)
                    + " and was cancelled (kodo.store.read-timeout); try again, or ask for less",
                backend.describe(),
                e);
          }
          if (isValid(c)) {
            throw SqlErrors.wrap(what, e);
          }
          deadline.finish();
          drop(c);
          c = null;
          Connection fresh;
          try {
            fresh = backend.openReader();
          } catch (SQLException reopen) {
            throw SqlErrors.wrap(what, reopen);
          }
          c = fresh;
          if (attempt > 1 || !SqlErrors.retryable(e)) {
            throw SqlErrors.wrap(what, e);
          }
        }
      }
    } finally {
      deadline.finish();
      running.remove(deadline);
      if (c != null) {
        release(c);
      } else {
        replaceLost();
      }
    }
  }

  private Connection borrow(String what) {
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      while (true) {
        if (closed) {
          throw closed(what);
        }
        long left = deadline - System.nanoTime();
        Connection c =
            idle.poll(
                Math.max(0, Math.min(left, TimeUnit.MILLISECONDS.toNanos(CLOSED_CHECK_MILLIS))),
                TimeUnit.NANOSECONDS);
        if (c != null) {
          return c;
        }
        if (deadline - System.nanoTime() <= 0) {
          throw new BusyException(
              "cannot "
                  + what
                  + ": the event store is busy: all "
                  + size
                  + " read connections stayed in use for "
                  + seconds(wait)
                  + " (kodo.store.read-wait); try again",
              backend.describe(),
              null);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KodoException("interrupted while waiting for a connection to " + what, e);
    }
  }

  /**
   * The prepared statement of {@code sql} on {@code c}, a connection this caller borrowed in {@link
   * #read}: made once per connection and kept, so the caller must not close it (closing its result
   * sets is enough); its parameters are cleared.
   */
  PreparedStatement prepared(Connection c, String sql) throws SQLException {
    return statements.computeIfAbsent(c, k -> new StatementCache()).get(c, sql);
  }

  /** A connection's statements, least recently used first. Used by one thread at a time. */
  private static final class StatementCache
      extends java.util.LinkedHashMap<String, PreparedStatement> {
    StatementCache() {
      super(16, 0.75f, true);
    }

    PreparedStatement get(Connection c, String sql) throws SQLException {
      PreparedStatement ps = super.get(sql);
      if (ps == null || ps.isClosed()) {
        ps = c.prepareStatement(sql);
        put(sql, ps);
      } else {
        ps.clearParameters();
      }
      return ps;
    }

    @Override
    protected boolean removeEldestEntry(java.util.Map.Entry<String, PreparedStatement> eldest) {
      if (size() > STATEMENTS_PER_CONNECTION) {
        closeQuietly(eldest.getValue());
        return true;
      }
      return false;
    }

    void closeAll() {
      values().forEach(ConnectionPool::closeQuietly);
      clear();
    }
  }

  /** Closes {@code c} and its statements. */
  private void drop(Connection c) {
    StatementCache cached = statements.remove(c);
    if (cached != null) {
      cached.closeAll();
    }
    closeQuietly(c);
  }

  private void release(Connection c) {
    if (closed) {
      drop(c);
    } else {
      idle.add(c);
      if (closed && idle.remove(c)) {
        drop(c);
      }
    }
  }

  /**
   * A connection died and no new one could be opened: try once more, so the pool keeps its size.
   */
  private void replaceLost() {
    try {
      release(backend.openReader());
    } catch (SQLException e) {
      log.warn(
          "the event store {} lost a read connection and could not open another ({}); {} are left",
          backend.describe(),
          SqlErrors.reason(e),
          idle.size());
    }
  }

  /**
   * The deadline of one read: cancels the statement running on its connection unless the read
   * finished first.
   */
  private final class Deadline {
    private final long at; // System.nanoTime() after which the read is cancelled
    private Connection connection;
    private boolean finished;
    private boolean expired;

    Deadline(long at) {
      this.at = at;
    }

    synchronized void start(Connection c) {
      connection = c;
      finished = false;
    }

    // Synchronized with finish(): a connection already handed back must never be interrupted.
    synchronized void expire() {
      expired = true;
      if (finished || connection == null) {
        return;
      }
      try {
        backend.interrupt(connection);
      } catch (SQLException | RuntimeException e) {
        log.warn(
            "could not cancel a read on the event store {} that ran past {}: {}",
            backend.describe(),
            seconds(timeout),
            e.toString());
      }
    }

    synchronized void finish() {
      finished = true;
    }

    synchronized boolean expired() {
      return expired;
    }
  }

  /**
   * Cancels the reads that ran past their deadline, looking every tenth of the timeout (at most
   * every 100 ms, at least every millisecond): a read is cancelled at most a tick late.
   */
  private void watch() {
    long tick = Math.clamp(timeout.toNanos() / 10, TimeUnit.MILLISECONDS.toNanos(1), TICK_NANOS);
    while (!closed) {
      LockSupport.parkNanos(tick);
      long now = System.nanoTime();
      for (Deadline d : running) {
        if (now - d.at >= 0 && running.remove(d)) {
          try {
            d.expire();
          } catch (RuntimeException e) {
            // expire() logs what it knows; the watcher must outlive one bad cancel
            log.warn("cancelling a read past its deadline failed: {}", e.toString());
          }
        }
      }
    }
  }

  private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private KodoException closed(String what) {
    return new KodoException(
        "cannot " + what + ": the event store " + backend.describe() + " is closed");
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
    LockSupport.unpark(watch);
    for (Connection c; (c = idle.poll()) != null; ) {
      drop(c);
    }
  }
}
