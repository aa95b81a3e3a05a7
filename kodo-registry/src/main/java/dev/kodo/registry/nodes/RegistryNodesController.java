package dev.kodo.registry.nodes;

import dev.kodo.client.Connect;
import dev.kodo.client.FlowUsage;
import dev.kodo.client.Heartbeat;
import dev.kodo.client.Page;
import dev.kodo.client.RegistryNode;
import dev.kodo.registry.RegistryProperties;
import dev.kodo.registry.core.AnnouncementResult;
import dev.kodo.registry.core.Announcements;
import dev.kodo.registry.core.Checks;
import dev.kodo.registry.core.HealthSample;
import dev.kodo.registry.core.Registry;
import dev.kodo.registry.core.Rejection;
import dev.kodo.registry.metrics.RegistryMetrics;
import dev.kodo.registry.outbound.AllowedTargets;
import dev.kodo.registry.web.RegistryAccess;
import dev.kodo.registry.web.RegistryLists;
import dev.kodo.web.ApiException;
import dev.kodo.web.JsonBodies;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The node side of the registry (handshake, heartbeat, goodbye) and the list of nodes. A node's
 * handshake, heartbeat and goodbye need its own client token or an operator's; hidden nodes are
 * listed only when an operator asks ({@code hidden=true}); see {@link RegistryAccess} and
 * docs/security.md#registry-reads-nodes-and-peers.
 */
@RestController("registryNodesController")
class RegistryNodesController {
  private static final Set<String> CONNECT_FIELDS = Set.of("node", "url", "tags", "flows");

  /**
   * Heartbeats are parsed without interning their field names: their {@code usage} is keyed by flow
   * path, so many thousands of nodes send hundreds of thousands of distinct names, which would
   * churn Jackson's name table (measured: most of a heartbeat's cost). Duplicates are refused as in
   * every other body.
   */
  private static final JsonMapper HEARTBEATS =
      JsonMapper.builder(
              JsonFactory.builder()
                  .disable(TokenStreamFactory.Feature.CANONICALIZE_PROPERTY_NAMES)
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .build())
          .build();

  /** How long a connect may wait for the node's host name to resolve. */
  private static final Duration LOOKUP = Duration.ofSeconds(5);

  private final Registry registry;
  private final AllowedTargets targets;
  private final int maxFlows;
  private final RegistryMetrics metrics;

  RegistryNodesController(
      Registry registry,
      AllowedTargets targets,
      RegistryProperties properties,
      RegistryMetrics metrics) {
    this.metrics = metrics;
    this.registry = registry;
    this.targets = targets;
    this.maxFlows = properties.getMaxFlowsPerNode();
  }

  /**
   * A node's handshake: {@code {accepted:[paths], rejected:[{index, path, field, reason}]}}. Each
   * bad flow record is rejected on its own; 403 if the node is not registered, 422 if its URL is
   * not one the registry may probe ({@code kodo.registry.allowed-targets}).
   */
  @PostMapping("/registry/connect")
  ConnectAnswer connect(@RequestBody JsonNode body) {
    RegistryAccess.someNodeOrOperator("connect a node");
    JsonNode b = JsonBodies.object(body, CONNECT_FIELDS);
    String node = JsonBodies.required(b, "node");
    RegistryAccess.node(node, "connect it");
    String url = JsonBodies.string(b, "url");
    List<String> tags = JsonBodies.strings(b, "tags");
    AnnouncementResult checked = Announcements.fromJson(b.get("flows"), maxFlows);
    Connect connect = Checks.connect(new Connect(node, url, tags, checked.accepted()));
    // Only for a registered node: nobody else makes the registry look host names up.
    if (registry.index().stored(node).filter(n -> n.via() == null).isPresent())
      targets.check(connect.url(), "url", LOOKUP);
    AnnouncementResult kept = registry.connect(connect);
    List<Rejection> rejected = new ArrayList<>(checked.rejected());
    rejected.addAll(kept.rejected());
    return new ConnectAnswer(node, kept.acceptedPaths(), rejected);
  }

  /**
   * What a connect answers.
   *
   * @param node the node
   * @param accepted the paths of the flows accepted, in the announced order
   * @param rejected one entry per rejected flow record, with its index in {@code flows} and the
   *     reason
   */
  record ConnectAnswer(String node, List<String> accepted, List<Rejection> rejected) {}

  /**
   * A node's goodbye: it shows offline, with its flows, until it connects again; 404 if unknown.
   */
  @PostMapping("/registry/disconnect")
  RegistryNode disconnect(@RequestBody JsonNode body) {
    RegistryAccess.someNodeOrOperator("disconnect a node");
    String node = JsonBodies.required(JsonBodies.object(body, Set.of("node")), "node");
    RegistryAccess.node(node, "disconnect it");
    return registry.disconnect(node);
  }

