package dev.kodo.node.telemetry;

import dev.kodo.client.RunState;
import dev.kodo.cluster.Cluster;
import dev.kodo.engine.FlowCatalog;
import dev.kodo.engine.LoadedFlow;
import dev.kodo.node.runs.LiveHub;
import dev.kodo.store.EventStore;
import dev.kodo.store.RunQuery;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The node's {@code kodo_*} metrics (docs/operations.md#metrics). Counters and timers are fed by
 * {@link NodeTelemetry}; gauges that need the store or the cluster (runs by state, queue depth per
 * flow, workers) read a {@link Snapshot} taken at most once per {@link #SNAPSHOT_AGE}, so a scrape
 * costs a handful of count queries however many gauges it reads. Thread-safe.
 */
final class NodeMetrics {
  /** How old the store/cluster snapshot the gauges read may be. */
  static final Duration SNAPSHOT_AGE = Duration.ofSeconds(1);

  private final MeterRegistry registry;
  private final EventStore store;
  private final Cluster cluster;
  private final FlowCatalog catalog;
  private final WorkerLoads workers;
  private final Counter eventsPersisted;
  private final Timer storeWrite;
  private final Timer dispatchLatency;
  // Series registered so far, per flow and per worker; a worker's are removed when it is gone.
  private final Set<String> flows = ConcurrentHashMap.newKeySet();
  private final Map<String, List<Gauge>> workerGauges = new ConcurrentHashMap<>();
  private volatile Snapshot snapshot;

  /** What the gauges show, as of {@code taken} (nanoTime). */
  record Snapshot(
      long taken,
      Map<RunState, Long> runs,
      Map<String, Integer> queued,
      int clusterQueued,
      List<WorkerLoads.Load> workers) {}

  NodeMetrics(
      MeterRegistry registry,
      EventStore store,
      Cluster cluster,
      FlowCatalog catalog,
      LiveHub hub,
      WorkerLoads workers) {
    this.registry = registry;
    this.store = store;
    this.cluster = cluster;
    this.catalog = catalog;
    this.workers = workers;
    for (RunState state : RunState.values()) {
      gauge(
          "kodo.runs",
          "Runs in the store by state",
          Tags.of("state", state.wire()),
          s -> s.runs().getOrDefault(state, 0L));
    }
    gauge(
        "kodo.cluster.queued.runs",
        "Runs waiting for a worker",
        Tags.empty(),
        s -> s.clusterQueued());
    gauge("kodo.workers", "Workers this node sees", Tags.empty(), s -> s.workers().size());
    Gauge.builder("kodo.sse.subscribers", hub, LiveHub::subscribers)
        .description("SSE streams this node serves")
        .register(registry);
    this.eventsPersisted =
        Counter.builder("kodo.events.persisted")
            .description("Events made durable in the store")
            .register(registry);
    this.storeWrite =
        Timer.builder("kodo.store.write")
            .description("Time the store took to make one batch of events durable")
            .publishPercentileHistogram()
            .register(registry);
    this.dispatchLatency = dispatchLatency(registry);
  }

  /**
   * The dispatch latency timer, the same on a node and in a {@code koco worker} process ({@link
   * WorkerProcessTelemetry}), so one dashboard query covers both.
   */
  static Timer dispatchLatency(MeterRegistry registry) {
    return Timer.builder("kodo.dispatch.latency")
        .description("From a run's dispatch to a worker taking it")
        .publishPercentileHistogram()
        .register(registry);
  }

  void launched(String flow) {
    launches(flow).increment();
  }

  private Counter launches(String flow) {
    return Counter.builder("kodo.launches")
        .description("Runs launched, per flow")
        .tag("flow", flow)
        .register(registry);
  }

  void persisted(int events, long nanos) {
    eventsPersisted.increment(events);
    storeWrite.record(nanos, TimeUnit.NANOSECONDS);
  }

  void dispatched(long millis) {
    dispatchLatency.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
  }

  private void gauge(String name, String description, Tags tags, ToDoubleFunction<Snapshot> value) {
    Gauge.builder(name, this, m -> value.applyAsDouble(m.current()))
        .description(description)
        .tags(tags)
        .register(registry);
  }

  private List<Gauge> workerGauges(String worker) {
    return List.of(
        Gauge.builder("kodo.worker.active", this, m -> load(m.current(), worker, true))
            .description("Runs a worker executes now")
            .tag("worker", worker)
            .strongReference(true)
            .register(registry),
        Gauge.builder("kodo.worker.capacity", this, m -> load(m.current(), worker, false))
            .description("Runs a worker may execute at once")
            .tag("worker", worker)
            .strongReference(true)
            .register(registry));
  }

  private static double load(Snapshot s, String worker, boolean active) {
    for (WorkerLoads.Load l : s.workers()) {
      if (l.worker().toLowerCase(Locale.ROOT).equals(worker)) {
        return active ? l.active() : l.capacity();
      }
    }
    return 0;
  }

  /** The snapshot, taken again if older than {@link #SNAPSHOT_AGE}. */
  Snapshot current() {
    Snapshot s = snapshot;
    if (s == null || System.nanoTime() - s.taken() > SNAPSHOT_AGE.toNanos()) {
      s = refresh();
    }
    return s;
  }

  private synchronized Snapshot refresh() {
    Snapshot s = snapshot;
    if (s != null && System.nanoTime() - s.taken() <= SNAPSHOT_AGE.toNanos()) {
      return s;
    }
    Map<RunState, Long> runs = new EnumMap<>(RunState.class);
    for (RunState state : RunState.values()) {
      try {
        runs.put(
            state,
            store.runs(new RunQuery(Set.of(state), null, null, null, List.of(), 0, 1)).filtered());
      } catch (RuntimeException e) {
        // a store that cannot answer now shows its last counts
        if (s != null) runs.put(state, s.runs().getOrDefault(state, 0L));
      }
    }
    Map<String, Integer> queued = new TreeMap<>();
    for (LoadedFlow f : catalog.all()) {
      queued.put(f.path(), 0);
      launches(f.path()); // every offered flow has a series from the start, 0 until launched
    }
    int clusterQueued = 0;
    try {
      queued.putAll(cluster.queueDepths());
      clusterQueued = cluster.queuedRuns();
    } catch (RuntimeException e) {
      // a cluster that cannot answer shows nothing queued
    }
    List<WorkerLoads.Load> loads = new ArrayList<>(workers.workers());
    s = new Snapshot(System.nanoTime(), runs, queued, clusterQueued, loads);
    snapshot = s;
    for (String flow : queued.keySet()) {
      if (flows.add(flow)) {
        Gauge.builder("kodo.queue.depth", this, m -> m.current().queued().getOrDefault(flow, 0))
            .description("Runs waiting for a worker, per flow")
            .tag("flow", flow)
            .strongReference(true)
            .register(registry);
      }
    }
    Set<String> present = new java.util.HashSet<>();
    for (WorkerLoads.Load l : loads) {
      String worker = l.worker().toLowerCase(Locale.ROOT);
      present.add(worker);
      workerGauges.computeIfAbsent(worker, this::workerGauges);
    }
    for (var e : workerGauges.entrySet()) {
      if (!present.contains(e.getKey())) {
        e.getValue().forEach(registry::remove);
        workerGauges.remove(e.getKey());
      }
    }
    return s;
  }
}
