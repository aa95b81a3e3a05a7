package dev.kodo.worker;

import dev.kodo.client.Check;

/**
 * How a worker behaves.
 *
 * @param name a name for its threads and logs
 * @param capacity how many runs it executes at once; more wait on the cluster for it or another
 *     worker (runs are virtual threads, so thousands are fine)
 */
public record WorkerOptions(String name, int capacity) {
  public WorkerOptions {
    Check.notBlank(name, "worker name");
    Check.that(capacity > 0, "worker capacity must be positive, not " + capacity);
  }

  public static WorkerOptions defaults() {
    return new WorkerOptions("worker", 20_000);
  }
}
