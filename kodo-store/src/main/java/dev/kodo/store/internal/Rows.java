package dev.kodo.store.internal;

import dev.kodo.client.Event;
import dev.kodo.client.RunState;
import dev.kodo.client.RunUsage;
import dev.kodo.store.RunRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Locale;

/** The SQL of the {@code runs} and {@code events} tables and the mapping of their rows. */
final class Rows {
  static final String RUN_COLUMNS =
      "fid, flow, owner, state, progress, progress_message, inputs, result,"
          + " error, lock_data, lock_id, created, finished, acknowledged, last_seq,"
          + " model_calls, input_tokens, output_tokens, cost";
  static final String SELECT_RUN = "SELECT " + RUN_COLUMNS + " FROM runs WHERE fid = ?";
  static final String INSERT_RUN =
      "INSERT INTO runs ("
          + RUN_COLUMNS
          + ", writer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  static final String SELECT_WRITER = "SELECT writer FROM runs WHERE fid = ?";
  private static final String UNFINISHED =
      "state IN ('" + RunState.PENDING.wire() + "', '" + RunState.LOCKED.wire() + "')";

  private static final String CLAIMABLE =
      " AND ((writer <> ? AND (writer = ? OR (? AND substr(writer, 1, ?) = ?)))"
          + " OR (? AND writer IS NULL))";

  /**
   * The unfinished runs another writer writes: that writer (2), or one starting with a prefix (3:
   * whether, 4: its length, 5: it), or none recorded (6: whether); 1 is the claiming writer.
   */
  static final String SELECT_CLAIMABLE =
      "SELECT fid FROM runs WHERE " + UNFINISHED + CLAIMABLE + " ORDER BY created, fid";

  /** Takes run 2 for writer 1 if it is still as {@link #SELECT_CLAIMABLE} found it (3..8). */
  static final String CLAIM_RUN =
      "UPDATE runs SET writer = ? WHERE fid = ? AND " + UNFINISHED + CLAIMABLE;

  static final String UPDATE_RUN =
      "UPDATE runs SET state = ?, progress = ?, progress_message = ?, result = ?,"
          + " error = ?, lock_data = ?, lock_id = ?, finished = ?, acknowledged = ?, last_seq = ?,"
          + " model_calls = ?, input_tokens = ?, output_tokens = ?, cost = ?"
          + " WHERE fid = ? AND last_seq = ?";

  /** {@link #UPDATE_RUN} for a run whose state, lock and end did not change. */
  static final String UPDATE_RUN_PROGRESS =
      "UPDATE runs SET progress = ?, progress_message = ?, result = ?, last_seq = ?,"
          + " model_calls = ?, input_tokens = ?, output_tokens = ?, cost = ?"
          + " WHERE fid = ? AND last_seq = ?";

  static final String DELETE_RUN = "DELETE FROM runs WHERE fid = ?";
  static final String SELECT_UNFINISHED =
      "SELECT "
          + RUN_COLUMNS
          + " FROM runs WHERE state IN ('"
          + RunState.PENDING.wire()
          + "', '"
          + RunState.LOCKED.wire()
          + "') ORDER BY created, fid";

  static final String INSERT_EVENT =
      "INSERT INTO events (fid, seq, ts, kind, type, data) VALUES (?, ?, ?, ?, ?, ?)";
  static final String SELECT_EVENTS =
      "SELECT fid, seq, ts, kind, type, data FROM events WHERE fid = ? AND seq > ? ORDER BY seq LIMIT ?";
  static final String DELETE_EVENTS = "DELETE FROM events WHERE fid = ?";
  static final String UPSERT_SHARE =
      "INSERT INTO shares (fid, subject, level, mode) VALUES (?, ?, ?, ?)"
          + " ON CONFLICT (fid, subject) DO UPDATE SET level = excluded.level, mode = excluded.mode";
  static final String SELECT_SHARES =
      "SELECT subject, level, mode FROM shares WHERE fid = ? ORDER BY subject";
  static final String DELETE_SHARES = "DELETE FROM shares WHERE fid = ?";

  private Rows() {}

