package dev.kodo.node.runs;

import dev.kodo.client.Event;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Hands persisted events to the live listeners of their runs. Publication may reach a listener
 * out of order or twice when commits race; listeners go by {@code seq} and fill gaps from the
 * store. Thread-safe.
 */
@Component
final class LiveHub {
  private final ConcurrentHashMap<String, Set<Subscription>> listeners = new ConcurrentHashMap<>();
  private final java.util.List<java.util.function.Consumer<List<Event>>> observers = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Adds a part of the node that sees every persisted event (e.g. locks waiting for answers). */
  void observe(java.util.function.Consumer<List<Event>> observer) {
    observers.add(observer);
  }

  Subscription subscribe(String fid) {
    Subscription s = new Subscription(fid, this);
    // Added inside compute, atomically with the map entry: a concurrent unsubscribe that empties and removes the
    // set cannot strand this subscription in a set the hub no longer publishes to.
    listeners.compute(fid, (k, set) -> {
      Set<Subscription> live = set == null ? ConcurrentHashMap.newKeySet() : set;
      live.add(s);
      return live;
    });
    return s;
  }

  void unsubscribe(Subscription s) {
    listeners.computeIfPresent(s.fid(), (k, set) -> {
      set.remove(s);
      return set.isEmpty() ? null : set;
    });
  }

  void publish(List<Event> events) {
    for (var o : observers) {
      o.accept(events);
    }
    if (listeners.isEmpty()) return;
    for (Event e : events) {
      Set<Subscription> set = listeners.get(e.fid());
      if (set != null) {
        for (Subscription s : set) {
          s.offer(e);
        }
      }
    }
  }

  /** Ends every listener of a run that no longer exists. */
  void end(String fid) {
    Set<Subscription> set = listeners.remove(fid);
    if (set != null) {
      set.forEach(Subscription::end);
    }
  }

  int listenerCount() {
    return listeners.values().stream().mapToInt(Set::size).sum();
  }
}
