package dev.kodo.worker;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.Json;
import dev.kodo.cluster.Control;
import dev.kodo.cluster.KodoCluster;
import dev.kodo.cluster.RunTicket;
import dev.kodo.engine.EventData;
import dev.kodo.engine.EventSink;
import dev.kodo.engine.FlowCatalog;
import dev.kodo.engine.FlowRunner;
import dev.kodo.engine.LoadedFlow;
import dev.kodo.engine.RunHandle;
import dev.kodo.sdk.Inputs;
import dev.kodo.sdk.InvalidInputsException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;

/**
 * A unit of execution capacity (DESIGN §1): takes runs from the cluster, executes each on its own
 * virtual thread through the engine, and sends the run's events back to the node that launched
 * it. Honours kills sent through the cluster. The embedded worker of {@code koco serve} is one of
 * these in the node's JVM.
 *
 * <p>Lifecycle: {@link #start} once, {@link #close} to stop taking runs (runs in flight are
 * interrupted). Thread-safe.
 */
public final class Worker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);
  /** How long the taker waits for a slot or a run before it looks again whether it was closed. */
  private static final long TAKE_WAIT_MILLIS = 200;
  // At most this many runs are taken from the cluster in one go.
  private static final int MAX_TAKE = 64;

  private final KodoCluster cluster;
  private final FlowCatalog catalog;
  private final WorkerOptions options;
  private final Semaphore slots;
  private final Map<String, RunHandle> running = new ConcurrentHashMap<>();
  private final Outbox outbox;
  private final String id;
  private final Object starting = new Object(); // guards open + starting a run, against close()
  private volatile boolean open = true;
  private Thread taker;

  private Worker(KodoCluster cluster, FlowCatalog catalog, WorkerOptions options) {
    this.cluster = cluster;
    this.catalog = catalog;
    this.options = options;
    this.slots = new Semaphore(options.capacity());
    this.outbox = new Outbox(cluster, options.name());
    this.id = options.name() + "@" + cluster.memberId();
  }

  public static Worker start(KodoCluster cluster, FlowCatalog catalog, WorkerOptions options) {
    Worker w = new Worker(cluster, catalog, options);
    cluster.onControl(w::control);
    w.taker = Thread.ofPlatform().daemon().name(options.name() + "-taker").start(w::takeLoop);
    return w;
  }

  public String id() {
    return id;
  }

  /** How many runs this worker executes right now. */
  public int active() {
    return running.size();
  }

  public int capacity() {
    return options.capacity();
  }

  private void takeLoop() {
    // The taker is never interrupted while it polls the cluster: an interrupted poll may still
    // remove a ticket on the member that holds the queue, and that run would be lost.
    while (open) {
      try {
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
      } catch (InterruptedException e) {
        break;
      } catch (RuntimeException e) {
        if (open) {
          log.error("worker {} could not take a run", id, e);
        }
      }
    }
  }

  /** Takes up to {@code max} waiting runs and starts each on its own virtual thread; how many started. */
  private int takeSome(int max) throws InterruptedException {
    List<RunTicket> tickets = cluster.takeRuns(max, TAKE_WAIT_MILLIS);
    int started = 0;
    synchronized (starting) {
      for (RunTicket t : tickets) {
        if (!open) {
          // Closed while the run came: leave it on the cluster for another worker.
          try {
            cluster.dispatch(t);
          } catch (RuntimeException e) {
            log.error("worker {} closed and could not give back run {} of {}; it stays pending", id, t.fid(), t.flow(), e);
          }
          continue;
        }
        RunHandle handle = new RunHandle(t.fid());
        running.put(t.fid(), handle);
        Thread.ofVirtual().name("run-" + t.fid()).start(() -> execute(t, handle));
        started++;
      }
    }
    return started;
  }


  private void execute(RunTicket ticket, RunHandle handle) {
    // Once a run is killed (or its worker closes) the node writes how it ended; what the flow
    // still emits on its way out (a flushed partial line, a progress in a finally) is dropped.
    EventSink sink = (type, data) -> {
      if (!handle.cancelled()) {
        outbox.put(ticket.node(), Event.of(ticket.fid(), 0, Instant.now().truncatedTo(ChronoUnit.MILLIS), type, data),
            handle::cancelled);
      }
    };
    try {
      // A kill marks the run before it tells the workers; the handle is visible in `running`
      // already, so no kill slips between this check and the start of the flow.
      if (cluster.killed(ticket.fid())) {
        return;
      }
      cluster.assign(ticket.fid(), id);
      Optional<LoadedFlow> flow = catalog.get(ticket.flow());
      if (flow.isEmpty()) {
        sink.emit(EventType.FATAL, EventData.fatal("flow-unknown",
            "worker " + id + " does not have flow " + ticket.flow() + "; deploy the same flows on every worker", null));
        return;
      }
      Inputs inputs;
      try {
        Map<String, Object> raw = Json.mapper().readValue(ticket.inputs(), new TypeReference<Map<String, Object>>() {});
        inputs = flow.get().spec().inputs().validate(raw);
      } catch (InvalidInputsException | tools.jackson.core.JacksonException e) {
        sink.emit(EventType.FATAL, EventData.fatal("inputs-invalid", "worker " + id + " rejected the inputs: " + e.getMessage(), null));
        return;
      }
      FlowRunner.run(flow.get(), inputs, handle, sink);
    } catch (RuntimeException e) {
      log.error("run {} of {} failed outside the flow", ticket.fid(), ticket.flow(), e);
      sink.emit(EventType.FATAL, EventData.fatal("worker-error", "worker " + id + " failed: " + e, e));
    } finally {
      running.remove(ticket.fid());
      slots.release();
      try {
        cluster.assign(ticket.fid(), null);
      } catch (RuntimeException e) {
        log.debug("could not clear the assignment of {}: {}", ticket.fid(), e.toString());
      }
    }
  }

  private void control(Control message) {
    RunHandle h = running.get(message.fid());
    if (h == null) {
      return;
    }
    switch (message) {
      case Control.Kill k -> h.cancel();
      case Control.Candidate c -> h.offer(new RunHandle.Candidate(c.lid(), c.cid(), c.data()));
      case Control.Withdraw w -> h.withdraw(w.cid());
    }
  }

  /** Cancels a run if this worker executes it; returns whether it did. */
  public boolean kill(String fid) {
    RunHandle h = running.get(fid);
    if (h == null) {
      return false;
    }
    h.cancel();
    return true;
  }

  @Override
  public void close() {
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
    running.values().forEach(RunHandle::cancel);
    outbox.close();
  }
}
