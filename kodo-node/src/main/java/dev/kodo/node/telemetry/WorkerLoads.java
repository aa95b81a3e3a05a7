package dev.kodo.node.telemetry;

import java.util.List;

/**
 * The workers this node can see and their load, for the {@code kodo_worker_*} metrics
 * (docs/operations.md#metrics): by default every worker advertised in the cluster. Thread-safe.
 */
@FunctionalInterface
public interface WorkerLoads {
  /** One worker: its id, how many runs it executes now and how many it may. */
  record Load(String worker, int active, int capacity) {}

  /** The workers now; empty when there are none. */
  List<Load> workers();
}
