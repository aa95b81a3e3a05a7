package dev.kodo.node.state;

import dev.kodo.client.Kodo;
import dev.kodo.client.RunState;
import dev.kodo.cluster.Cluster;
import dev.kodo.engine.FlowCatalog;
import dev.kodo.node.NodeProperties;
import dev.kodo.node.registry.RegistryAnnouncer;
import dev.kodo.node.runs.RunAdmission;
import dev.kodo.store.EventStore;
import dev.kodo.store.RunQuery;
import dev.kodo.worker.Worker;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The node's own state: who it is, how long it runs, its workers and counts. */
@RestController
class StateController {
  private final Instant started = Instant.now();
  private final NodeProperties properties;
  private final FlowCatalog catalog;
  private final EventStore store;
  private final Cluster cluster;
  private final ObjectProvider<Worker> worker;
  private final ObjectProvider<RegistryAnnouncer> announcer;
  private final RunAdmission admission;

  StateController(
      NodeProperties properties,
      FlowCatalog catalog,
      EventStore store,
      Cluster cluster,
      ObjectProvider<Worker> worker,
      ObjectProvider<RegistryAnnouncer> announcer,
      RunAdmission admission) {
    this.admission = admission;
    this.announcer = announcer;
    this.properties = properties;
    this.catalog = catalog;
    this.store = store;
    this.cluster = cluster;
    this.worker = worker;
  }

  @Operation(summary = "The node's name, version, uptime, registries, workers and counts")
  @GetMapping("/api/state")
  Map<String, Object> state() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("name", properties.getNode().getName());
    s.put("version", Kodo.version());
    s.put("started", started.toString());
    s.put("uptime", Duration.between(started, Instant.now()).toSeconds());
    RegistryAnnouncer a = announcer.getIfAvailable();
    s.put("registries", a == null ? List.of() : a.status());
    Worker w = worker.getIfAvailable();
    s.put(
        "workers",
        w == null
            ? List.of()
            : List.of(
                Map.of(
                    "id",
                    w.id(),
                    "active",
                    w.active(),
                    "leaked",
                    w.leaked(),
                    "capacity",
                    w.capacity())));
    s.put("cluster", Map.of("members", cluster.memberCount(), "queued", cluster.queuedRuns()));
    Map<String, Object> runs = new LinkedHashMap<>();
    for (RunState state : RunState.values()) {
      runs.put(
          state.wire(),
          store.runs(new RunQuery(Set.of(state), null, null, null, List.of(), 0, 1)).filtered());
    }
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("flows", catalog.size());
    counts.put("runs", runs);
    s.put("counts", counts);
    // Limits, slots taken and launches waiting, on this node (docs/flows.md#how-many-runs-at-once).
    s.put("admission", admission.state());
    // Which configured files the node does not offer and why (docs/flows.md#serving-crews).
    s.put(
        "flows",
        Map.of(
            "refused",
            catalog.refusals().stream()
                .map(r -> Map.of("source", r.source(), "message", r.message()))
                .toList()));
    return s;
  }
}
