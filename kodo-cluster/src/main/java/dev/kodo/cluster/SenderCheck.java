package dev.kodo.cluster;

import dev.kodo.client.Event;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets through only the events a member sends for runs it executes. A run's assignment ({@code
 * kodo.assignments}) names its worker as {@code <worker name>@<member id>}; an event from another
 * member for a run assigned elsewhere is dropped and counted, with a warning at most every {@link
 * #WARN_EVERY_NANOS} ns. Events for a run with no assignment pass: a worker clears it when its flow
 * returns, before the run's last events have crossed the cluster. Batches from this member pass
 * unchecked: they come from this JVM (the embedded worker). If the assignments cannot be read,
 * events pass unchecked (with a warning): they are already off the queue.
 *
 * <p>Thread-safe.
 */
final class SenderCheck {
  static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final Logger log = LoggerFactory.getLogger(SenderCheck.class);

  private final Supplier<String> localMember;
  private final Function<Set<String>, Map<String, String>> assignees;
  private final LongSupplier nanoTime;
  private final AtomicLong dropped = new AtomicLong();
  private long unreported; // guarded by this, like the two below
  private long lastWarning;
  private boolean warned;

  /**
   * @param assignees the assignments of the given fids (those without one may be left out)
   */
  SenderCheck(
      Supplier<String> localMember,
      Function<Set<String>, Map<String, String>> assignees,
      LongSupplier nanoTime) {
    this.localMember = localMember;
    this.assignees = assignees;
    this.nanoTime = nanoTime;
  }

  /** The events of {@code batches} that their senders may send, in order. */
  List<Event> admit(List<EventCodec.Batch> batches) {
    String local = localMember.get();
    Set<String> remoteFids = new HashSet<>();
    int size = 0;
    for (EventCodec.Batch b : batches) {
      size += b.events().size();
      if (!b.sender().equals(local)) {
        b.events().forEach(e -> remoteFids.add(e.fid()));
      }
    }
    Map<String, String> assigned = remoteFids.isEmpty() ? Map.of() : lookUp(remoteFids);
    List<Event> admitted = new ArrayList<>(size);
    for (EventCodec.Batch b : batches) {
      if (b.sender().equals(local)) {
        admitted.addAll(b.events());
        continue;
      }
      for (Event e : b.events()) {
        String worker = assigned.get(e.fid());
        if (worker == null || memberOf(worker).equals(b.sender())) {
          admitted.add(e);
        } else {
          drop(e, b.sender(), worker);
        }
      }
    }
    return admitted;
  }

  /**
   * The batches are already off the queue: if the assignments cannot be read, their events are
   * taken unchecked rather than lost.
   */
  private Map<String, String> lookUp(Set<String> fids) {
    try {
      return assignees.apply(fids);
    } catch (RuntimeException e) {
      log.warn(
          "could not read the assignments of {} run(s) to check who sent their events; took them unchecked: {}",
          fids.size(),
          e.toString());
      return Map.of();
    }
  }

  /** How many events were dropped so far. */
  long dropped() {
    return dropped.get();
  }

  static String memberOf(String worker) {
    return worker.substring(worker.lastIndexOf('@') + 1);
  }

  private synchronized void drop(Event e, String sender, String worker) {
    dropped.incrementAndGet();
    unreported++;
    long now = nanoTime.getAsLong();
    if (!warned || now - lastWarning >= WARN_EVERY_NANOS) {
      log.warn(
          "dropped {} event(s) sent by cluster members for runs they do not execute; the latest: a {} event of run {} "
              + "from member {}, while worker {} executes it",
          unreported,
          e.type(),
          e.fid(),
          sender,
          worker);
      warned = true;
      lastWarning = now;
      unreported = 0;
    }
  }
}
