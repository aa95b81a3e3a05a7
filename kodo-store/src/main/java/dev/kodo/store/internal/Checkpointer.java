package dev.kodo.store.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints a SQLite WAL from its own thread and connection, so that the writer never stalls
 * on one: with automatic checkpoints the commit that crosses the threshold copies the whole WAL
 * into the database first, which held every event behind it for 100–250 ms. Passive checkpoints
 * run beside the writer; when the WAL has grown large despite them, a truncating one resets it.
 */
final class Checkpointer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Checkpointer.class);
  private static final long INTERVAL_MILLIS = 500;
  private static final int TRUNCATE_ABOVE_PAGES = 16_384;

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
        int walPages = checkpoint("PASSIVE");
        if (walPages > TRUNCATE_ABOVE_PAGES) {
          checkpoint("TRUNCATE");
        }
      } catch (InterruptedException e) {
        return;
      } catch (SQLException e) {
        if (running) log.warn("WAL checkpoint failed; will retry: {}", e.getMessage());
      }
    }
  }

  /** Runs one checkpoint; returns the WAL's size in pages. */
  private int checkpoint(String mode) throws SQLException {
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
      return rs.next() ? rs.getInt(2) : 0;
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5_000);
      checkpoint("TRUNCATE");
      connection.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (SQLException e) {
      log.debug("final checkpoint failed: {}", e.getMessage());
    }
  }
}
