package dev.kodo.cluster;

import dev.kodo.client.Json;
import java.util.List;

/**
 * What a worker advertises on the cluster (docs/architecture.md#workers-and-dispatch): the flows it
 * takes runs of, how many runs it executes at once and how many it executes now. Kept in the
 * cluster's {@code kodo.workers} map under {@link #id()} while the worker runs.
 *
 * @param id the worker's id, {@code <name>@<member id>}
 * @param name the name it was started with ({@code koco worker --name})
 * @param member the id of the cluster member it runs on
 * @param flows the paths of the flows it takes runs of
 * @param capacity how many runs it executes at once
 * @param load how many runs it executes now
 */
public record WorkerInfo(
    String id, String name, String member, List<String> flows, int capacity, int load) {
  public WorkerInfo {
    flows = List.copyOf(flows == null ? List.of() : flows);
  }

  /** Whether it takes runs of {@code flow}. */
  public boolean offers(String flow) {
    return flows.contains(flow);
  }

  /** The same worker with another load. */
  public WorkerInfo withLoad(int load) {
    return new WorkerInfo(id, name, member, flows, capacity, load);
  }

  String encode() {
    return Json.write(this);
  }

  static WorkerInfo decode(String s) {
    return Json.read(s, WorkerInfo.class);
  }
}
