package dev.kodo.store.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints a SQLite WAL from its own thread and connection, so that the writer never stalls on
 * one: with automatic checkpoints the commit that crosses the threshold copies the whole WAL into
 * the database first, which held every event behind it for 100–250 ms. Passive checkpoints run
 * beside the writer and never take its lock (a truncating one would, and made commits fail with
 * SQLITE_BUSY); the writer restarts the WAL after a complete one, and {@code journal_size_limit}
 * trims the file.
 */
final class Checkpointer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Checkpointer.class);
  private static final long INTERVAL_MILLIS = 500;

  private final Connection connection;
  private final Thread thread;
  private volatile boolean running = true;

  Checkpointer(Connection connection, String name) {
    this.connection = connection;
    this.thread = Thread.ofPlatform().daemon().name("kodo-store-checkpoint").start(this::loop);
    log.debug("checkpointing {} in the background", name);
  }

  private void loop() {
    while (running) {
      try {
        Thread.sleep(INTERVAL_MILLIS);
        checkpoint();
      } catch (InterruptedException e) {
        return;
      } catch (SQLException e) {
        if (running) log.warn("WAL checkpoint failed; will retry: {}", e.getMessage());
      }
    }
  }

  private void checkpoint() throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
      rs.next();
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5_000);
      connection.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (SQLException e) {
      log.debug("final checkpoint failed: {}", e.getMessage());
    }
  }
}
