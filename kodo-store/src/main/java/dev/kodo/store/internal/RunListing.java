package dev.kodo.store.internal;

import dev.kodo.client.RunState;
import dev.kodo.store.RunQuery;
import dev.kodo.store.RunRecord;
import dev.kodo.store.RunVisibility;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The SQL for one {@link RunQuery}: its filters as a {@code WHERE} clause with parameters (user
 * text is only ever bound, never part of the SQL), its sort keys from a fixed set of columns with
 * {@code fid} as the final tie-breaker so that pages are stable.
 */
final class RunListing {
  private final RunQuery query;
  private final String where;
  private final List<Object> params = new ArrayList<>();
  private final String scope;
  private final List<Object> scopeParams;
  private final String whereAll;
  private final List<Object> allParams;

  RunListing(RunQuery query) {
    this.query = query;
    StringJoiner conditions = new StringJoiner(" AND ", " WHERE ", "").setEmptyValue("");
    if (!query.states().isEmpty()) {
      StringJoiner in = new StringJoiner(", ", "state IN (", ")");
      for (RunState s : query.states()) {
        in.add("?");
        params.add(s.wire());
      }
      conditions.add(in.toString());
    }
    if (query.flow() != null) {
      conditions.add("flow = ?");
      params.add(query.flow());
    }
    if (query.owner() != null) {
      conditions.add("owner = ?");
      params.add(query.owner());
    }
    if (query.search() != null && !query.search().isBlank()) {
      String like = LikePattern.of(query.search().strip());
      String escape = " ESCAPE '" + LikePattern.ESCAPE + "'";
      conditions.add(
          "(LOWER(fid) LIKE ?"
              + escape
              + " OR LOWER(flow) LIKE ?"
              + escape
              + " OR LOWER(owner) LIKE ?"
              + escape
              + ")");
      params.add(like);
      params.add(like);
      params.add(like);
    }
    if (query.finishedBefore() != null) {
      conditions.add("finished IS NOT NULL AND finished < ?");
      params.add(query.finishedBefore().toEpochMilli());
    }
    if (query.createdFrom() != null) {
      conditions.add("created >= ?");
      params.add(query.createdFrom().toEpochMilli());
    }
    if (query.createdTo() != null) {
      conditions.add("created < ?");
      params.add(query.createdTo().toEpochMilli());
    }
    if (query.acknowledged() != null) {
      conditions.add("acknowledged = ?");
      params.add(query.acknowledged());
    }
    this.where = conditions.toString();
    if (query.visibleTo() != null) {
      // total counts only what the caller may see; the other filters narrow it further.
      List<Object> visibleParams = new ArrayList<>();
      String v = visible(query.visibleTo(), visibleParams);
      this.scope = " WHERE " + v;
      this.scopeParams = visibleParams;
      this.whereAll = (where.isEmpty() ? " WHERE " : where + " AND ") + v;
      List<Object> all = new ArrayList<>(params);
      all.addAll(visibleParams);
      this.allParams = all;
    } else {
      this.scope = "";
      this.scopeParams = List.of();
      this.whereAll = where;
      this.allParams = params;
    }
  }

  /**
   * Owned by, shared with (at a level other than {@code none}) one of the subjects, or of one of
   * the flows; nothing when the caller has neither subjects nor flows.
   */
  private static String visible(RunVisibility v, List<Object> params) {
    StringJoiner any = new StringJoiner(" OR ", "(", ")");
    if (!v.subjects().isEmpty()) {
      String in = placeholders(v.subjects().size());
      any.add("owner IN " + in);
      params.addAll(v.subjects());
      any.add("fid IN (SELECT fid FROM shares WHERE level <> 'none' AND subject IN " + in + ")");
      params.addAll(v.subjects());
    }
    if (!v.flows().isEmpty()) {
      any.add("flow IN " + placeholders(v.flows().size()));
      params.addAll(v.flows());
    }
    return v.subjects().isEmpty() && v.flows().isEmpty() ? "1 = 0" : any.toString();
  }

  private static String placeholders(int n) {
    StringJoiner j = new StringJoiner(", ", "(", ")");
    for (int i = 0; i < n; i++) j.add("?");
    return j.toString();
  }

  boolean filtered() {
    return !where.isEmpty();
  }

  /** The runs the caller may see (every run without a visibility). */
  long countAll(Connection c, ConnectionPool pool) throws SQLException {
    return count(pool.prepared(c, "SELECT COUNT(*) FROM runs" + scope), scopeParams);
  }

  long countFiltered(Connection c, ConnectionPool pool) throws SQLException {
    return count(pool.prepared(c, "SELECT COUNT(*) FROM runs" + whereAll), allParams);
  }

  List<RunRecord> page(Connection c, ConnectionPool pool) throws SQLException {
    String sql =
        "SELECT " + Rows.RUN_COLUMNS + " FROM runs" + whereAll + orderBy() + " LIMIT ? OFFSET ?";
    PreparedStatement ps = pool.prepared(c, sql);
    int i = bind(ps, allParams);
    ps.setInt(i++, query.perPage());
    ps.setLong(i, (long) query.page() * query.perPage());
    try (ResultSet rs = ps.executeQuery()) {
      List<RunRecord> runs = new ArrayList<>();
      while (rs.next()) {
        runs.add(Rows.run(rs));
      }
      return runs;
    }
  }

  private String orderBy() {
    StringJoiner keys = new StringJoiner(", ", " ORDER BY ", "");
    boolean byFid = false;
    for (RunQuery.Sort s : query.sort()) {
      String direction = s.descending() ? " DESC" : " ASC";
      switch (s.field()) {
        case CREATED -> keys.add("created" + direction);
        case FINISHED -> keys.add("finished IS NULL").add("finished" + direction);
        case FLOW -> keys.add("flow" + direction);
        case STATE -> keys.add("state" + direction);
        case FID -> {
          keys.add("fid" + direction);
          byFid = true;
        }
      }
    }
    if (!byFid) {
      keys.add("fid" + (query.sort().getFirst().descending() ? " DESC" : " ASC"));
    }
    return keys.toString();
  }

  private static long count(PreparedStatement ps, List<Object> params) throws SQLException {
    {
      bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Binds the parameters; the index of the next one. */
  private static int bind(PreparedStatement ps, List<Object> params) throws SQLException {
    int i = 1;
    for (Object p : params) {
      switch (p) {
        case String s -> ps.setString(i++, s);
        case Long l -> ps.setLong(i++, l);
        case Boolean b -> ps.setBoolean(i++, b);
        default -> throw new IllegalStateException("unexpected parameter type " + p.getClass());
      }
    }
    return i;
  }
}
