package dev.kodo.node.runs;

import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import dev.kodo.cluster.testing.InMemoryCluster;
import dev.kodo.engine.FlowCatalog;
import dev.kodo.node.NodeProperties;
import dev.kodo.node.registry.FlowUsageCounter;
import dev.kodo.store.EventStore;
import dev.kodo.store.EventStores;
import dev.kodo.store.StoreOptions;
import dev.kodo.worker.Worker;
import dev.kodo.worker.WorkerOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * A node without HTTP, Spring or Hazelcast, for unit tests of its run logic: a real SQLite store,
 * the journal, the run and lock services and the event ingest, on an {@link InMemoryCluster}; with
 * a worker when {@code catalog} is given. Not thread-safe to set up; close it after the test.
 */
final class NodeRig implements AutoCloseable {
  final NodeProperties properties = new NodeProperties();
  final InMemoryCluster cluster;
  final EventStore store;
  final LiveHub hub;
  final RunJournal journal;
  final RunService runs;
  final LockService locks;
  final RunAdmission admission;
  final EventIngest ingest;
  private final Worker worker;

  NodeRig(
      Path dir,
      FlowCatalog catalog,
      InMemoryCluster cluster,
      boolean withWorker,
      Duration releaseTimeout) {
    properties.getNode().setName("rig-node");
    properties.getLocks().setReleaseTimeout(releaseTimeout);
    this.cluster = cluster;
    this.store = EventStores.open(StoreOptions.sqlite(dir));
    Clock clock = Clock.systemUTC();
    this.hub = new LiveHub(properties);
    this.journal = new RunJournal(store, hub, clock, new FlowUsageCounter(clock));
    CallerEvents callerEvents = new CallerEvents(store, properties);
    this.admission = new RunAdmissionConfig().runAdmission(properties, catalog, store, hub);
    this.runs =
        new RunService(
            catalog,
            store,
            journal,
            cluster,
            callerEvents,
            properties,
            dev.kodo.engine.RunEnvironment.PROCESS,
            admission);
    this.locks = new LockService(runs, journal, cluster, hub, callerEvents, properties);
    this.ingest = new EventIngest(cluster, journal, properties);
    ingest.start();
    this.worker =
        withWorker ? Worker.start(cluster, catalog, new WorkerOptions("rig-worker", 4)) : null;
  }

  /**
   * Waits (up to 20 s) until the run's document satisfies {@code condition}; returns that document.
   */
  RunDocument await(String fid, Predicate<RunDocument> condition) {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      RunDocument d = runs.get(fid);
      if (condition.test(d)) {
        return d;
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("run " + fid + " did not get there within 20 s; it is " + d);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  RunDocument awaitState(String fid, RunState state) {
    return await(fid, d -> d.state() == state);
  }

  @Override
  public void close() {
    if (worker != null) {
      worker.close();
    }
    ingest.stop();
    admission.close();
    journal.destroy();
    store.close();
    cluster.close();
  }
}
