package dev.kodo.node.runs;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.KodoException;
import dev.kodo.client.RunUsage;
import dev.kodo.engine.EventData;
import dev.kodo.store.EventStore;
import dev.kodo.store.NewRun;
import dev.kodo.store.NoSuchRunException;
import dev.kodo.store.RunRecord;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The single writer of this node's event logs: assigns each event its {@code seq} (gapless per
 * run), hands it to the store in that order, and publishes it to live listeners once it is durable.
 * Everything that appends to a run — the node's own events and those workers send — goes through
 * here, so two writers can never race for a seq.
 *
 * <p>Once a run has ended ({@code final}, {@code fatal} or {@code kill}), what its flow still emits
 * is dropped; the node's management events ({@code acknowledge}, …) may still follow.
 *
 * <p>The journal's lock is only ever held for in-memory work and for handing calls to the store,
 * which never waits: the store's completion callbacks take the same lock on the store's writer
 * thread. Reading a run's position from the store happens outside the lock, and the ingest waits
 * for room in the store ({@link EventStore#awaitRoom}) before it takes the lock, so a flow that
 * emits faster than the store writes slows down to the store's pace (back-pressure reaches its
 * {@code ctx} calls through the cluster's bounded queues) while launches, kills and lock answers go
 * on.
 *
 * <p>A write the store fails for good (it retries transient failures itself) ends its run: once the
 * run's writes in flight have settled, the journal appends {@code fatal} with reason {@code
 * store-failed} right after the last event the store holds, retrying with back-off until the store
 * takes it. Events of one run never share a store call with another run's, so one run's failure
 * cannot cost another run its events.
 *
 * <p>It knows nothing of HTTP or of registries: it throws the store's and its own exceptions, which
 * {@link RunService} turns into answers, and tells a {@link RunListener} when runs start and end.
 * Thread-safe.
 */
@Component
final class RunJournal implements DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(RunJournal.class);

  /** The most events of emitted batches handed to the store after one wait for room. */
  static final int INGEST_CHUNK = 4_096;

  private static final long ROOM_WAIT_MILLIS = 1_000;
  private static final long FIRST_REPAIR_DELAY_MILLIS = 100;
  private static final long MAX_REPAIR_DELAY_MILLIS = 30_000;

  /** The write position of a run. Guarded by {@link #lock}. */
  private static final class Position {
    long last;
    boolean ended;
    int pending;

    /**
     * A write failed for good; the run is to be ended with store-failed once {@link #pending} is 0.
     */
    boolean broken;

    boolean repairing;
    long repairDelay = FIRST_REPAIR_DELAY_MILLIS;

    final String fid;
    final String flow;

    Position(String fid, String flow, long last, boolean ended) {
      this.fid = fid;
      this.flow = flow;
      this.last = last;
      this.ended = ended;
    }
  }

  private final EventStore store;
  private final LiveHub hub;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, Position> positions = new HashMap<>();

  /**
   * Counts removals from {@link #positions}: a position read from the store is stale if one
   * happened meanwhile.
   */
  private long removals;

  private final RunListener usage;
  private final ScheduledThreadPoolExecutor repairs;
  private volatile RunObserver observer = RunObserver.NONE;
  private volatile WriterLink link;

  RunJournal(EventStore store, LiveHub hub, Clock clock, RunListener usage) {
    this.usage = usage;
    this.store = store;
    this.hub = hub;
    this.clock = clock;
    this.repairs =
        new ScheduledThreadPoolExecutor(
            1, Thread.ofPlatform().daemon().name("kodo-journal-repair").factory());
  }

  /** Tells {@code observer} about every write (metrics, docs/operations.md#metrics). */
  @Autowired(required = false)
  void observe(RunObserver observer) {
    this.observer = observer;
  }

  /**
   * Runs written by other nodes of the cluster are appended to by them: this journal hands its
   * appends to those runs to {@code link}, and serves theirs to its own runs
   * (docs/architecture.md#two-nodes-one-database). Without a link every run is this node's.
   */
  @Autowired(required = false)
  void route(WriterLink link) {
    this.link = link;
    link.serve(this::appendHere);
  }

  /**
   * Whether this node writes the run: it created it, took it over, or the run has no writer
   * recorded (and so belongs to whichever node touches it, as before writers were recorded). False
   * for a run that does not exist.
   */
  boolean writesHere(String fid) {
    WriterLink l = link;
    if (l == null) {
      return true;
    }
    lock.lock();
    try {
      if (positions.containsKey(fid)) {
        return true;
      }
    } finally {
      lock.unlock();
    }
    return writtenHere(fid);
  }

  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /** Creates a run with its first events; completes when they are durable. */
  CompletableFuture<Void> create(NewRun run, List<Event> first) {
    List<Event> events = new ArrayList<>(first.size());
    CompletableFuture<Void> written;
    long began = System.nanoTime();
    Position p = new Position(run.fid(), run.flow(), 0, false);
    usage.started(run.flow());
    lock.lock();
    try {
      positions.put(run.fid(), p);
      for (Event e : first) {
        events.add(e.withSeq(++p.last));
      }
      p.pending++;
      try {
        written = store.create(run, events);
      } catch (RuntimeException e) {
        remove(p.fid);
        throw e;
      }
    } finally {
      lock.unlock();
    }
    return written.whenComplete((v, error) -> committed(p, events, error, began));
  }

  /**
   * Appends one event the node itself writes (kill, acknowledge, a fatal on restart…); completes
   * with the event as stored.
   *
   * @throws NoSuchRunException if the run does not exist (the web layer answers 404)
   */
  CompletableFuture<Event> append(String fid, EventType type, String data) {
    return append(fid, type, data, false);
  }

  /**
   * Appends an event the node writes to a run that has not ended (a kill, a candidate…); throws
   * {@link RunEndedException} if the run has ended, atomically with the append.
   */
  CompletableFuture<Event> appendWhileRunning(String fid, EventType type, String data) {
    return append(fid, type, data, true);
  }

  private CompletableFuture<Event> append(
      String fid, EventType type, String data, boolean whileRunning) {
    WriterLink l = link;
    if (l != null) {
      boolean known;
      lock.lock();
      try {
        known = positions.containsKey(fid);
      } finally {
        lock.unlock();
      }
      if (!known) {
        String writer = store.writer(fid); // NoSuchRunException: no such run
        if (writer != null && !writer.equals(l.self())) {
          return l.append(writer, fid, type, data, whileRunning);
        }
      }
    }
    return appendHere(fid, type, data, whileRunning);
  }

  /** Appends to a run this node writes (a run another node writes is unknown here). */
  private CompletableFuture<Event> appendHere(
      String fid, EventType type, String data, boolean whileRunning) {
    record Staged(Position p, Event event, CompletableFuture<Void> written) {}
    Staged staged =
        withPositions(
            List.of(fid),
            found -> {
              Position p = found.get(fid);
              if (p == null) {
                throw new NoSuchRunException(fid, "no run '" + fid + "'");
              }
              if (whileRunning && p.ended) {
                throw new RunEndedException(fid);
              }
              if (p.broken) {
                throw KodoException.retryable(
                    "run "
                        + fid
                        + " is being ended: the event store failed to write some of its"
                        + " events; try again in a moment",
                    null);
              }
              Event event = Event.of(fid, ++p.last, now(), type, data);
              if (!p.ended && type.terminal()) {
                p.ended = true;
                usage.finished(p.flow);
              }
              return new Staged(p, event, submit(p, List.of(event)));
            });
    return staged.written().thenApply(v -> staged.event());
  }

  /**
   * Appends a batch of events emitted by flows on workers (their seq is not set yet), keeping their
   * order; events of runs that have ended or that this node does not know are dropped. Waits for
   * room in the store before each chunk of {@link #INGEST_CHUNK} events, holding no lock meanwhile;
   * this wait is what slows down a flow that emits faster than the store writes. Called by the
   * event ingest only.
   */
  CompletableFuture<Void> appendEmitted(List<Event> emitted) {
    List<CompletableFuture<Void>> written = new ArrayList<>();
    for (int from = 0; from < emitted.size(); from += INGEST_CHUNK) {
      List<Event> chunk = emitted.subList(from, Math.min(emitted.size(), from + INGEST_CHUNK));
      while (!store.awaitRoom(ROOM_WAIT_MILLIS)) {
        log.debug("the event store is behind; the ingest waits for room");
      }
      written.add(appendChunk(chunk));
    }
    return written.size() == 1
        ? written.getFirst()
        : CompletableFuture.allOf(written.toArray(CompletableFuture[]::new));
  }

  private CompletableFuture<Void> appendChunk(List<Event> emitted) {
    // The flows of the model calls taken, told to the listener once the lock is released.
    List<Map.Entry<String, Event>> modelCalls = new ArrayList<>();
    Set<String> fids = new LinkedHashSet<>();
    for (Event e : emitted) {
      fids.add(e.fid());
    }
    List<CompletableFuture<Void>> written =
        withPositionsPatiently(
            fids,
            found -> {
              Map<Position, List<Event>> runs =
                  new LinkedHashMap<>(); // Position has identity equality
              for (Event e : emitted) {
                Position p = found.get(e.fid());
                if (p == null || p.ended) {
                  log.debug(
                      "dropped {} event for run {}: the run has ended or is unknown",
                      e.type(),
                      e.fid());
                  if (p != null && p.pending <= 0 && !p.broken && positions.get(p.fid) == p) {
                    // Reloaded just to drop late events (a flow still talking after its kill): do
                    // not keep it for ever.
                    remove(p.fid);
                  }
                  continue;
                }
                runs.computeIfAbsent(p, x -> new ArrayList<>()).add(e.withSeq(++p.last));
                if (EventType.ACTION.type().equals(e.type())) {
                  modelCalls.add(Map.entry(p.flow, e));
                }
                if (e.terminal()) {
                  p.ended = true;
                  usage.finished(p.flow);
                }
              }
              // One store call per run, handed over before the lock is released (so seq order is
              // queue order):
              // a write the store refuses then costs only that run its events.
              List<CompletableFuture<Void>> futures = new ArrayList<>(runs.size());
              for (var run : runs.entrySet()) {
                futures.add(submit(run.getKey(), run.getValue()));
              }
              return futures;
            });
    for (var call : modelCalls) {
      RunUsage u = RunUsage.ofEvent(call.getValue());
      if (u != null) {
        usage.modelCall(call.getKey(), u);
      }
    }
    return written.isEmpty()
        ? CompletableFuture.completedFuture(null)
        : CompletableFuture.allOf(written.toArray(CompletableFuture[]::new));
  }

  /**
   * Hands {@code events} of {@code p}'s run to the store and arranges for {@link #committed}.
   * Called under the lock; the store never waits here.
   */
  private CompletableFuture<Void> submit(Position p, List<Event> events) {
    p.pending++;
    CompletableFuture<Void> written;
    long began = System.nanoTime();
    try {
      written = store.append(events);
    } catch (RuntimeException e) {
      // The store is closed: the seqs taken are lost with the call, so the position is no longer
      // true.
      remove(p.fid);
      throw e;
    }
    return written.whenComplete((v, error) -> committed(p, events, error, began));
  }

  /**
   * Runs {@code action} under the lock with the positions of {@code fids} (null for runs the store
   * does not have). Positions not in memory are read from the store first, outside the lock; a read
   * that may predate a write of the same run (a position was dropped meanwhile) is read again.
   */
  private <T> T withPositions(Collection<String> fids, Function<Map<String, Position>, T> action) {
    Map<String, RunRecord> loaded = new HashMap<>();
    long loadedAt = -1;
    while (true) {
      List<String> missing = new ArrayList<>();
      long before;
      lock.lock();
      try {
        boolean fresh = loadedAt == removals;
        Map<String, Position> found = new HashMap<>();
        for (String fid : fids) {
          Position p = positions.get(fid);
          if (p == null && fresh && loaded.containsKey(fid)) {
            RunRecord r = loaded.get(fid);
            if (r != null) {
              p = new Position(fid, r.flow(), r.lastSeq(), r.state().finished());
              positions.put(fid, p);
            }
            found.put(fid, p);
          } else if (p == null) {
            missing.add(fid);
          } else {
            found.put(fid, p);
          }
        }
        if (missing.isEmpty()) {
          return action.apply(found);
        }
        before = removals;
      } finally {
        lock.unlock();
      }
      loaded.clear();
      for (String fid : missing) {
        RunRecord r = store.run(fid).orElse(null);
        // A run another node writes is not this node's to append to.
        loaded.put(fid, r != null && !writtenHere(fid) ? null : r);
      }
      loadedAt = before;
    }
  }

  /**
   * {@link #withPositions}, retrying reads the store answers with a retryable failure: emitted
   * events must not be lost.
   */
  private <T> T withPositionsPatiently(
      Collection<String> fids, Function<Map<String, Position>, T> action) {
    long delay = 50;
    while (true) {
      try {
        return withPositions(fids, action);
      } catch (KodoException e) {
        if (!e.retryable()) {
          throw e;
        }
        log.warn("could not read the positions of runs {} ({}); retrying", fids, e.getMessage());
        try {
          Thread.sleep(delay);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
        delay = Math.min(2 * delay, 2_000);
      }
    }
  }

  /** {@link #writesHere} for a run not in memory. */
  private boolean writtenHere(String fid) {
    WriterLink l = link;
    if (l == null) {
      return true;
    }
    try {
      String writer = store.writer(fid);
      return writer == null || writer.equals(l.self());
    } catch (NoSuchRunException e) {
      return false;
    }
  }

  private void remove(String fid) {
    if (positions.remove(fid) != null) {
      removals++;
    }
  }

  private static Throwable cause(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }

  private void committed(Position p, List<Event> events, Throwable error, long began) {
    if (error == null) {
      observer.persisted(events.size(), System.nanoTime() - began);
    }
    committed(p, events, error);
  }

  private void committed(Position p, List<Event> events, Throwable error) {
    boolean repair = false;
    boolean gone = cause(error) instanceof NoSuchRunException;
    lock.lock();
    try {
      if (positions.get(p.fid) == p) {
        p.pending--;
        if (gone) {
          remove(p.fid); // deleted while this write was on its way: nothing is left to end
        } else {
          if (error != null && !p.broken) {
            p.broken = true;
            if (!p.ended) {
              p.ended = true;
              usage.finished(p.flow);
            }
          }
          if (p.broken) {
            if (p.pending <= 0 && !p.repairing) {
              p.repairing = true;
              repair = true;
            }
          } else if (p.pending <= 0 && p.ended) {
            remove(p.fid);
          }
        }
      }
    } finally {
      lock.unlock();
    }
    if (gone) {
      log.debug("dropped {} event(s) of run {}: it was deleted meanwhile", events.size(), p.fid);
    } else if (error != null) {
      log.error(
          "the event store failed to write {} event(s) of run {} (seq {}..{}); the run will be ended with"
              + " fatal store-failed",
          events.size(),
          p.fid,
          events.getFirst().seq(),
          events.getLast().seq(),
          error);
    } else {
      hub.publish(events);
    }
    if (repair) {
      scheduleRepair(p);
    }
  }

  private void scheduleRepair(Position p) {
    long delay;
    lock.lock();
    try {
      delay = p.repairDelay;
      p.repairDelay = Math.min(2 * p.repairDelay, MAX_REPAIR_DELAY_MILLIS);
    } finally {
      lock.unlock();
    }
    try {
      repairs.schedule(() -> repair(p), delay, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      log.warn(
          "could not end run {} after a failed write (the node is stopping); it ends as node-restarted at the"
              + " next start",
          p.fid);
    }
  }

  /**
   * Ends a run a write failed for: {@code fatal} store-failed right after what the store holds of
   * it.
   */
  private void repair(Position p) {
    RunRecord stored;
    try {
      stored = store.run(p.fid).orElse(null);
    } catch (KodoException e) {
      if (e.retryable()) {
        scheduleRepair(p);
      } else {
        log.warn("could not end run {} after a failed write: {}", p.fid, e.getMessage());
      }
      return;
    }
    Event fatal;
    CompletableFuture<Void> written;
    lock.lock();
    try {
      if (positions.get(p.fid) != p) {
        return;
      }
      p.repairing = false;
      if (stored == null || stored.state().finished()) {
        // Nothing to end: the run never made it to the store, or its end did.
        remove(p.fid);
        return;
      }
      p.broken = false;
      p.ended = true;
      p.last = stored.lastSeq();
      fatal =
          Event.of(
              p.fid,
              ++p.last,
              now(),
              EventType.FATAL,
              EventData.fatal(
                  "store-failed",
                  "the event store could not write events of run "
                      + p.fid
                      + " after seq "
                      + stored.lastSeq()
                      + "; they are lost, so the run was ended (see the node's log)",
                  null));
      try {
        written = submit(p, List.of(fatal));
      } catch (RuntimeException e) {
        log.warn("could not end run {} after a failed write: {}", p.fid, e.getMessage());
        return;
      }
    } finally {
      lock.unlock();
    }
    written.whenComplete(
        (v, error) -> {
          if (error == null) {
            log.info("ended run {} with fatal store-failed at seq {}", p.fid, fatal.seq());
          }
        });
  }

  /**
   * The run has ended ({@code final}, {@code fatal} or {@code kill} is in its log or on its way
   * there).
   */
  static final class RunEndedException extends KodoException {
    RunEndedException(String fid) {
      super("run " + fid + " has ended");
    }
  }

  /** Forgets a deleted run, so nothing more is appended to it. */
  void forget(String fid) {
    lock.lock();
    try {
      remove(fid);
    } finally {
      lock.unlock();
    }
    hub.end(fid);
  }

  /** How many runs this node currently writes to. */
  int openRuns() {
    lock.lock();
    try {
      return positions.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void destroy() {
    repairs.shutdownNow();
  }
}
