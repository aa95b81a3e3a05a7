package dev.kodo.node.runs;

import dev.kodo.client.Event;
import dev.kodo.node.NodeProperties;
import dev.kodo.web.ApiException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Hands persisted events to the live listeners of their runs. Publication may reach a listener out
 * of order or twice when commits race; listeners go by {@code seq} and fill gaps from the store.
 * Listeners are capped per run ({@code kodo.limits.streams-per-run}) and per node ({@code
 * kodo.limits.streams}): one more is refused with 429. Thread-safe.
 */
@Component
public final class LiveHub {
  private static final Logger log = LoggerFactory.getLogger(LiveHub.class);
  private final ConcurrentHashMap<String, Set<Subscription>> listeners = new ConcurrentHashMap<>();
  private final AtomicInteger count = new AtomicInteger();
  private final int maxPerRun;
  private final int maxPerNode;
  private final List<Consumer<List<Event>>> observers = new CopyOnWriteArrayList<>();

  /**
   * Adds a part of the node, or of an application embedding it, that sees every persisted event
   * (locks waiting for answers; the benchmark waiting for its runs' {@code final}), on the thread
   * that committed them: an observer must be quick and must not block. Closing the handle removes
   * it.
   */
  public Observation observe(Consumer<List<Event>> observer) {
    observers.add(observer);
    return () -> observers.remove(observer);
  }

  /** An observer added by {@link #observe}: closing it removes the observer. */
  public interface Observation extends AutoCloseable {
    @Override
    void close();
  }

  LiveHub(NodeProperties properties) {
    this.maxPerRun = properties.getLimits().getStreamsPerRun();
    this.maxPerNode = properties.getLimits().getStreams();
  }

  /**
   * A new listener of the run's events.
   *
   * @throws ApiException 429 naming the limit when the run or the node has as many as allowed
   */
  Subscription subscribe(String fid) {
    if (count.incrementAndGet() > maxPerNode) {
      count.decrementAndGet();
      throw tooMany(
          "this node already serves "
              + maxPerNode
              + " live streams, the most kodo.limits.streams allows");
    }
    Subscription s = new Subscription(fid, this);
    boolean[] added = {false};
    // Added inside compute, atomically with the map entry: a concurrent unsubscribe that empties
    // and removes the
    // set cannot strand this subscription in a set the hub no longer publishes to.
    listeners.compute(
        fid,
        (k, set) -> {
          Set<Subscription> live = set == null ? ConcurrentHashMap.newKeySet() : set;
          if (live.size() < maxPerRun) {
            added[0] = live.add(s);
          }
          return live.isEmpty() ? null : live;
        });
    if (!added[0]) {
      count.decrementAndGet();
      throw tooMany(
          "run "
              + fid
              + " already has "
              + maxPerRun
              + " live streams, the most kodo.limits.streams-per-run allows");
    }
    return s;
  }

  private static ApiException tooMany(String detail) {
    return new ApiException(
        HttpStatus.TOO_MANY_REQUESTS,
        "Too many live streams",
        detail
            + "; close a stream or try again later (GET …/events reads a run without following it)",
        null);
  }

  void unsubscribe(Subscription s) {
    boolean[] removed = {false};
    listeners.computeIfPresent(
        s.fid(),
        (k, set) -> {
          removed[0] = set.remove(s);
          return set.isEmpty() ? null : set;
        });
    if (removed[0]) {
      count.decrementAndGet();
    }
  }

  void publish(List<Event> events) {
    for (var o : observers) {
      try {
        o.accept(events);
      } catch (RuntimeException e) {
        // one observer's bug must not keep the others, or the streams below, from the events
        log.error("an observer of persisted events failed", e);
      }
    }
    if (listeners.isEmpty()) return;
    for (Event e : events) {
      Set<Subscription> set = listeners.get(e.fid());
      if (set != null) {
        LiveEvent live = new LiveEvent(e);
        for (Subscription s : set) {
          s.offer(live);
        }
      }
    }
  }

  /** Ends every listener of a run that no longer exists. */
  void end(String fid) {
    Set<Subscription> set = listeners.remove(fid);
    if (set != null) {
      set.forEach(Subscription::end);
      count.addAndGet(-set.size());
    }
  }

  int listenerCount() {
    return count.get();
  }

  /** How many SSE streams this node serves right now (metrics, docs/operations.md#metrics). */
  public int subscribers() {
    return count.get();
  }
}
