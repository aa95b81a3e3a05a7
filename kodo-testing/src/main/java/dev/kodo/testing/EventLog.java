package dev.kodo.testing;

import dev.kodo.client.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/** The events of one test run as they arrive, with waiting for one. Thread-safe. */
final class EventLog {
  private final List<Event> events = new ArrayList<>();
  private boolean closed;

  synchronized void add(Event e) {
    events.add(e);
    notifyAll();
  }

  /** No more events will come: the run's thread has finished. */
  synchronized void close() {
    closed = true;
    notifyAll();
  }

  synchronized boolean closed() {
    return closed;
  }

  synchronized List<Event> snapshot() {
    return List.copyOf(events);
  }

  /**
   * The first event matching {@code test}, waiting up to {@code timeout} for it; null if the run
   * ended or the time ran out without one.
   */
  synchronized Event await(Predicate<Event> test, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int checked = 0;
    while (true) {
      for (; checked < events.size(); checked++) {
        if (test.test(events.get(checked))) {
          return events.get(checked);
        }
      }
      long left = deadline - System.nanoTime();
      if (closed || left <= 0) {
        return null;
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  /**
   * The first answer of {@code probe}, which is asked about the whole log now and again after each
   * event, waiting up to {@code timeout}; empty if it still has none when the run ends (after one
   * last look) or the time runs out. The probe runs under the log's lock and must be quick.
   */
  synchronized <T> Optional<T> probe(Function<List<Event>, Optional<T>> probe, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Event> view = Collections.unmodifiableList(events);
    while (true) {
      Optional<T> found = probe.apply(view);
      long left = deadline - System.nanoTime();
      if (found.isPresent() || closed || left <= 0) {
        return found;
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  /** Waits until the log is closed; whether it was within {@code timeout}. */
  synchronized boolean awaitClosed(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!closed) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }
}
