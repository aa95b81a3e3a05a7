package dev.kodo.store.internal;

import dev.kodo.client.Check;
import dev.kodo.client.Event;
import dev.kodo.client.KodoException;
import dev.kodo.client.Page;
import dev.kodo.client.Share;
import dev.kodo.store.EventStore;
import dev.kodo.store.NewRun;
import dev.kodo.store.NoSuchRunException;
import dev.kodo.store.RunQuery;
import dev.kodo.store.RunRecord;
import dev.kodo.store.StoreOptions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link EventStore} over JDBC, the same for SQLite and PostgreSQL: writes go through one
 * {@link GroupCommitWriter}, reads through a small {@link ConnectionPool}. Thread-safe.
 */
public final class JdbcEventStore implements EventStore {
  private static final Logger log = LoggerFactory.getLogger(JdbcEventStore.class);

  private final Backend backend;
  private final WriteQueue queue;
  private final GroupCommitWriter writer;
  private final ConnectionPool readers;
  private volatile String writerId;
  private AutoCloseable maintenance = () -> {};
  private final AtomicBoolean closed = new AtomicBoolean();

  private JdbcEventStore(Backend backend, WriteSession session, ConnectionPool readers) {
    this.backend = backend;
    this.queue = new WriteQueue(backend.describe());
    this.writer = new GroupCommitWriter(backend, queue, session);
    this.readers = readers;
  }

  /** Opens the store the options point at, creating or migrating its tables first. */
  public static EventStore open(StoreOptions options) {
    Check.notNull(options, "store options");
    return open(Backend.of(options, Backend.EVENTS));
  }

  /** Opens the store on {@code backend} (tests pass one that injects faults). */
  static EventStore open(Backend backend) {
    backend.prepare();
    Migrations.migrate(backend);
    WriteSession session = null;
    ConnectionPool readers = null;
    try {
      session = WriteSession.open(backend);
      readers = ConnectionPool.open(backend);
      JdbcEventStore store = new JdbcEventStore(backend, session, readers);
      store.writer.start();
      store.maintenance = backend.startMaintenance();
      log.info("opened the event store {}", backend.describe());
      return store;
    } catch (SQLException e) {
      if (readers != null) {
        readers.close(); // and its deadline watcher's thread
      }
      if (session != null) {
        session.close();
      }
      throw SqlErrors.wrap("open the event store " + backend.describe(), e);
    }
  }

  @Override
  public CompletableFuture<Void> create(NewRun run, List<Event> first) {
    Check.notNull(run, "run");
    Check.notNull(first, "first events");
    List<Event> events = List.copyOf(first);
    for (int i = 0; i < events.size(); i++) {
      Event e = events.get(i);
      Check.that(
          e.fid().equals(run.fid()),
          "event seq "
              + e.seq()
              + " belongs to run "
              + e.fid()
              + ", not to run "
              + run.fid()
              + " being created");
      Check.that(
          e.seq() == i + 1,
          "the first events of run "
              + run.fid()
              + " must have seq 1.."
              + events.size()
              + ", but event "
              + (i + 1)
              + " has seq "
              + e.seq());
    }
    return submit(new WriteOp.Create(run, events, writerId, new CompletableFuture<>()));
  }

  @Override
  public CompletableFuture<Void> append(List<Event> events) {
    Check.notNull(events, "events");
    return submit(new WriteOp.Append(List.copyOf(events), new CompletableFuture<>()));
  }

  @Override
  public boolean awaitRoom(long maxMillis) {
    return queue.awaitRoom(maxMillis);
  }

  private <T> CompletableFuture<T> submit(WriteOp op) {
    queue.submit(op);
    @SuppressWarnings("unchecked")
    CompletableFuture<T> future = (CompletableFuture<T>) op.future();
    return future;
  }

