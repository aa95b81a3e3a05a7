package dev.kodo.node.state;

import dev.kodo.client.Kodo;
import dev.kodo.client.RunState;
import dev.kodo.client.access.Caller;
import dev.kodo.cluster.Cluster;
import dev.kodo.cluster.WorkerInfo;
import dev.kodo.engine.FlowCatalog;
import dev.kodo.engine.LoadedFlow;
import dev.kodo.node.NodeProperties;
import dev.kodo.node.registry.RegistryAnnouncer;
import dev.kodo.node.runs.NodeAccess;
import dev.kodo.node.runs.NodeIncarnation;
import dev.kodo.node.runs.RunAdmission;
import dev.kodo.store.EventStore;
import dev.kodo.store.RunQuery;
import dev.kodo.worker.Worker;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
  private final NodeAccess access;

  StateController(
      NodeProperties properties,
      FlowCatalog catalog,
      EventStore store,
      Cluster cluster,
      ObjectProvider<Worker> worker,
      ObjectProvider<RegistryAnnouncer> announcer,
      RunAdmission admission,
      NodeAccess access) {
    this.admission = admission;
    this.access = access;
    this.announcer = announcer;
    this.properties = properties;
    this.catalog = catalog;
    this.store = store;
    this.cluster = cluster;
    this.worker = worker;
  }

  /**
   * The live workers of the cluster (docs/http-api.md#state): each one's name, flows, capacity and
   * load; the embedded worker first, with its active and leaked runs.
   */
  private List<Map<String, Object>> workers() {
    Worker embedded = worker.getIfAvailable();
    List<Map<String, Object>> out = new ArrayList<>();
    boolean seen = false;
    for (WorkerInfo i : cluster.workers()) {
      Map<String, Object> m = entry(i);
      if (embedded != null && i.id().equals(embedded.id())) {
        m.put("load", embedded.active());
        m.put("active", embedded.active());
        m.put("leaked", embedded.leaked());
        out.add(0, m);
        seen = true;
      } else {
        out.add(m);
      }
    }
    if (embedded != null && !seen) {
      Map<String, Object> m = entry(embedded.info());
      m.put("active", embedded.active());
      m.put("leaked", embedded.leaked());
      out.add(0, m);
    }
    return out;
  }

  private static Map<String, Object> entry(WorkerInfo i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", i.id());
    m.put("name", i.name());
    m.put("flows", i.flows());
    m.put("capacity", i.capacity());
    m.put("load", i.load());
    return m;
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
    s.put("workers", workers());
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", properties.getCluster().getName());
    c.put("join", cluster.joinAddress());
    c.put("members", cluster.memberCount());
    // The nodes serving this cluster's runs (docs/architecture.md#two-nodes-one-database).
    c.put("nodes", cluster.liveNodes().stream().map(NodeIncarnation::nameOf).toList());
    c.put("queued", cluster.queuedRuns());
    c.put("queues", cluster.queueDepths());
    s.put("cluster", c);
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
    return operatorsOnly(s, access.caller());
  }

  /**
   * Operators see everything; anyone else sees only the flows they may see by name and no other
   * caller's counts (docs/security.md: a flow the caller may not see is not named to it).
   */
  @SuppressWarnings("unchecked")
  private Map<String, Object> operatorsOnly(Map<String, Object> s, Caller caller) {
    if (caller.operator()) {
      return s;
    }
    Set<String> seen = visibleFlows(caller);
    Map<String, Object> c = (Map<String, Object>) s.get("cluster");
    c.put("queues", only((Map<String, ?>) c.get("queues"), seen));
    for (Map<String, Object> w : (List<Map<String, Object>>) s.get("workers")) {
      w.put("flows", ((List<String>) w.get("flows")).stream().filter(seen::contains).toList());
    }
    Map<String, Object> a = new LinkedHashMap<>((Map<String, Object>) s.get("admission"));
    Map<String, Object> limits = new LinkedHashMap<>((Map<String, Object>) a.get("limits"));
    limits.put("flows", only((Map<String, ?>) limits.get("flows"), seen));
    a.put("limits", limits);
    a.put("flows", only((Map<String, ?>) a.get("flows"), seen));
    a.remove("users");
    s.put("admission", a);
    s.put("flows", Map.of("refused", List.of()));
    return s;
  }

  /**
   * The flows of this node the caller may see; none while the grants cannot be read (the state is
   * still served: it names no flow rather than failing).
   */
  private Set<String> visibleFlows(Caller caller) {
    try {
      return catalog.all().stream()
          .map(LoadedFlow::path)
          .filter(f -> access.seesFlow(caller, f))
          .collect(java.util.stream.Collectors.toUnmodifiableSet());
    } catch (dev.kodo.client.KodoException e) {
      return Set.of();
    }
  }

  private static <V> Map<String, V> only(Map<String, V> byFlow, Set<String> flows) {
    Map<String, V> out = new TreeMap<>();
    byFlow.forEach(
        (flow, v) -> {
          if (flows.contains(flow)) out.put(flow, v);
        });
    return out;
  }
}
