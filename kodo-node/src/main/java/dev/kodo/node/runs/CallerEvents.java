package dev.kodo.node.runs;

import dev.kodo.client.Event;
import dev.kodo.node.NodeProperties;
import dev.kodo.store.EventStore;
import dev.kodo.web.ApiException;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Caps the events callers add to one run — shares and lock answers (candidates) — at {@code
 * kodo.limits.caller-events-per-run} over the run's life, so that no caller can grow a run's log
 * (and every reader's replay) without end. The count of a run is taken from its log the first time
 * it is needed and then kept in memory (for at most {@value #TRACKED} runs; one forgotten is
 * counted again from its log). Thread-safe.
 */
@Component
final class CallerEvents {
  /** The event types a caller's request adds. */
  static final Set<String> TYPES = Set.of("share", "candidate");

  private static final int TRACKED = 100_000;
  private static final int PAGE = 10_000;

  private final EventStore store;
  private final int max;
  private final ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();

  CallerEvents(EventStore store, NodeProperties properties) {
    this.store = store;
    this.max = properties.getLimits().getCallerEventsPerRun();
  }

  /**
   * Takes one event of the run's allowance; {@link #refund} gives it back if the event is not
   * written.
   *
   * @throws ApiException 429 naming the limit once the run has had its allowance
   */
  void take(String fid) {
    if (counts.size() > TRACKED) {
      forgetSome();
    }
    AtomicInteger n = counts.get(fid);
    if (n == null) {
      // counted outside the map's lock: a store read must not hold up other runs' answers
      AtomicInteger counted = counted(fid);
      n = counts.putIfAbsent(fid, counted);
      if (n == null) n = counted;
    }
    if (n.incrementAndGet() > max) {
      n.decrementAndGet();
      throw new ApiException(
          HttpStatus.TOO_MANY_REQUESTS,
          "Too many events for this run",
          "run "
              + fid
              + " already has "
              + max
              + " shares and lock answers from callers, the most"
              + " kodo.limits.caller-events-per-run allows",
          null);
    }
  }

  /**
   * Starts the count of a run this node has just recorded with {@code events} as its first events,
   * so its first answer need not read its log.
   */
  void started(String fid, List<Event> events) {
    if (counts.size() > TRACKED) {
      forgetSome();
    }
    int n = 0;
    for (Event e : events) {
      if (TYPES.contains(e.type())) n++;
    }
    counts.putIfAbsent(fid, new AtomicInteger(n));
  }

  /** Gives back what {@link #take} took for an event that was not written. */
  void refund(String fid) {
    AtomicInteger n = counts.get(fid);
    if (n != null) n.decrementAndGet();
  }

  /** Forgets a deleted run. */
  void forget(String fid) {
    counts.remove(fid);
  }

  private AtomicInteger counted(String fid) {
    int n = 0;
    long after = 0;
    while (true) {
      List<Event> page = store.events(fid, after, PAGE);
      for (Event e : page) {
        if (TYPES.contains(e.type())) n++;
      }
      if (page.size() < PAGE) break;
      after = page.getLast().seq();
    }
    return new AtomicInteger(n);
  }

  private void forgetSome() {
    Iterator<String> it = counts.keySet().iterator();
    for (int i = 0; i < TRACKED / 10 && it.hasNext(); i++) {
      it.next();
      it.remove();
    }
  }
}