  /**
   * The run of the current row of a query whose first columns are {@link #RUN_COLUMNS}, in that
   * order: read by position, since looking a column up by name costs more than the read itself.
   */
  static RunRecord run(ResultSet rs) throws SQLException {
    long finished = rs.getLong(13);
    Instant finishedAt = rs.wasNull() ? null : Instant.ofEpochMilli(finished);
    return new RunRecord(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        RunState.valueOf(rs.getString(4).toUpperCase(Locale.ROOT)),
        rs.getDouble(5),
        rs.getString(6),
        rs.getString(7),
        rs.getString(8),
        rs.getString(9),
        rs.getString(10),
        rs.getString(11),
        Instant.ofEpochMilli(rs.getLong(12)),
        finishedAt,
        rs.getBoolean(14),
        rs.getLong(15),
        usage(rs));
  }

  private static RunUsage usage(ResultSet rs) throws SQLException {
    long calls = rs.getLong(16);
    long in = rs.getLong(17);
    long out = rs.getLong(18);
    double cost = rs.getDouble(19);
    Double costOrNull = rs.wasNull() ? null : cost;
    return calls == 0 && in == 0 && out == 0 && costOrNull == null
        ? RunUsage.NONE
        : new RunUsage(calls, in, out, costOrNull);
  }

  /** Binds {@link #INSERT_RUN}: all {@link #RUN_COLUMNS} and the writer (null: none recorded). */
  static void bindInsert(PreparedStatement ps, RunRecord r, String writer) throws SQLException {
    ps.setString(20, writer);
    ps.setString(1, r.fid());
    ps.setString(2, r.flow());
    ps.setString(3, r.owner());
    ps.setString(4, r.state().wire());
    ps.setDouble(5, r.progress());
    ps.setString(6, r.progressMessage());
    ps.setString(7, r.inputs());
    ps.setString(8, r.result());
    ps.setString(9, r.error());
    ps.setString(10, r.lock());
    ps.setString(11, r.lockId());
    ps.setLong(12, r.created().toEpochMilli());
    bindFinishedToUsage(ps, 13, r);
  }

  /**
   * Binds {@link #UPDATE_RUN}: the derived columns, then the run whose {@code last_seq} must still
   * be {@code base}.
   */
  static void bindUpdate(PreparedStatement ps, RunRecord r, long base) throws SQLException {
    ps.setString(1, r.state().wire());
    ps.setDouble(2, r.progress());
    ps.setString(3, r.progressMessage());
    ps.setString(4, r.result());
    ps.setString(5, r.error());
    ps.setString(6, r.lock());
    ps.setString(7, r.lockId());
    bindFinishedToUsage(ps, 8, r);
    ps.setString(15, r.fid());
    ps.setLong(16, base);
  }

  static void bindProgressUpdate(PreparedStatement ps, RunRecord r, long base) throws SQLException {
    ps.setDouble(1, r.progress());
    ps.setString(2, r.progressMessage());
    ps.setString(3, r.result());
    ps.setLong(4, r.lastSeq());
    RunUsage u = r.usage();
    ps.setLong(5, u.calls());
    ps.setLong(6, u.inputTokens());
    ps.setLong(7, u.outputTokens());
    if (u.cost() == null) {
      ps.setNull(8, Types.DOUBLE);
    } else {
      ps.setDouble(8, u.cost());
    }
    ps.setString(9, r.fid());
    ps.setLong(10, base);
  }

  private static void bindFinishedToUsage(PreparedStatement ps, int from, RunRecord r)
      throws SQLException {
    if (r.finished() == null) {
      ps.setNull(from, Types.BIGINT);
    } else {
      ps.setLong(from, r.finished().toEpochMilli());
    }
    ps.setBoolean(from + 1, r.acknowledged());
    ps.setLong(from + 2, r.lastSeq());
    RunUsage u = r.usage();
    ps.setLong(from + 3, u.calls());
    ps.setLong(from + 4, u.inputTokens());
    ps.setLong(from + 5, u.outputTokens());
    if (u.cost() == null) {
      ps.setNull(from + 6, Types.DOUBLE);
    } else {
      ps.setDouble(from + 6, u.cost());
    }
  }

  static Event event(ResultSet rs) throws SQLException {
    return new Event(
        rs.getString(1),
        rs.getLong(2),
        Instant.ofEpochMilli(rs.getLong(3)),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6));
  }

  static void bindEvent(PreparedStatement ps, Event e) throws SQLException {
    ps.setString(1, e.fid());
    ps.setLong(2, e.seq());
    ps.setLong(3, e.ts().toEpochMilli());
    ps.setString(4, e.kind());
    ps.setString(5, e.type());
    ps.setString(6, e.data());
  }
}
