package dev.kodo.worker;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.Json;
import dev.kodo.cluster.Cluster;
import dev.kodo.cluster.Control;
import dev.kodo.cluster.Retrying;
import dev.kodo.cluster.RunTicket;
import dev.kodo.cluster.WorkerInfo;
import dev.kodo.engine.EventData;
import dev.kodo.engine.EventSink;
import dev.kodo.engine.FlowCatalog;
import dev.kodo.engine.FlowRunner;
import dev.kodo.engine.LoadedFlow;
import dev.kodo.engine.RunEnvironment;
import dev.kodo.engine.RunHandle;
import dev.kodo.sdk.Inputs;
import dev.kodo.sdk.InvalidInputsException;
import dev.kodo.sdk.internal.SdkBridge;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;

/**
 * A unit of execution capacity (docs/architecture.md#components): takes runs from the cluster,
 * executes each on its own virtual thread through the engine, and sends the run's events back to
 * the node that launched it. Honours kills sent through the cluster. The embedded worker of {@code
 * koco serve} is one of these in the node's JVM.
 *
 * <p>Every run it takes ends with a terminal event, whatever its flow does: a flow that throws (an
 * {@link Error} included) ends with {@code fatal}; a run still executing when the worker stops ends
 * with {@code fatal} / {@code worker-stopped}. A flow that ignores its kill (it never calls its
 * context and swallows interrupts) is <em>leaked</em>: its run is no longer this worker's, but its
 * slot stays taken until the flow returns ({@link #leaked}).
 *
 * <p>Lifecycle: {@link #start} once; {@link #stop(Duration)} stops taking runs, lets those in
 * flight finish within a grace period, ends the rest and sends what they emitted; {@link #close} is
 * {@code stop(Duration.ZERO)}. Thread-safe.
 */