  /**
   * A heartbeat: {@code {node, health:{load: 0.2, …}, usage:{path:{runsStarted, runsFinished,
   * modelCalls, inputTokens, outputTokens, cost}}}}; a figure left out (an older node) counts as 0;
   * numbers at the top level count as health figures too. 409 if the node disconnected (it must
   * connect again).
   */
  @PutMapping(value = "/registry/state", consumes = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> heartbeat(@RequestBody byte[] raw) {
    RegistryAccess.someNodeOrOperator("send a node's heartbeat");
    JsonNode b = JsonBodies.object(HEARTBEATS.readTree(raw), null);
    String node = JsonBodies.required(b, "node");
    RegistryAccess.node(node, "send its heartbeat");
    Map<String, Double> health = new LinkedHashMap<>();
    Map<String, FlowUsage> usage = new LinkedHashMap<>();
    for (String name : b.propertyNames()) {
      JsonNode v = b.get(name);
      switch (name) {
        case "node" -> {}
        case "health" -> {
          if (v.isNull()) break;
          if (!v.isObject()) throw JsonBodies.field("health", "must be an object of numbers");
          for (String k : v.propertyNames()) {
            health.put(k, number(v.get(k), "health." + k));
          }
        }
        case "usage" -> {
          if (v.isNull()) break;
          if (!v.isObject())
            throw JsonBodies.field(
                "usage", "must be an object of flow paths to {runsStarted, runsFinished, …}");
          for (String path : v.propertyNames()) {
            JsonNode u = v.get(path);
            if (!u.isObject())
              throw JsonBodies.field(
                  "usage." + path, "must be an object {runsStarted, runsFinished, modelCalls, …}");
            usage.put(
                path,
                Checks.usage(
                    new FlowUsage(
                        figure(u, "runsStarted", "usage." + path),
                        figure(u, "runsFinished", "usage." + path),
                        figure(u, "modelCalls", "usage." + path),
                        figure(u, "inputTokens", "usage." + path),
                        figure(u, "outputTokens", "usage." + path),
                        figure(u, "cost", "usage." + path))));
          }
        }
        default -> health.put(name, number(v, name));
      }
    }
    boolean taken = registry.heartbeat(new Heartbeat(node, health, usage));
    metrics.heartbeat(taken);
    if (!taken) {
      throw new ApiException(
          HttpStatus.CONFLICT,
          "Node disconnected",
          "node '"
              + ApiException.shorten(node)
              + "' disconnected; it must connect again (POST /registry/connect)",
          null);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("node", node);
    out.put("recorded", true);
    return out;
  }

  private static double figure(JsonNode u, String name, String at) {
    JsonNode v = u.get(name);
    return v == null || v.isNull() ? 0 : number(v, at + "." + name);
  }

  private static double number(JsonNode v, String name) {
    if (v == null || !v.isNumber()) throw JsonBodies.field(name, "must be a number");
    return v.asDouble();
  }

  /** One page of nodes: {@code {total, filtered, p, pp, items}}. */
  @GetMapping("/registry/nodes")
  Page<RegistryNode> nodes(
      @RequestParam(required = false) String search,
      @RequestParam(required = false) String query,
      @RequestParam(required = false) String p,
      @RequestParam(required = false) String pp,
      @RequestParam(required = false) String by,
      @RequestParam(required = false) String hidden) {
    return registry.index().nodes(RegistryLists.request(search, query, p, pp, by, hidden));
  }

  /**
   * A node's health history, oldest first: samples taken at most once a minute while it is known,
   * kept for 7 days. {@code from}/{@code to} are ISO-8601 instants (default: the last 24 hours),
   * {@code limit} 1..10000 (default 1440). 404 if the node is unknown (or hidden).
   */
  @GetMapping("/registry/nodes/{node}/history")
  List<HealthSample> history(
      @PathVariable String node,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(required = false) String limit) {
    if (registry.index().node(node, false).isEmpty()) throw ApiException.notFound("node", node);
    Instant end = instant("to", to, Instant.now());
    Instant start = instant("from", from, end.minus(Duration.ofHours(24)));
    if (start.isAfter(end)) throw ApiException.badParameter("from", "must not be after 'to'");
    int max = 1440;
    if (limit != null && !limit.isEmpty()) {
      if (!limit.matches("[0-9]{1,5}")
          || Integer.parseInt(limit) < 1
          || Integer.parseInt(limit) > 10_000) {
        throw ApiException.badParameter(
            "limit",
            "must be a whole number from 1 to 10000, not '" + ApiException.shorten(limit) + "'");
      }
      max = Integer.parseInt(limit);
    }
    return registry.history(node, start, end, max);
  }

  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  private static Instant instant(String name, String raw, Instant dflt) {
    if (raw == null || raw.isEmpty()) return dflt;
    try {
      Instant at = Instant.parse(raw);
      if (at.isBefore(Instant.EPOCH) || at.isAfter(LATEST)) {
        throw ApiException.badParameter(
            name, "must be between " + Instant.EPOCH + " and " + LATEST + ", not " + at);
      }
      return at;
    } catch (DateTimeParseException e) {
      throw ApiException.badParameter(
          name,
          "must be an ISO-8601 instant such as 2026-11-27T10:00:00Z, not '"
              + ApiException.shorten(raw)
              + "'");
    }
  }

  /** One node; 404 if unknown (or hidden, unless {@code hidden=true}: an operator's view). */
  @GetMapping("/registry/nodes/{node}")
  RegistryNode node(@PathVariable String node, @RequestParam(required = false) String hidden) {
    return registry
        .index()
        .node(node, RegistryAccess.hidden(hidden))
        .orElseThrow(() -> ApiException.notFound("node", node));
  }
}
