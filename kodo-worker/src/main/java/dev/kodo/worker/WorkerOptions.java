package dev.kodo.worker;

import dev.kodo.client.Check;

/**
 * How a worker behaves.
 *
 * @param name a name for its threads and logs
 * @param capacity how many runs it executes at once; more wait on the cluster for it or another
 *     worker (runs are virtual threads, so thousands are fine)
 * @param remote whether it runs in a process of its own ({@code koco worker}): such a worker takes
 *     runs only while it sees another member, and stops its runs when it loses the cluster (it is
 *     then alone: nobody would receive their events), see docs/architecture.md#worker-loss
 */
public record WorkerOptions(String name, int capacity, boolean remote) {
  public WorkerOptions {
    Check.notBlank(name, "worker name");
    Check.that(capacity > 0, "worker capacity must be positive, not " + capacity);
  }

  /** An embedded worker (in the node's JVM). */
  public WorkerOptions(String name, int capacity) {
    this(name, capacity, false);
  }

  public static WorkerOptions defaults() {
    return new WorkerOptions("worker", 20_000);
  }
}
