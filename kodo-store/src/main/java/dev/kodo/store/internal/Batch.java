package dev.kodo.store.internal;

import dev.kodo.client.Event;
import dev.kodo.client.KodoException;
import dev.kodo.store.NoSuchRunException;
import dev.kodo.store.RunFold;
import dev.kodo.store.RunRecord;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One transaction of the writer. Each staged call is checked against the runs' summaries (staged
 * earlier in this batch, else cached, else read from the database) and its events are folded into
 * new summaries; a call that is refused throws a {@link KodoException} and leaves the batch as it
 * was. {@link #commit()} then writes everything with batched statements, each touched run's summary
 * once. Used by the writer thread only.
 */
final class Batch {
  private final WriteSession session;
  private final SummaryCache cache;
  private final Map<String, RunRecord> summaries = new LinkedHashMap<>();
  private final Map<String, RunRecord> stored = new HashMap<>(); // as read before this batch
  private final Set<String> created = new HashSet<>();
  private final Map<String, String> writers = new HashMap<>();
  private final List<Event> events = new ArrayList<>();
  private final List<String> deleted = new ArrayList<>();
  private final boolean replay;

  /**
   * @param replay whether these calls were tried before and the attempt failed: a commit whose
   *     answer was lost (the connection died during {@code COMMIT}) may have been written, so calls
   *     the database already holds — a run that exists, events up to its last seq — count as
   *     written instead of being refused as duplicates
   */
  Batch(WriteSession session, SummaryCache cache, boolean replay) {
    this.session = session;
    this.cache = cache;
    this.replay = replay;
  }

  void create(WriteOp.Create op) throws SQLException {
    String fid = op.run().fid();
    if (replay && !summaries.containsKey(fid) && session.load(fid) != null) {
      return;
    }
    if (summaries.containsKey(fid) || session.load(fid) != null) {
      throw new KodoException("cannot create run " + fid + ": a run with this fid already exists");
    }
    RunRecord r = RunRecord.start(op.run());
    for (Event e : op.events()) {
      r = fold(r, e);
    }
    summaries.put(fid, r);
    created.add(fid);
    writers.put(fid, op.writer());
    events.addAll(op.events());
  }

  void append(WriteOp.Append op) throws SQLException {
    Map<String, RunRecord> staged = new HashMap<>();
    for (Event e : op.events()) {
      RunRecord r = staged.get(e.fid());
      if (r == null) {
        r = current(e);
      }
      long next = r.lastSeq() + 1;
      if (replay && e.seq() < next && !summaries.containsKey(e.fid())) {
        continue; // written by the attempt whose commit answer was lost
      }
      if (e.seq() != next) {
        throw new KodoException(
            "cannot append event seq "
                + e.seq()
                + " to run "
                + e.fid()
                + ": "
                + (e.seq() < next
                    ? "the run already has an event with seq "
                        + e.seq()
                        + " (its last seq is "
                        + r.lastSeq()
                        + ")"
                    : "the next seq is " + next + " (seq must have no gaps)"));
      }
      staged.put(e.fid(), fold(r, e));
    }
    summaries.putAll(staged);
    for (Event e : op.events()) {
      if (staged.containsKey(e.fid())) {
        events.add(e);
      }
    }
  }

  List<RunRecord> claim(WriteOp.Claim op) throws SQLException {
    return session.claim(op.writer(), op.from(), op.unrecorded());
  }

  boolean delete(WriteOp.Delete op) throws SQLException {
    deleted.add(op.fid());
    return session.delete(op.fid());
  }

  /** The run's summary before {@code e}: as staged in this batch, as cached, or as stored. */
  private RunRecord current(Event e) throws SQLException {
    RunRecord r = summaries.get(e.fid());
    if (r != null) {
      return r;
    }
    r = cache.get(e.fid());
    if (r == null || r.lastSeq() + 1 != e.seq()) {
      r = session.load(e.fid());
    }
    if (r == null) {
      throw new NoSuchRunException(
          e.fid(),
          "cannot append event seq "
              + e.seq()
              + " to run "
              + e.fid()
              + ": there is no such run"
              + " (create it first; it may have been deleted)");
    }
    stored.put(e.fid(), r);
    return r;
  }

  private static RunRecord fold(RunRecord r, Event e) {
    try {
      return RunFold.apply(r, e);
    } catch (RuntimeException ex) {
      throw new KodoException(
          "cannot derive the state of run "
              + e.fid()
              + " from event seq "
              + e.seq()
              + " ("
              + e.type()
              + "): "
              + ex.getMessage(),
          ex);
    }
  }

  /** Writes and commits what was staged, then caches the new summaries. */
  void commit() throws SQLException {
    List<RunRecord> inserts = new ArrayList<>();
    List<WriteSession.Update> updates = new ArrayList<>();
    for (RunRecord r : summaries.values()) {
      if (created.contains(r.fid())) {
        inserts.add(r);
      } else {
        updates.add(new WriteSession.Update(r, stored.get(r.fid())));
      }
    }
    session.insertRuns(inserts, writers);
    session.insertEvents(events);
    List<Event> shares = events.stream().filter(e -> e.type().equals("share")).toList();
    if (!shares.isEmpty()) {
      session.upsertShares(shares);
    }
    session.updateRuns(updates);
    session.commit();
    summaries.values().forEach(cache::put);
    deleted.forEach(cache::remove);
  }
}
