package dev.kodo.store.internal;

import dev.kodo.client.Event;
import dev.kodo.client.Share;
import dev.kodo.store.RunRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The writer's connection and its prepared statements. Every method runs inside the current
 * transaction; {@link #commit()} or {@link #rollback()} ends it. Used by the writer thread only.
 */
final class WriteSession implements AutoCloseable {
  private final Connection connection;
  private final PreparedStatement selectRun;
  private final PreparedStatement insertRun;
  private final PreparedStatement updateRun;
  private final PreparedStatement updateProgress;
  private final PreparedStatement insertEvent;
  private final PreparedStatement deleteEvents;
  private final PreparedStatement deleteRun;
  private final PreparedStatement upsertShare;
  private final PreparedStatement deleteShares;

  private WriteSession(Connection c) throws SQLException {
    this.connection = c;
    this.selectRun = c.prepareStatement(Rows.SELECT_RUN);
    this.insertRun = c.prepareStatement(Rows.INSERT_RUN);
    this.updateRun = c.prepareStatement(Rows.UPDATE_RUN);
    this.updateProgress = c.prepareStatement(Rows.UPDATE_RUN_PROGRESS);
    this.insertEvent = c.prepareStatement(Rows.INSERT_EVENT);
    this.deleteEvents = c.prepareStatement(Rows.DELETE_EVENTS);
    this.deleteRun = c.prepareStatement(Rows.DELETE_RUN);
    this.upsertShare = c.prepareStatement(Rows.UPSERT_SHARE);
    this.deleteShares = c.prepareStatement(Rows.DELETE_SHARES);
  }

  static WriteSession open(Backend backend) throws SQLException {
    Connection c = backend.openWriter();
    try {
      return new WriteSession(c);
    } catch (SQLException e) {
      ConnectionPool.closeQuietly(c);
      throw e;
    }
  }

  /** The run's summary as stored, or null if there is no such run. */
  RunRecord load(String fid) throws SQLException {
    selectRun.setString(1, fid);
    try (ResultSet rs = selectRun.executeQuery()) {
      return rs.next() ? Rows.run(rs) : null;
    }
  }

  void insertRuns(Collection<RunRecord> runs, Map<String, String> writers) throws SQLException {
    if (runs.isEmpty()) {
      return;
    }
    for (RunRecord r : runs) {
      Rows.bindInsert(insertRun, r, writers.get(r.fid()));
      insertRun.addBatch();
    }
    insertRun.executeBatch();
  }

  void insertEvents(List<Event> events) throws SQLException {
    if (events.isEmpty()) {
      return;
    }
    for (Event e : events) {
      Rows.bindEvent(insertEvent, e);
      insertEvent.addBatch();
    }
    insertEvent.executeBatch();
  }

  /**
   * Records who runs are shared with, from their {@code share} events (a later share of a subject
   * wins).
   */
  void upsertShares(List<Event> shareEvents) throws SQLException {
    // One row per (fid, subject), the last share winning: PostgreSQL refuses a batched upsert
    // that touches the same row twice.
    Map<List<String>, Share> last = new LinkedHashMap<>();
    for (Event e : shareEvents) {
      for (Share share : Share.of(e)) {
        List<String> key = List.of(e.fid(), share.subject());
        last.remove(key);
        last.put(key, share);
      }
    }
    for (var entry : last.entrySet()) {
      upsertShare.setString(1, entry.getKey().get(0));
      upsertShare.setString(2, entry.getValue().subject());
      upsertShare.setString(3, entry.getValue().level());
      upsertShare.setString(4, entry.getValue().mode());
      upsertShare.addBatch();
    }
    if (!last.isEmpty()) {
      upsertShare.executeBatch();
    }
  }

  /** A run's new summary, to store over the row whose {@code last_seq} is still {@code base}. */
  /**
   * A run's new summary over the one read before the batch ({@code before}, whose {@code lastSeq}
   * the row must still have).
   */
  record Update(RunRecord summary, RunRecord before) {
    long base() {
      return before.lastSeq();
    }

    /**
     * Whether only what changes while a run goes on changed (progress, result, last seq, usage):
     * the row is then updated without its state, lock and end columns, and so without rewriting
     * their index entries (SQLite rewrites an index entry for every column set, changed or not).
     */
    boolean progressOnly() {
      RunRecord a = summary;
      RunRecord b = before;
      return a.state() == b.state()
          && Objects.equals(a.error(), b.error())
          && Objects.equals(a.lock(), b.lock())
          && Objects.equals(a.lockId(), b.lockId())
          && Objects.equals(a.finished(), b.finished())
          && a.acknowledged() == b.acknowledged();
    }
  }

  /**
   * Stores the new summaries; fails if another writer changed one of those runs since it was read.
   */
  void updateRuns(List<Update> updates) throws SQLException {
    if (updates.isEmpty()) {
      return;
    }
    List<Update> full = new ArrayList<>();
    List<Update> progress = new ArrayList<>();
    for (Update u : updates) {
      (u.progressOnly() ? progress : full).add(u);
    }
    for (Update u : full) {
      Rows.bindUpdate(updateRun, u.summary(), u.base());
      updateRun.addBatch();
    }
    for (Update u : progress) {
      Rows.bindProgressUpdate(updateProgress, u.summary(), u.base());
      updateProgress.addBatch();
    }
    checkUpdated(full, full.isEmpty() ? new int[0] : updateRun.executeBatch());
    checkUpdated(progress, progress.isEmpty() ? new int[0] : updateProgress.executeBatch());
  }

  private static void checkUpdated(List<Update> updates, int[] counts) throws SQLException {
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] == 0) {
        Update u = updates.get(i);
        throw new SQLException(
            "run "
                + u.summary().fid()
                + " changed in the database while seq "
                + (u.base() + 1)
                + ".."
                + u.summary().lastSeq()
                + " were being written (is another store writing to it?)");
      }
    }
  }

  /**
   * Makes {@code writer} the writer of the unfinished runs of writer {@code from} (a prefix if it
   * ends with {@code *}) and, with {@code unrecorded}, of those with none; the runs it took. A run
   * another node's store took meanwhile is left to it: each update checks the writer again.
   */
  List<RunRecord> claim(String writer, String from, boolean unrecorded) throws SQLException {
    boolean prefix = from.endsWith("*");
    String key = prefix ? from.substring(0, from.length() - 1) : from;
    List<String> fids = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement(Rows.SELECT_CLAIMABLE)) {
      bindClaimable(ps, 1, writer, key, prefix, unrecorded);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          fids.add(rs.getString(1));
        }
      }
    }
    List<RunRecord> claimed = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement(Rows.CLAIM_RUN)) {
      for (String fid : fids) {
        ps.setString(1, writer);
        ps.setString(2, fid);
        bindClaimable(ps, 3, writer, key, prefix, unrecorded);
        if (ps.executeUpdate() > 0) {
          claimed.add(load(fid));
        }
      }
    }
    return claimed;
  }

  private static void bindClaimable(
      PreparedStatement ps, int at, String writer, String key, boolean prefix, boolean unrecorded)
      throws SQLException {
    ps.setString(at, writer);
    ps.setString(at + 1, key);
    ps.setBoolean(at + 2, prefix);
    ps.setInt(at + 3, key.length());
    ps.setString(at + 4, key);
    ps.setBoolean(at + 5, unrecorded);
  }

  /** Removes the run and its events; whether the run existed. */
  boolean delete(String fid) throws SQLException {
    deleteShares.setString(1, fid);
    deleteShares.executeUpdate();
    deleteEvents.setString(1, fid);
    deleteEvents.executeUpdate();
    deleteRun.setString(1, fid);
    return deleteRun.executeUpdate() > 0;
  }

  void commit() throws SQLException {
    connection.commit();
  }

  void rollback() {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the transaction is being abandoned; a broken connection is noticed by isValid()
    }
  }

  boolean isValid() {
    try {
      return connection.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public void close() {
    ConnectionPool.closeQuietly(connection);
  }
}