  @Override
  public Optional<RunRecord> run(String fid) {
    Check.notBlank(fid, "fid");
    return readers.read(
        "read run " + fid,
        c -> {
          PreparedStatement ps = readers.prepared(c, Rows.SELECT_RUN);
          ps.setString(1, fid);
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(Rows.run(rs)) : Optional.empty();
          }
        });
  }

  @Override
  public List<Share> shares(String fid) {
    Check.notBlank(fid, "fid");
    return readers.read(
        "read the shares of run " + fid,
        c -> {
          PreparedStatement ps = readers.prepared(c, Rows.SELECT_SHARES);
          ps.setString(1, fid);
          try (ResultSet rs = ps.executeQuery()) {
            List<Share> shares = new ArrayList<>();
            while (rs.next()) {
              shares.add(new Share(rs.getString(1), rs.getString(2), rs.getString(3)));
            }
            return shares;
          }
        });
  }

  @Override
  public List<Event> events(String fid, long after, int limit) {
    Check.notBlank(fid, "fid");
    Check.that(after >= 0, "after must be 0 or more, not " + after);
    Check.that(limit >= 0, "limit must be 0 or more, not " + limit);
    if (limit == 0) {
      return List.of();
    }
    return readers.read(
        "read events of run " + fid + " after seq " + after,
        c -> {
          PreparedStatement ps = readers.prepared(c, Rows.SELECT_EVENTS);
          ps.setString(1, fid);
          ps.setLong(2, after);
          ps.setInt(3, limit);
          try (ResultSet rs = ps.executeQuery()) {
            List<Event> events = new ArrayList<>(Math.min(limit, 1024));
            while (rs.next()) {
              events.add(Rows.event(rs));
            }
            return events;
          }
        });
  }

  @Override
  public Page<RunRecord> runs(RunQuery query) {
    Check.notNull(query, "query");
    RunListing listing = new RunListing(query);
    return readers.read(
        "list runs",
        c -> {
          long total = listing.countAll(c, readers);
          long filtered = listing.filtered() ? listing.countFiltered(c, readers) : total;
          return new Page<>(
              total, filtered, query.page(), query.perPage(), listing.page(c, readers));
        });
  }

  @Override
  public List<RunRecord> unfinished() {
    return readers.read(
        "list unfinished runs",
        c -> {
          try (ResultSet rs = readers.prepared(c, Rows.SELECT_UNFINISHED).executeQuery()) {
            List<RunRecord> runs = new ArrayList<>();
            while (rs.next()) {
              runs.add(Rows.run(rs));
            }
            return runs;
          }
        });
  }

  @Override
  public void writeAs(String writer) {
    this.writerId = writer;
  }

  @Override
  public String writer(String fid) {
    Check.notBlank(fid, "fid");
    return readers.read(
        "read the writer of run " + fid,
        c -> {
          PreparedStatement ps = readers.prepared(c, Rows.SELECT_WRITER);
          ps.setString(1, fid);
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              throw new NoSuchRunException(fid, "no run '" + fid + "'");
            }
            return rs.getString(1);
          }
        });
  }

  @Override
  public List<RunRecord> claim(String from, boolean unrecorded) {
    Check.notBlank(from, "from");
    String writer = writerId;
    if (writer == null) {
      throw new IllegalStateException("this store has no writer to claim runs for (writeAs)");
    }
    if (this.writer.isWriterThread()) {
      throw new IllegalStateException(
          "cannot claim runs from a completion callback of the event store: it would wait for its own thread");
    }
    CompletableFuture<List<RunRecord>> claimed =
        submit(new WriteOp.Claim(writer, from, unrecorded, new CompletableFuture<>()));
    try {
      return claimed.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof KodoException k) {
        throw k.retryable()
            ? KodoException.retryable(k.getMessage(), k)
            : new KodoException(k.getMessage(), k);
      }
      throw new KodoException(
          "cannot claim the runs of " + from + ": " + e.getCause(), e.getCause());
    }
  }

  @Override
  public boolean delete(String fid) {
    Check.notBlank(fid, "fid");
    if (writer.isWriterThread()) {
      throw new IllegalStateException(
          "cannot delete run "
              + fid
              + " from a completion callback of the event store:"
              + " it would wait for its own thread; delete from another thread");
    }
    CompletableFuture<Boolean> deleted = submit(new WriteOp.Delete(fid, new CompletableFuture<>()));
    try {
      return deleted.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof KodoException k) {
        throw k.retryable()
            ? KodoException.retryable(k.getMessage(), k)
            : new KodoException(k.getMessage(), k);
      }
      throw new KodoException("cannot delete run " + fid + ": " + e.getCause(), e.getCause());
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    queue.close();
    writer.awaitStop();
    try {
      maintenance.close();
    } catch (Exception e) {
      log.debug("store upkeep stopped with {}", e.toString());
    }
    readers.close();
    log.info("closed the event store {}", backend.describe());
  }

  @Override
  public String toString() {
    return "JdbcEventStore[" + backend.describe() + "]";
  }
}
