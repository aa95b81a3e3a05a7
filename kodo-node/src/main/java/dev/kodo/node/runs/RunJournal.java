package dev.kodo.node.runs;

import dev.kodo.web.ApiException;
import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.KodoException;
import dev.kodo.node.registry.FlowUsageCounter;
import dev.kodo.store.EventStore;
import dev.kodo.store.NewRun;
import dev.kodo.store.RunRecord;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The single writer of this node's event logs: assigns each event its {@code seq} (gapless per
 * run), hands it to the store in that order, and publishes it to live listeners once it is
 * durable. Everything that appends to a run — the node's own events and those workers send —
 * goes through here, so two writers can never race for a seq.
 *
 * <p>Once a run has ended ({@code final}, {@code fatal} or {@code kill}), what its flow still
 * emits is dropped; the node's management events ({@code acknowledge}, …) may still follow.
 * Thread-safe.
 */
@Component
final class RunJournal {
  private static final Logger log = LoggerFactory.getLogger(RunJournal.class);

  /** The write position of a run. Guarded by {@link #lock}. */
  private static final class Position {
    long last;
    boolean ended;
    int pending;

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
  private final FlowUsageCounter usage;

  RunJournal(EventStore store, LiveHub hub, Clock clock, FlowUsageCounter usage) {
    this.usage = usage;
    this.store = store;
    this.hub = hub;
    this.clock = clock;
  }

  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /** Creates a run with its first events; completes when they are durable. */
  CompletableFuture<Void> create(NewRun run, List<Event> first) {
    List<Event> events = new ArrayList<>(first.size());
    CompletableFuture<Void> written;
    Position p = new Position(run.fid(), run.flow(), 0, false);
    usage.started(run.flow());
    lock.lock();
    try {
      positions.put(run.fid(), p);
      for (Event e : first) {
        events.add(e.withSeq(++p.last));
      }
      p.pending++;
      written = store.create(run, events);
    } finally {
      lock.unlock();
    }
    return written.whenComplete((v, error) -> committed(List.of(p), events, error));
  }

  /**
   * Appends one event the node itself writes (kill, acknowledge, a fatal on restart…); completes
   * with the event as stored.
   *
   * @throws KodoException if the run does not exist
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

  private CompletableFuture<Event> append(String fid, EventType type, String data, boolean whileRunning) {
    Event event;
    CompletableFuture<Void> written;
    Position p;
    lock.lock();
    try {
      p = position(fid);
      if (p == null) {
        throw dev.kodo.web.ApiException.notFound("run", fid);
      }
      if (whileRunning && p.ended) {
        throw new RunEndedException(fid);
      }
      event = Event.of(fid, ++p.last, now(), type, data);
      if (!p.ended && type.terminal()) {
        p.ended = true;
        usage.finished(p.flow);
      }
      p.pending++;
      written = store.append(List.of(event));
    } finally {
      lock.unlock();
    }
    return written.whenComplete((v, error) -> committed(List.of(p), List.of(event), error)).thenApply(v -> event);
  }

  /**
   * Appends a batch of events emitted by flows on workers (their seq is not set yet), keeping
   * their order; events of runs that have ended or that this node does not know are dropped.
   */
  CompletableFuture<Void> appendEmitted(List<Event> emitted) {
    List<Event> events = new ArrayList<>(emitted.size());
    List<Position> touched = new ArrayList<>();
    CompletableFuture<Void> written;
    lock.lock();
    try {
      for (Event e : emitted) {
        Position p = position(e.fid());
        if (p == null || p.ended) {
          log.debug("dropped {} event for run {}: the run has ended or is unknown", e.type(), e.fid());
          if (p != null && p.pending <= 0) {
            // Reloaded just to drop late events (a flow still talking after its kill): do not keep it for ever.
            positions.remove(e.fid());
          }
          continue;
        }
        events.add(e.withSeq(++p.last));
        if (e.terminal()) {
          p.ended = true;
          usage.finished(p.flow);
        }
        if (touched.isEmpty() || touched.getLast() != p) {
          p.pending++;
          touched.add(p);
        }
      }
      if (events.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      written = store.append(events);
    } finally {
      lock.unlock();
    }
    return written.whenComplete((v, error) -> committed(touched, events, error));
  }

  // Called under the lock: the run's position, loaded from the store when not held in memory.
  private Position position(String fid) {
    Position p = positions.get(fid);
    if (p == null) {
      RunRecord r = store.run(fid).orElse(null);
      if (r == null) {
        return null;
      }
      p = new Position(fid, r.flow(), r.lastSeq(), r.state().finished());
      positions.put(fid, p);
    }
    return p;
  }

  private void committed(List<Position> touched, List<Event> events, Throwable error) {
    lock.lock();
    try {
      for (Position p : touched) {
        if (positions.get(p.fid) != p) {
          // Forgotten or reloaded meanwhile (an earlier write failed): this write no longer counts for it.
          continue;
        }
        p.pending--;
        if (error != null) {
          // The store refused the write: forget the position so the next append starts again from what the store holds.
          positions.remove(p.fid);
        } else if (p.pending <= 0 && p.ended) {
          positions.remove(p.fid);
        }
      }
    } finally {
      lock.unlock();
    }
    if (error != null) {
      log.error("could not persist {} event(s) of run(s) {}", events.size(), touched.stream().map(p -> p.fid).distinct().toList(), error);
      return;
    }
    hub.publish(events);
  }

  /** The run has ended ({@code final}, {@code fatal} or {@code kill} is in its log or on its way there). */
  static final class RunEndedException extends KodoException {
    RunEndedException(String fid) {
      super("run " + fid + " has ended");
    }
  }

  /** Forgets a deleted run, so nothing more is appended to it. */
  void forget(String fid) {
    lock.lock();
    try {
      positions.remove(fid);
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
}
