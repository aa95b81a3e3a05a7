package dev.kodo.node.runs;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.cluster.RunTicket;
import dev.kodo.node.NodeProperties.Admission;
import dev.kodo.node.NodeProperties.Admission.Over;
import dev.kodo.web.ApiException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission control: decides whether a launch may run now, must wait for a slot, or is refused,
 * against three limits — the flow's ({@code maxConcurrentRuns}, overridden by {@code
 * kodo.node.limits.flows.[<path>]}), the owner's ({@code kodo.node.limits.per-user}) and the node's
 * ({@code kodo.node.limits.node}); see docs/flows.md#how-many-runs-at-once.
 *
 * <p>A run holds a slot from its admission until it ends ({@code final}, {@code fatal}, {@code
 * kill}) or opens a lock (it waits for a person, not for a model); an answered or timed-out lock
 * takes the slot back even over a limit, so answering a lock is never refused. Slots are given back
 * by the events the node persists ({@link #observe}), so a kill, a fatal of any cause (worker lost,
 * store failure, dispatch failure) frees them like a final; a sweep ({@link #sweep}) also frees the
 * slots of runs the store says have ended, should an event ever not be seen. Counts live in memory
 * and cover this node only: after a restart the node ends every run that was in flight ({@code
 * Recovery}), so nothing is held then.
 *
 * <p>A launch over a limit either waits — its run is recorded with a {@code progress} "waiting for
 * a slot (…)" and put in a bounded FIFO ({@code kodo.node.limits.queue}; beyond it, 429) — or is
 * refused with 429, naming the limit in the problem's {@code limit} member and carrying {@code
 * Retry-After}. Waiting runs are handed to the dispatcher, in launch order as far as their limits
 * allow, on this class's own thread as slots free: never on the thread that reported the event.
 *
 * <p>Lifecycle: {@link #start} the dispatcher thread, {@link #close} it. Thread-safe: one lock
 * guards all counts; nothing blocking happens under it.
 */
public final class RunAdmission implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RunAdmission.class);

  /** How often runs holding a slot are checked against the store. */
  static final long SWEEP_MILLIS = 5_000;

  /**
   * The most runs one sweep reads from the store; only runs some limit applies to are read, so a
   * node without limits reads none.
   */
  static final int SWEEP_MAX = 1_000;

  /** The limits, as named in a 429's {@code limit} member and in waiting messages. */
  public static final String FLOW = "flow";

  public static final String USER = "user";
  public static final String NODE = "node";

  /** What became of a launch that was not refused. */
  public sealed interface Decision {
    /** It holds a slot: dispatch it now. */
    record Admitted() implements Decision {}

    /**
     * It waits for a slot; the run is to be recorded with {@code message} as its progress, then
     * {@link #recorded}.
     */
    record Waiting(String limit, String message) implements Decision {}
  }

  private static final Decision ADMITTED = new Decision.Admitted();

  private final class Entry {
    final String fid;
    final String flow;
    final String owner;
    final String traceparent;
    // Kept only while the run waits for a slot (its dispatch needs it): an admitted run's entry
    // lives as long as the run, a parked one's too (docs/performance.md#parked-runs).
    RunTicket ticket;
    boolean waiting;
    boolean recorded;
    boolean holdsSlot;
    long lockSeq;
    long unlockSeq;

    Entry(String fid, String flow, String owner, RunTicket ticket) {
      this.fid = fid;
      this.flow = flow;
      this.owner = owner;
      this.ticket = ticket;
      this.traceparent = ticket.traceparent();
    }

    boolean locked() {
      return lockSeq > unlockSeq;
    }
  }

  private final Admission settings;
  private final Function<String, Integer> declared;
  private final Predicate<String> ended;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  private final Map<String, Entry> entries = new HashMap<>();
  private final LinkedHashMap<String, Entry> waiting = new LinkedHashMap<>();
  private final Map<String, Integer> byFlow = new HashMap<>();
  private final Map<String, Integer> byOwner = new HashMap<>();
  private int running;

  /**
   * Admitted waiting runs, to be dispatched on {@link #thread}; at most the waiting queue's size.
   */
  private final ArrayDeque<RunTicket> toDispatch = new ArrayDeque<>();

  private Consumer<RunTicket> dispatcher;
  private Thread thread;
  private boolean closed;

  /**
   * @param settings the limits ({@code kodo.node.limits.*})
   * @param declared a flow path's declared {@code maxConcurrentRuns} (0 or null: none)
   * @param ended whether the store says a run has ended or does not exist (for {@link #sweep})
   * @throws IllegalArgumentException for a negative limit in {@code kodo.node.limits.flows}
   */
  public RunAdmission(
      Admission settings, Function<String, Integer> declared, Predicate<String> ended) {
    for (var e : settings.getFlows().entrySet()) {
      if (e.getValue() == null || e.getValue() < 0) {
        throw new IllegalArgumentException(
            "kodo.node.limits.flows.["
                + e.getKey()
                + "] must be 0 (no limit) or more, not "
                + e.getValue());
      }
    }
    this.settings = settings;
    this.declared = declared;
    this.ended = ended;
  }

  /**
   * Starts the thread that dispatches runs which waited, with {@code dispatcher} (which must handle
   * its own failures: it ends a run it cannot dispatch).
   */
  public void start(Consumer<RunTicket> dispatcher) {
    lock.lock();
    try {
      if (thread != null) throw new IllegalStateException("already started");
      this.dispatcher = dispatcher;
      thread = Thread.ofPlatform().daemon().name("kodo-admission").start(this::loop);
    } finally {
      lock.unlock();
    }
  }

  /** The limit of a flow in force: the configured one, else the flow's own; 0 for none. */
  public int flowLimit(String flow) {
    Integer configured = settings.getFlows().get(flow);
    if (configured != null) return configured;
    Integer own = declared.apply(flow);
    return own == null ? 0 : own;
  }

  /**
   * Decides a launch of run {@code fid}: admitted (it holds a slot now), waiting, or refused.
   *
   * @param owner the run's owner, null when auth is off (no per-user limit then)
   * @throws ApiException 429 with {@code limit} and {@code Retry-After} when over a limit and
   *     {@code kodo.node.limits.over} is {@code refuse}, or when the waiting queue is full
   */
  public Decision admit(String fid, String flow, String owner, RunTicket ticket) {
    lock.lock();
    try {
      Entry e = new Entry(fid, flow, owner, ticket);
      String blocked = blocking(e);
      if (blocked == null) {
        e.ticket = null; // dispatched by the caller
        entries.put(fid, e);
        take(e);
        return ADMITTED;
      }
      if (settings.getOver() == Over.REFUSE) {
        throw refused(
            blocked, flow, owner, describe(blocked, e) + " (kodo.node.limits.over=refuse)");
      }
      if (waiting.size() >= settings.getQueue()) {
        throw refused(
            blocked,
            flow,
            owner,
            describe(blocked, e)
                + ", and "
                + waiting.size()
                + " launches already wait for a slot, the most kodo.node.limits.queue allows");
      }
      e.waiting = true;
      entries.put(fid, e);
      waiting.put(fid, e);
      return new Decision.Waiting(blocked, "waiting for a slot (" + describe(blocked, e) + ")");
    } finally {
      lock.unlock();
    }
  }

  /**
   * The run's first events are in the store: from now on the sweep may check it, and a waiting run
   * may be dispatched once a slot frees.
   */
  public void recorded(String fid) {
    lock.lock();
    try {
      Entry e = entries.get(fid);
      if (e != null) {
        e.recorded = true;
        pump();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * The W3C {@code traceparent} the launch of run {@code fid} carried, kept while the run is in
   * flight on this node (until its end is observed) so that a run put back on its queue after its
   * worker was lost keeps its trace (docs/architecture.md#worker-loss); null for none or for a run
   * this node did not launch.
   */
  public String traceparent(String fid) {
    lock.lock();
    try {
      Entry e = entries.get(fid);
      return e == null ? null : e.traceparent;
    } finally {
      lock.unlock();
    }
  }

  /** The launch of {@code fid} failed before its run was recorded: forget it, free its slot. */
  public void abandon(String fid) {
    lock.lock();
    try {
      forget(fid);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Reads persisted events (the node's live hub calls this with each batch): a run's end frees its
   * slot, a {@code lock} lends it out, an {@code unlock} or {@code lock-timeout} takes it back.
   * Quick and non-blocking; events may come twice or out of order.
   */
  public void observe(List<Event> events) {
    lock.lock();
    try {
      boolean changed = false;
      for (Event ev : events) {
        Entry e = entries.get(ev.fid());
        if (e == null) continue;
        if (ev.terminal()) {
          forget(e.fid);
          changed = true;
          continue;
        }
        String type = ev.type();
        if (type.equals(EventType.LOCK.type())) {
          e.lockSeq = Math.max(e.lockSeq, ev.seq());
        } else if (type.equals(EventType.UNLOCK.type())
            || type.equals(EventType.LOCK_TIMEOUT.type())) {
          e.unlockSeq = Math.max(e.unlockSeq, ev.seq());
        } else {
          continue;
        }
        if (e.waiting) continue;
        if (e.locked() && e.holdsSlot) {
          give(e);
          changed = true;
        } else if (!e.locked() && !e.holdsSlot) {
          take(e); // never refused: the run is already running, a person answered it
        }
      }
      if (changed) pump();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Frees the slots of runs the store says have ended or are gone (should their end not have been
   * seen), and drops waiting runs that ended meanwhile. Reads the store outside the lock.
   */
  void sweep() {
    List<String> fids;
    lock.lock();
    try {
      fids = new ArrayList<>();
      for (Entry e : entries.values()) {
        if (fids.size() == SWEEP_MAX) break;
        if (e.recorded && (e.waiting || limited(e))) fids.add(e.fid);
      }
    } finally {
      lock.unlock();
    }
    List<String> gone = new ArrayList<>();
    for (String fid : fids) {
      try {
        if (ended.test(fid)) gone.add(fid);
      } catch (RuntimeException ex) {
        log.debug("could not read run {} for the admission sweep: {}", fid, ex.toString());
      }
    }
    if (gone.isEmpty()) return;
    lock.lock();
    try {
      for (String fid : gone) {
        Entry e = entries.get(fid);
        if (e != null && e.recorded) {
          log.warn("run {} had ended but still counted for admission; its slot is freed", fid);
          forget(fid);
        }
      }
      pump();
    } finally {
      lock.unlock();
    }
  }

  /** What {@code /api/state} shows under {@code admission}. */
  public Map<String, Object> state() {
    lock.lock();
    try {
      Map<String, Object> limits = new LinkedHashMap<>();
      limits.put("over", settings.getOver().wire());
      limits.put("node", settings.getNode());
      limits.put("perUser", settings.getPerUser());
      limits.put("queue", settings.getQueue());
      limits.put("retryAfter", settings.getRetryAfter().toSeconds());
      limits.put("flows", new TreeMap<>(settings.getFlows()));
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("limits", limits);
      s.put("running", running);
      s.put("waiting", waiting.size());
      s.put("locked", entries.values().stream().filter(e -> !e.waiting && e.locked()).count());
      Map<String, Object> flows = new TreeMap<>();
      for (String flow : byFlowKeys()) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("limit", flowLimit(flow));
        f.put("running", byFlow.getOrDefault(flow, 0));
        f.put("waiting", waiting.values().stream().filter(e -> e.flow.equals(flow)).count());
        flows.put(flow, f);
      }
      s.put("flows", flows);
      s.put("users", new TreeMap<>(byOwner));
      s.put("scope", "node");
      return s;
    } finally {
      lock.unlock();
    }
  }

  private List<String> byFlowKeys() {
    List<String> keys = new ArrayList<>(byFlow.keySet());
    for (Entry e : waiting.values()) {
      if (!keys.contains(e.flow)) keys.add(e.flow);
    }
    return keys;
  }

  /** Runs holding a slot now (for tests). */
  int running() {
    lock.lock();
    try {
      return running;
    } finally {
      lock.unlock();
    }
  }

  /** Runs waiting for a slot now (for tests). */
  int waiting() {
    lock.lock();
    try {
      return waiting.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    Thread t;
    lock.lock();
    try {
      closed = true;
      work.signalAll();
      t = thread;
    } finally {
      lock.unlock();
    }
    if (t != null) {
      t.interrupt();
    }
  }

  // --- under the lock ---

  /** Whether any limit counts {@code e}'s slot. */
  private boolean limited(Entry e) {
    return settings.getNode() > 0
        || (settings.getPerUser() > 0 && e.owner != null)
        || flowLimit(e.flow) > 0;
  }

  /** The limit that keeps {@code e} from running now, or null. */
  private String blocking(Entry e) {
    int fl = flowLimit(e.flow);
    if (fl > 0 && byFlow.getOrDefault(e.flow, 0) >= fl) return FLOW;
    int ul = settings.getPerUser();
    if (ul > 0 && e.owner != null && byOwner.getOrDefault(e.owner, 0) >= ul) return USER;
    int nl = settings.getNode();
    if (nl > 0 && running >= nl) return NODE;
    return null;
  }

  private String describe(String limit, Entry e) {
    return switch (limit) {
      case FLOW ->
          "flow "
              + e.flow
              + " has "
              + byFlow.getOrDefault(e.flow, 0)
              + " runs running, its limit is "
              + flowLimit(e.flow);
      case USER ->
          e.owner
              + " has "
              + byOwner.getOrDefault(e.owner, 0)
              + " runs running, the per-user limit is "
              + settings.getPerUser();
      default -> "this node has " + running + " runs running, its limit is " + settings.getNode();
    };
  }

  private ApiException refused(String limit, String flow, String owner, String why) {
    Map<String, Object> members = new LinkedHashMap<>();
    members.put("limit", limit);
    members.put(
        "max",
        switch (limit) {
          case FLOW -> flowLimit(flow);
          case USER -> settings.getPerUser();
          default -> settings.getNode();
        });
    return ApiException.tooManyRequests(
        "Over the " + limit + " limit",
        "cannot launch " + flow + " now: " + why + "; try again later",
        members,
        settings.getRetryAfter());
  }

  private void take(Entry e) {
    e.holdsSlot = true;
    running++;
    byFlow.merge(e.flow, 1, Integer::sum);
    if (e.owner != null) byOwner.merge(e.owner, 1, Integer::sum);
  }

  private void give(Entry e) {
    e.holdsSlot = false;
    running--;
    byFlow.computeIfPresent(e.flow, (k, n) -> n <= 1 ? null : n - 1);
    if (e.owner != null) byOwner.computeIfPresent(e.owner, (k, n) -> n <= 1 ? null : n - 1);
  }

  private void forget(String fid) {
    Entry e = entries.remove(fid);
    if (e == null) return;
    if (e.holdsSlot) give(e);
    if (e.waiting) waiting.remove(fid);
    pump();
  }

  /** Admits, in launch order, every recorded waiting run whose limits now have room. */
  private void pump() {
    boolean any = false;
    for (Iterator<Entry> it = waiting.values().iterator(); it.hasNext(); ) {
      if (settings.getNode() > 0 && running >= settings.getNode()) break;
      Entry e = it.next();
      if (!e.recorded || blocking(e) != null) continue;
      it.remove();
      e.waiting = false;
      take(e);
      toDispatch.add(e.ticket);
      e.ticket = null;
      any = true;
    }
    if (any) work.signalAll();
  }

  private void loop() {
    long nextSweep = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SWEEP_MILLIS);
    while (true) {
      List<RunTicket> batch = new ArrayList<>();
      boolean sweepNow = false;
      lock.lock();
      try {
        while (!closed && toDispatch.isEmpty()) {
          long left = nextSweep - System.nanoTime();
          if (left <= 0) {
            sweepNow = true;
            break;
          }
          try {
            work.awaitNanos(left);
          } catch (InterruptedException ie) {
            if (closed) return;
          }
        }
        if (closed) return;
        batch.addAll(toDispatch);
        toDispatch.clear();
      } finally {
        lock.unlock();
      }
      for (RunTicket t : batch) {
        try {
          dispatcher.accept(t);
        } catch (RuntimeException ex) {
          log.warn(
              "run {} of {} got a slot but was not dispatched: {}",
              t.fid(),
              t.flow(),
              ex.getMessage());
        }
      }
      if (sweepNow) {
        nextSweep = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SWEEP_MILLIS);
        try {
          sweep();
        } catch (RuntimeException ex) {
          log.debug("admission sweep failed: {}", ex.toString());
        }
      }
    }
  }
}