public final class Worker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);

  /** How long the taker waits for a slot or a run before it looks again whether it was closed. */
  private static final long TAKE_WAIT_MILLIS = 200;

  // At most this many runs are taken from the cluster in one go.
  private static final int MAX_TAKE = 64;

  private final Cluster cluster;
  private final FlowCatalog catalog;
  private final WorkerOptions options;
  private final Semaphore slots;
  // Runs executing for a live run; a run killed (or abandoned at stop) moves to `leaked` until its
  // flow returns.
  private final Map<String, Execution> running = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger mostActive =
      new java.util.concurrent.atomic.AtomicInteger();
  private final Map<String, Execution> leaked = new ConcurrentHashMap<>();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final Outbox outbox;
  private final String id;
  private final Object starting = new Object(); // guards open + starting a run, against close()
  private volatile boolean open = true;
  private Thread taker;

  /**
   * A run taken by this worker. {@code ended} is claimed once, by whichever comes first: the flow's
   * terminal event or the worker's stop ending the run with {@code worker-stopped}; the other sends
   * nothing, so the node never receives two ends of one run.
   */
  private record Execution(RunTicket ticket, RunHandle handle, AtomicBoolean ended) {
    Execution(RunTicket ticket, RunHandle handle) {
      this(ticket, handle, new AtomicBoolean());
    }
  }

  /** How long a stopping worker waits for the flows it interrupted to return. */
  private static final long EXIT_WAIT_NANOS = 1_000_000_000L;

  /** How long a stopping worker keeps trying to send what its runs emitted. */
  private static final Duration DELIVERY_DEADLINE = Duration.ofSeconds(5);

  private final RunEnvironment environment;
  private final WorkerTelemetry telemetry;

  /**
   * Where a run's first cluster calls (is it killed? assign it) are made instead of on the run's
   * virtual thread: Hazelcast keeps a serialization buffer (about 4 KB) for every thread that calls
   * it, for as long as that thread lives, which for a run parked in a lock is hours
   * (docs/performance.md#parked-runs). Two platform threads.
   */
  private final java.util.concurrent.ThreadPoolExecutor clusterCalls;

  private Worker(
      Cluster cluster,
      FlowCatalog catalog,
      WorkerOptions options,
      RunEnvironment environment,
      WorkerTelemetry telemetry) {
    this.environment = environment;
    this.telemetry = telemetry;
    this.clusterCalls =
        new java.util.concurrent.ThreadPoolExecutor(
            2,
            2,
            0,
            TimeUnit.MILLISECONDS,
            new java.util.concurrent.ArrayBlockingQueue<>(4_096),
            Thread.ofPlatform().daemon().name(options.name() + "-cluster-", 0).factory(),
            // the run's own thread does it: when the queue is full, and after stop (so no call
            // is ever dropped and no run waits for a call that will not be made)
            (call, pool) -> call.run());
    this.cluster = cluster;
    this.catalog = catalog;
    this.options = options;
    this.slots = new Semaphore(options.capacity());
    this.outbox = new Outbox(cluster::sendEvents, options.name());
    this.id = options.name() + "@" + cluster.memberId();
  }

  /** A worker whose runs see the process environment as secrets and no engine settings. */
  public static Worker start(Cluster cluster, FlowCatalog catalog, WorkerOptions options) {
    return start(cluster, catalog, options, RunEnvironment.PROCESS);
  }

  /**
   * A worker whose runs see {@code environment}: the secrets their {@code ${VAR}} placeholders
   * resolve against and the engine settings (a node's {@code kodo.secrets.*} and {@code
   * kodo.agents.*}, docs/configuration.md).
   */
  public static Worker start(
      Cluster cluster, FlowCatalog catalog, WorkerOptions options, RunEnvironment environment) {
    return start(cluster, catalog, options, environment, WorkerTelemetry.NONE);
  }

  /**
   * As {@link #start(Cluster, FlowCatalog, WorkerOptions, RunEnvironment)}, telling {@code
   * telemetry} about each run it executes (metrics and traces, docs/operations.md).
   */
  public static Worker start(
      Cluster cluster,
      FlowCatalog catalog,
      WorkerOptions options,
      RunEnvironment environment,
      WorkerTelemetry telemetry) {
    Worker w = new Worker(cluster, catalog, options, environment, telemetry);
    cluster.onControl(w::control);
    if (options.remote()) {
      cluster.onMemberLeft(member -> w.memberLeft());
    }
    w.advertise();
    w.taker = Thread.ofPlatform().daemon().name(options.name() + "-taker").start(w::takeLoop);
    return w;
  }

  public String id() {
    return id;
  }

  /** How many runs this worker executes right now (not counting {@link #leaked} flows). */
  public int active() {
    return running.size();
  }

  /** The most runs this worker has executed at once since it started. */
  public int mostActive() {
    return mostActive.get();
  }

  /**
   * How many flows still execute on this worker although their run has ended (killed, or abandoned
   * when the worker stopped) because they ignore interruption; each holds a slot until it returns.
   */
  public int leaked() {
    return leaked.size();
  }

  public int capacity() {
    return options.capacity();
  }

  /** How often the taker refreshes this worker's entry in {@code kodo.workers} at most. */
  private static final long ADVERTISE_NANOS = 500_000_000L;

  private volatile WorkerInfo advertised;
  private long advertisedAt;

  /** The flows this worker takes runs of: those of its catalogue now. */
  private List<String> flows() {
    return catalog.all().stream().map(LoadedFlow::path).sorted().toList();
  }

  /** Puts this worker's flows, capacity and load in the cluster's worker map. */
  private void advertise() {
    WorkerInfo now =
        new WorkerInfo(
            id, options.name(), cluster.memberId(), flows(), options.capacity(), running.size());
    try {
      cluster.advertise(now);
      advertised = now;
      advertisedAt = System.nanoTime();
    } catch (RuntimeException e) {
      log.debug("worker {} could not advertise itself: {}", id, e.toString());
    }
  }

  /** What this worker last advertised (its flows, capacity and load). */
  public WorkerInfo info() {
    WorkerInfo a = advertised;
    return a == null
        ? new WorkerInfo(
            id, options.name(), cluster.memberId(), flows(), options.capacity(), running.size())
        : a.withLoad(running.size());
  }

  private void advertiseIfChanged() {
    WorkerInfo a = advertised;
    if (System.nanoTime() - advertisedAt > ADVERTISE_NANOS
        && (a == null || a.load() != running.size() || !a.flows().equals(flows()))) {
      advertise();
    }
  }

  /**
   * A remote worker alone in its cluster has lost it (the node is gone or cut off): it stops its
   * runs rather than run on unseen; the node ends them ({@code worker-lost}) on its side.
   */
  private void memberLeft() {
    if (cluster.memberCount() > 1 || running.isEmpty()) {
      return;
    }
    int n = 0;
    for (String fid : List.copyOf(running.keySet())) {
      if (abandon(fid) != null) {
        n++;
      }
    }
    log.warn("worker {} lost the cluster (no other member left); stopped its {} run(s)", id, n);
  }

  /** Whether this worker may take runs now: a remote worker needs another member. */
  private boolean connected() {
    return !options.remote() || cluster.memberCount() > 1;
  }

  private void takeLoop() {
    // The taker is never interrupted while it polls the cluster: an interrupted poll may still
    // remove a ticket on the member that holds the queue, and that run would be lost.
    Retrying failures = new Retrying(log, "worker " + id + "'s take of runs");
    while (open) {
      try {
        advertiseIfChanged();
        if (!connected()) {
          Thread.sleep(TAKE_WAIT_MILLIS);
          continue;
        }
        if (slots.tryAcquire(TAKE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
          int permits = 1;
          while (permits < MAX_TAKE && slots.tryAcquire()) {
            permits++;
          }
          int started = 0;
          try {
            started = takeSome(permits);
          } finally {
            if (started < permits) {
              slots.release(permits - started);
            }
          }
        }
        failures.succeeded();
      } catch (InterruptedException e) {
        break;
      } catch (RuntimeException e) {
        if (!open) break; // closing: the cluster going away is expected
        try {
          Thread.sleep(failures.failed(e)); // e.g. the member is gone: back off, not spin
        } catch (InterruptedException stop) {
          break;
        }
      }
    }
  }

  /**
   * Takes up to {@code max} waiting runs and starts each on its own virtual thread; how many
   * started.
   */
  private int takeSome(int max) throws InterruptedException {
    List<RunTicket> tickets = cluster.takeRuns(flows(), max, TAKE_WAIT_MILLIS);
    List<Execution> batch = new ArrayList<>(tickets.size());
    synchronized (starting) {
      for (RunTicket taken : tickets) {
        RunTicket t = shared(taken);
        if (!open) {
          giveBack(t); // closed while the run came: another worker takes it
          continue;
        }
        RunHandle handle = new RunHandle(t.fid());
        Execution e = new Execution(t, handle);
        running.put(t.fid(), e);
        mostActive.accumulateAndGet(running.size(), Math::max);
        batch.add(e);
      }
    }
    // Outside the lock, so that stop() never waits on the cluster: it joins this thread before it
    // abandons runs, and a run abandoned before its thread starts finds its handle cancelled.
    int started = 0;
    try {
      // With every handle in `running` (a kill from now on finds it), which runs were killed
      // before they were taken, the others assigned here: one cluster call for the batch, made on
      // this platform thread (see clusterCalls).
      Set<String> killed = killedElseAssigned(batch);
      for (; started < batch.size(); started++) {
        Execution e = batch.get(started);
        RunTicket t = e.ticket();
        // true or false: the batch's answer; null: the cluster could not say, the run asks
        Boolean killedBefore = killed == null ? null : killed.contains(t.fid());
        // Named by the fid itself (one instance shared with the ticket and the node's maps): a
        // parked run's thread lives as long as it waits (docs/performance.md#parked-runs).
        Thread.ofVirtual().name(t.fid()).start(() -> execute(e, killedBefore));
      }
    } finally {
      // A run whose thread did not start (an Error on the way) goes back to the cluster.
      for (Execution e : batch.subList(started, batch.size())) {
        running.remove(e.ticket().fid(), e);
        giveBack(e.ticket());
      }
    }
    return started;
  }

  /** Puts a taken run back on the cluster for another worker; logs if it cannot. */
  private void giveBack(RunTicket t) {
    try {
      cluster.dispatch(t);
    } catch (RuntimeException e) {
      log.error(
          "worker {} could not give back run {} of {}; it stays pending", id, t.fid(), t.flow(), e);
    }
  }

  /**
   * The runs of {@code batch} killed before this worker took them, the others assigned to it; null
   * if the cluster could not say (each run then asks on its own, and fails as a run would).
   */
  private Set<String> killedElseAssigned(List<Execution> batch) {
    if (batch.isEmpty()) return Set.of();
    List<String> fids = new ArrayList<>(batch.size());
    for (Execution e : batch) fids.add(e.ticket().fid());
    try {
      return cluster.killedElseAssign(fids, id);
    } catch (RuntimeException e) {
      log.debug(
          "worker {} could not check and assign {} run(s) at once: {}",
          id,
          fids.size(),
          e.toString());
      return null;
    }
  }

  /**
   * The ticket with the strings the node and this worker hold anyway shared rather than copied (a
   * ticket decoded from the cluster has its own copies, and a parked run keeps its ticket as long
   * as it waits; docs/performance.md#parked-runs): the fid interned (the node interns the fids it
   * makes), the flow and node names interned (a few values), empty inputs as one literal.
   */
  static RunTicket shared(RunTicket t) {
    return new RunTicket(
        intern(t.fid()),
        intern(t.flow()),
        "{}".equals(t.inputs()) ? "{}" : t.inputs(),
        intern(t.node()),
        t.traceparent(),
        t.dispatchedAt());
  }

  private static String intern(String s) {
    return s == null ? null : s.intern();
  }

  // A parked run's thread keeps this frame as long as it waits (docs/performance.md#parked-runs):
  // what comes before and after the flow is in methods of their own, so that this one stays
  // small in the JIT's hands.
  private void execute(Execution execution, Boolean killedBefore) {
    // Once a run is killed the node writes how it ended, and once its worker stops the worker does
    // (unless the flow claimed its end first); what the flow still emits on its way out (a flushed
    // partial line, a progress in a finally) is dropped or, after that end, ignored by the node.
    RunTicket ticket = execution.ticket();
    RunHandle handle = execution.handle();
    AtomicBoolean ended = execution.ended();
    WorkerTelemetry.RunTelemetry told = told(ticket);
    EventSink sink = sink(ticket, handle, ended, told);
    try {
      Ready ready = prepare(ticket, sink, killedBefore);
      if (ready != null) {
        FlowRunner.run(ready.flow(), ready.inputs(), handle, sink, environment);
      }
    } catch (Throwable t) {
      failed(ticket, handle, ended, sink, t);
    } finally {
      told.ended();
      finish(ticket, handle);
    }
  }

  private EventSink sink(
      RunTicket ticket, RunHandle handle, AtomicBoolean ended, WorkerTelemetry.RunTelemetry told) {
    return (type, data) -> {
      if (ended.get() || dropped(handle)) {
        return;
      }
      boolean terminal = type.terminal();
      // The end is claimed before it is sent: a stop that abandons the run meanwhile sends none,
      // and one that came first has sent worker-stopped, so this end is not sent.
      if (terminal && !ended.compareAndSet(false, true)) {
        return;
      }
      try {
        told.emitted(type, data);
        outbox.put(
            ticket.node(),
            Event.of(ticket.fid(), 0, Instant.now().truncatedTo(ChronoUnit.MILLIS), type, data),
            () -> dropped(handle));
      } catch (RuntimeException | Error e) {
        if (terminal) {
          ended.set(false); // not sent: the end may be tried again (endWithFatal)
        }
        throw e;
      }
    };
  }

  /**
   * Whether what a run emits is dropped: once it is killed, as its node writes how it ended. Not
   * while this worker stops: a run abandoned by the stop gets exactly one end, the flow's own if it
   * claimed it first ({@link Execution}), so that one must reach the node; anything sent after an
   * end the node drops.
   */
  private boolean dropped(RunHandle handle) {
    return handle.cancelled() && !stopped.get();
  }

  private record Ready(LoadedFlow flow, Inputs inputs) {}

  /**
   * The flow and inputs to run, once the run is assigned to this worker; null if it is not to run
   * (killed before it started, or ended here with {@code fatal}: unknown flow, invalid inputs).
   */
  private Ready prepare(RunTicket ticket, EventSink sink, Boolean killedBefore) throws Exception {
    // A kill marks the run before it tells the workers; the handle is visible in `running`
    // already, so no kill slips between this check and the start of the flow. The taker asked
    // for the whole batch (killedBefore); null: it could not, so the run asks.
    if (killedBefore == null ? killedElseAssigned(ticket.fid()) : killedBefore) {
      return null;
    }
    Optional<LoadedFlow> flow = catalog.get(ticket.flow());
    if (flow.isEmpty()) {
      sink.emit(
          EventType.FATAL,
          EventData.fatal(
              "flow-unknown",
              "worker "
                  + id
                  + " does not have flow "
                  + ticket.flow()
                  + "; deploy the same flows on every worker",
              null));
      return null;
    }
    try {
      Map<String, Object> raw =
          Json.mapper().readValue(ticket.inputs(), new TypeReference<Map<String, Object>>() {});
      return new Ready(flow.get(), SdkBridge.validate(flow.get().spec().inputs(), raw));
    } catch (InvalidInputsException | JacksonException e) {
      sink.emit(
          EventType.FATAL,
          EventData.fatal(
              "inputs-invalid", "worker " + id + " rejected the inputs: " + e.getMessage(), null));
      return null;
    }
  }

  private void failed(
      RunTicket ticket, RunHandle handle, AtomicBoolean ended, EventSink sink, Throwable t) {
    // An Error too (FlowRunner has ended the run for those the flow threw; one thrown around it,
    // e.g. an OutOfMemoryError while emitting, is ended here): the run must not stay pending.
    // A VirtualMachineError is logged, not rethrown: this is a run's virtual thread, nobody
    // above it would act on it, and the worker goes on serving its other runs.
    log.error(
        "run {} of {} failed{}: {}",
        ticket.fid(),
        ticket.flow(),
        t instanceof VirtualMachineError ? " with a JVM error" : " outside the flow",
        t.toString(),
        t);
    if (!ended.get() && !dropped(handle)) {
      endWithFatal(ticket, sink, t);
    }
  }

  /**
   * Whether the run was killed before it started; if not, assigns it to this worker: the fallback
   * when the taker's call for the batch failed, so by the single calls, not that one again.
   */
  private boolean killedElseAssigned(String fid) throws Exception {
    java.util.concurrent.Future<Boolean> done =
        clusterCalls.submit(
            () -> {
              if (cluster.killed(fid)) {
                return true;
              }
              cluster.assign(fid, id);
              return false;
            });
    try {
      return done.get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception x ? x : new IllegalStateException(e.getCause());
    }
  }

  private WorkerTelemetry.RunTelemetry told(RunTicket ticket) {
    try {
      return telemetry.started(id, ticket);
    } catch (RuntimeException e) {
      log.debug("telemetry failed for run {}: {}", ticket.fid(), e.toString());
      return WorkerTelemetry.RunTelemetry.NONE;
    }
  }

  // The fatal for an error thrown around the flow; tried again once, as the error that caused it
  // (an OutOfMemoryError) may well hit emitting it too, and the flow's memory is free by now.
  private void endWithFatal(RunTicket ticket, EventSink sink, Throwable t) {
    for (int attempt = 1; attempt <= 2; attempt++) {
      try {
        sink.emit(
            EventType.FATAL, EventData.fatal("worker-error", "worker " + id + " failed: " + t, t));
        return;
      } catch (Throwable again) {
        if (attempt == 2) {
          log.error(
              "could not end run {} with fatal; its node ends it (worker-lost) when this worker leaves",
              ticket.fid(),
              again);
        }
      }
    }
  }

  // The flow has returned: free its slot; the assignment is cleared once the run's last event
  // has been delivered, so that, until then, the node can tell the run lost if this member leaves.
  private void finish(RunTicket ticket, RunHandle handle) {
    running.compute(
        ticket.fid(),
        (fid, e) -> {
          leaked.computeIfPresent(fid, (k, l) -> l.handle() == handle ? null : l);
          return e != null && e.handle() == handle ? null : e;
        });
    slots.release();
    try {
      outbox.afterDelivered(ticket.node(), () -> cluster.unassignLater(ticket.fid()));
    } catch (RuntimeException e) {
      log.debug("could not clear the assignment of {}: {}", ticket.fid(), e.toString());
    }
  }

  // Takes the run away from its flow: it no longer counts as active, and its flow as leaked until
  // it returns.
  private Execution abandon(String fid) {
    Execution[] taken = new Execution[1];
    running.computeIfPresent(
        fid,
        (k, e) -> {
          leaked.put(k, e);
          taken[0] = e;
          return null;
        });
    if (taken[0] != null) {
      taken[0].handle().cancel();
    }
    return taken[0];
  }

  private void control(Control message) {
    Execution e = running.get(message.fid());
    if (e == null) {
      return;
    }
    switch (message) {
      case Control.Kill k -> abandon(k.fid());
      case Control.Candidate c ->
          e.handle().offer(new RunHandle.Candidate(c.lid(), c.cid(), c.data()));
      case Control.Withdraw w -> e.handle().withdraw(w.cid());
    }
  }

  /** Cancels a run if this worker executes it; returns whether it did. */
  public boolean kill(String fid) {
    return abandon(fid) != null;
  }

  /**
   * Stops the worker: takes no more runs, waits up to {@code grace} for the runs in flight to end
   * on their own, ends the others with {@code fatal} / {@code worker-stopped} (their flows are
   * interrupted), and sends everything they emitted to their nodes. Calls after the first do
   * nothing.
   */
  public void stop(Duration grace) {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    synchronized (starting) {
      open = false;
    }
    if (taker != null) {
      try {
        taker.join(4 * TAKE_WAIT_MILLIS + 2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (taker.isAlive()) {
        log.warn("worker {}: the taker did not stop in time; interrupting it", id);
        taker.interrupt();
      }
    }
    long deadline = System.nanoTime() + grace.toNanos();
    if (!running.isEmpty() && grace.isPositive()) {
      log.info("worker {} stops: waiting up to {} for {} run(s) to end", id, grace, running.size());
    }
    while (!running.isEmpty() && System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(Math.min(20_000_000L, Math.max(1, deadline - System.nanoTime())));
    }
    // Not waited on for ever: an outbox the cluster no longer empties must not hold up the stop.
    long giveUp = System.nanoTime() + DELIVERY_DEADLINE.toNanos();
    for (String fid : List.copyOf(running.keySet())) {
      Execution e = abandon(fid);
      // Unless the flow's own end was claimed first (it is sent, or on its way).
      if (e != null && e.ended().compareAndSet(false, true)) {
        outbox.put(
            e.ticket().node(),
            Event.of(
                fid,
                0,
                Instant.now().truncatedTo(ChronoUnit.MILLIS),
                EventType.FATAL,
                EventData.fatal(
                    "worker-stopped",
                    "worker "
                        + id
                        + " stopped while run "
                        + fid
                        + " was executing; launch it again (restart) to retry",
                    null)),
            () -> System.nanoTime() - giveUp > 0);
      }
    }
    // Flows that honour the interrupt return at once; what they emitted before is sent below.
    long exits = System.nanoTime() + EXIT_WAIT_NANOS;
    while (!leaked.isEmpty() && System.nanoTime() - exits < 0) {
      LockSupport.parkNanos(10_000_000L);
    }
    outbox.close(DELIVERY_DEADLINE);
    clusterCalls.shutdown(); // calls queued still run; later ones run on their run's thread
    try {
      cluster.retire(id);
    } catch (RuntimeException e) {
      log.debug("worker {} could not remove its entry from the cluster: {}", id, e.toString());
    }
  }

  /** {@link #stop(Duration)} without grace: runs in flight end at once. */
  @Override
  public void close() {
    stop(Duration.ZERO);
  }
}
