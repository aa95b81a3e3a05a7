package dev.kodo.node.runs;

import dev.kodo.client.Event;
import dev.kodo.store.EventStore;
import dev.kodo.store.RunRecord;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Follows, in the shared database, the runs another node writes while someone on this node follows
 * them (a stream, a lock answer waiting for the flow's verdict), and publishes what they gain to
 * this node's {@link LiveHub}, as the journal does for the runs this node writes
 * (docs/architecture.md#two-nodes-one-database). It reads each followed run's new events every
 * {@link #POLL_MILLIS} ms, so a stream served by a node that does not write the run is that much
 * behind; the hub's listeners go by seq, so an event published twice (the run was taken over by
 * this node meanwhile) is sent once.
 */
@Component
final class RemoteTail implements DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(RemoteTail.class);

  /** How often followed runs are read. */
  static final long POLL_MILLIS = 100;

  private static final int PAGE = 1_000;

  /** A handle on a followed run; closing it stops following once nobody else does. */
  interface Following extends AutoCloseable {
    Following NONE = () -> {};

    @Override
    void close();
  }

  private static final class Followed {
    int users;
    volatile long last;

    Followed(long last) {
      this.last = last;
    }
  }

  private final EventStore store;
  private final LiveHub hub;
  private final RunJournal journal;
  private final Map<String, Followed> followed = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;

  RemoteTail(EventStore store, LiveHub hub, RunJournal journal) {
    this.store = store;
    this.hub = hub;
    this.journal = journal;
    ScheduledThreadPoolExecutor t =
        new ScheduledThreadPoolExecutor(
            1, Thread.ofPlatform().daemon().name("kodo-remote-tail").factory());
    t.scheduleWithFixedDelay(this::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    this.timer = t;
  }

  /**
   * Follows the run until the handle is closed, if another node writes it; otherwise the journal
   * publishes its events already, and the handle does nothing.
   */
  Following follow(String fid) {
    if (journal.writesHere(fid)) {
      return Following.NONE;
    }
    long last = store.run(fid).map(RunRecord::lastSeq).orElse(0L);
    followed.compute(
        fid,
        (k, f) -> {
          Followed x = f == null ? new Followed(last) : f;
          x.users++;
          return x;
        });
    return () -> followed.computeIfPresent(fid, (k, f) -> --f.users == 0 ? null : f);
  }

  private void poll() {
    for (var entry : followed.entrySet()) {
      String fid = entry.getKey();
      Followed f = entry.getValue();
      try {
        List<Event> events;
        do {
          events = store.events(fid, f.last, PAGE);
          if (!events.isEmpty()) {
            f.last = events.getLast().seq();
            hub.publish(events);
          }
        } while (events.size() == PAGE);
      } catch (RuntimeException e) {
        log.debug("could not read the new events of run {}: {}", fid, e.toString());
      }
    }
  }

  /** How many runs written elsewhere this node follows (for tests and metrics). */
  int following() {
    return followed.size();
  }

  @Override
  public void destroy() {
    timer.shutdownNow();
  }
}
