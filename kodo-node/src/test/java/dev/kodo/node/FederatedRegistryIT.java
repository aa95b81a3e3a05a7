package dev.kodo.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.kodo.client.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;
import tools.jackson.databind.JsonNode;

/**
 * The registry across real processes (issue 4): two nodes announce their flows to registry r1 and
 * heartbeat; one is killed and goes offline with its flows; r1 is killed and restarted on its data
 * and still knows both; a second registry r2 pulls r1's nodes with their origin, r1 pulling r2 back
 * takes none of its own, and a node r1 drops disappears from r2 as well.
 *
 * <p>One scenario in ordered steps that share the processes; a failed step skips the rest, and
 * every failure carries the tail of each process's log.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FederatedRegistryIT {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final int LOG_TAIL = 60;

  private final Path dir =
      Path.of("target", "it-data", "federated-" + UUID.randomUUID()).toAbsolutePath();
  private final List<AutoCloseable> processes = new CopyOnWriteArrayList<>();
  private final Map<String, Path> logs = new ConcurrentSkipListMap<>();
  private final Map<String, NodeProcess> nodes = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> offered = new LinkedHashMap<>();
  private volatile boolean broken;
  private int r1Port;
  private RegistryProcess r1;
  private RegistryProcess r2;

  @RegisterExtension final LogsOnFailure logsOnFailure = new LogsOnFailure();

  @BeforeAll
  void startRegistryAndNodes() throws Exception {
    r1Port = NodeProcess.freePort();
    r1 = startR1();
    for (String node : List.of("alpha", "beta")) {
      HttpResponse<String> r = post(r1.url(), "/registry/register", "{\"node\":\"" + node + "\"}");
      assertThat(r.statusCode()).as("register %s: %s", node, r.body()).isEqualTo(201);
    }
    try (ExecutorService starting = Executors.newFixedThreadPool(2)) {
      Future<NodeProcess> alpha = starting.submit(() -> startNode("alpha"));
      Future<NodeProcess> beta = starting.submit(() -> startNode("beta"));
      alpha.get();
      beta.get();
    }
  }

  @BeforeEach
  void skipAfterAFailedStep() {
    assumeFalse(broken, "an earlier step failed");
  }

  @AfterAll
  void stopAll() {
    for (AutoCloseable p : processes.reversed()) {
      try {
        p.close();
      } catch (Exception e) {
        System.err.println("could not stop " + p + ": " + e);
      }
    }
  }

  @Test
  @Order(1)
  void registeredNodesAnnounceTheirFlowsAndAreProbed() {
    for (var e : nodes.entrySet()) {
      JsonNode list = getJson(e.getValue().url(), "/api/flows?pp=100");
      assertThat(list.path("total").asInt())
          .as("flows offered by %s", e.getKey())
          .isBetween(1, 100);
      offered.put(e.getKey(), paths(list.path("items")));
    }

    JsonNode page =
        await(
            "alpha and beta online in r1's node list",
            () -> getJson(r1.url(), "/registry/nodes"),
            p -> online(p, "alpha") && online(p, "beta"));
    assertThat(names(page)).containsExactlyInAnyOrder("alpha", "beta");
    for (JsonNode n : page.path("items")) {
      String name = n.path("name").asString();
      assertThat(n.path("url").asString()).as("url of %s", name).isEqualTo(nodes.get(name).url());
      assertThat(n.path("origin").isNull()).as("origin of %s: %s", name, n).isTrue();
      assertThat(n.path("flows").asInt())
          .as("flow count of %s", name)
          .isEqualTo(offered.get(name).size());
    }

    JsonNode flows =
        await(
            "every flow of alpha and beta online in r1's flow list",
            () -> getJson(r1.url(), "/registry/flows?pp=1000"),
            p ->
                offered.keySet().stream()
                    .allMatch(
                        n ->
                            items(p, n).size() == offered.get(n).size()
                                && items(p, n).stream()
                                    .allMatch(f -> f.path("online").asBoolean())));
    for (String node : offered.keySet()) {
      assertThat(paths(items(flows, node)))
          .as("%s's flows in the registry", node)
          .isEqualTo(offered.get(node));
      for (JsonNode f : items(flows, node)) {
        assertThat(f.path("url").asString()).as("url of %s", f).isEqualTo(nodes.get(node).url());
        assertThat(f.path("origin").isNull()).as("origin of %s", f).isTrue();
      }
    }
    JsonNode state = getJson(r1.url(), "/registry/state");
    assertThat(state.path("name").asString()).isEqualTo("r1");
    assertThat(state.path("nodes").asInt()).as("%s", state).isEqualTo(2);
    assertThat(state.path("flows").asInt())
        .as("%s", state)
        .isEqualTo(offered.get("alpha").size() + offered.get("beta").size());

    for (String node : List.of("alpha", "beta")) {
      JsonNode probed =
          await(
              node + "'s availability after probes",
              () -> getJson(r1.url(), "/registry/nodes/" + node),
              n -> n.path("availability").isNumber() && n.path("availability").asDouble() > 0);
      assertThat(probed.path("availability").asDouble()).isBetween(0.0, 1.0);
      JsonNode link =
          await(
              node + " to report r1 connected",
              () -> getJson(nodes.get(node).url(), "/api/state"),
              s -> s.path("registries").path(0).path("connected").asBoolean());
      assertThat(link.path("registries").size()).isEqualTo(1);
      assertThat(link.path("registries").get(0).path("url").asString()).isEqualTo(r1.url());
      assertThat(link.path("registries").get(0).path("lastError").isNull()).as("%s", link).isTrue();
    }
  }

  @Test
  @Order(2)
  void aKilledNodeGoesOfflineWithItsFlows() throws Exception {
    nodes.get("beta").kill9();
    JsonNode beta =
        await(
            "beta offline after its heartbeats stopped",
            () -> getJson(r1.url(), "/registry/nodes/beta"),
            n -> !n.path("online").asBoolean());
    assertThat(beta.path("url").asString()).isEqualTo(nodes.get("beta").url());
    await(
        "alpha still online",
        () -> getJson(r1.url(), "/registry/nodes/alpha"),
        n -> n.path("online").asBoolean());

    String offline = "/registry/flows?pp=1000&query=" + encode("online = false");
    JsonNode page =
        await(
            "exactly beta's flows offline",
            () -> getJson(r1.url(), offline),
            p ->
                items(p, "alpha").isEmpty()
                    && items(p, "beta").size() == offered.get("beta").size());
    assertThat(page.path("filtered").asInt()).as("%s", page).isEqualTo(offered.get("beta").size());
    assertThat(paths(page.path("items"))).isEqualTo(offered.get("beta"));
    for (JsonNode f : page.path("items")) {
      assertThat(f.path("node").asString()).isEqualTo("beta");
      assertThat(f.path("online").asBoolean()).as("%s", f).isFalse();
    }

    JsonNode ofAlpha =
        getJson(r1.url(), "/registry/flows?pp=1000&query=" + encode("node = \"alpha\""));
    assertThat(ofAlpha.path("filtered").asInt())
        .as("%s", ofAlpha)
        .isEqualTo(offered.get("alpha").size());
    assertThat(items(ofAlpha, "alpha")).hasSize(offered.get("alpha").size());
    assertThat(paths(ofAlpha.path("items"))).isEqualTo(offered.get("alpha"));
  }

  @Test
  @Order(3)
  void aRestartedRegistryKeepsItsNodesAndFlows() throws Exception {
    r1.kill9();
    r1 = startR1();

    JsonNode page = getJson(r1.url(), "/registry/nodes");
    assertThat(names(page)).as("%s", page).containsExactlyInAnyOrder("alpha", "beta");
    for (JsonNode n : page.path("items")) {
      String name = n.path("name").asString();
      assertThat(n.path("url").asString()).as("url of %s", name).isEqualTo(nodes.get(name).url());
      assertThat(n.path("flows").asInt())
          .as("flow count of %s", name)
          .isEqualTo(offered.get(name).size());
    }
    JsonNode flows = getJson(r1.url(), "/registry/flows?pp=1000");
    // beta is dead: only what r1 stored can list its flows.
    assertThat(paths(items(flows, "beta"))).isEqualTo(offered.get("beta"));
    assertThat(items(flows, "beta")).allMatch(f -> !f.path("online").asBoolean());

    await(
        "alpha online again after its next heartbeat",
        () -> getJson(r1.url(), "/registry/nodes/alpha"),
        n -> n.path("online").asBoolean());
    JsonNode again = getJson(r1.url(), "/registry/flows?pp=1000");
    assertThat(paths(items(again, "alpha"))).isEqualTo(offered.get("alpha"));
    assertThat(getJson(r1.url(), "/registry/nodes/beta").path("online").asBoolean()).isFalse();
  }

  @Test
  @Order(4)
  void aSecondRegistryPullsTheFirstOnesNodesWithTheirOrigin() throws Exception {
    int port = NodeProcess.freePort();
    logs.put("r2", dir.resolve("r2-" + port + ".log"));
    r2 =
        track(
            RegistryProcess.start(
                port,
                dir.resolve("r2"),
                "r2",
                "--kodo.registry.heartbeat-timeout=10s",
                "--kodo.registry.sync-interval=1s"));

    HttpResponse<String> added =
        post(
            r2.url(),
            "/registry/peers",
            "{\"name\":\"r1\",\"url\":\"" + r1.url() + "\",\"role\":\"provider\"}");
    assertThat(added.statusCode())
        .as("add r1 as a provider of r2: %s", added.body())
        .isEqualTo(201);
    assertThat(Json.read(added.body()).path("role").asString()).isEqualTo("provider");

    JsonNode flows =
        await(
            "r1's flows in r2's flow list",
            () -> getJson(r2.url(), "/registry/flows?pp=1000"),
            p ->
                offered.keySet().stream().allMatch(n -> items(p, n).size() == offered.get(n).size())
                    && items(p, "alpha").stream().allMatch(f -> f.path("online").asBoolean()));
    for (String node : offered.keySet()) {
      assertThat(paths(items(flows, node)))
          .as("%s's flows in r2", node)
          .isEqualTo(offered.get(node));
      for (JsonNode f : items(flows, node)) {
        assertThat(f.path("origin").asString()).as("origin of %s", f).isEqualTo("r1");
        assertThat(f.path("url").asString()).as("url of %s", f).isEqualTo(nodes.get(node).url());
      }
    }
    assertThat(flows.path("total").asInt())
        .as("%s", flows.path("total"))
        .isEqualTo(offered.get("alpha").size() + offered.get("beta").size());
    JsonNode fromR1 =
        getJson(r2.url(), "/registry/flows?pp=1000&query=" + encode("origin = \"r1\""));
    assertThat(fromR1.path("filtered").asInt()).isEqualTo(flows.path("total").asInt());
    // r2 judges liveness by the heartbeats it learns from r1: beta died long ago.
    await(
        "beta's flows offline in r2",
        () -> getJson(r2.url(), "/registry/flows?pp=1000&query=" + encode("node = \"beta\"")),
        p ->
            p.path("items").size() == offered.get("beta").size()
                && p.path("items").valueStream().noneMatch(f -> f.path("online").asBoolean()));

    JsonNode peer =
        await(
            "r2 to report its last sync with r1",
            () -> peer(r2, "r1"),
            p -> !p.path("lastSync").isNull() && p.path("nodes").asInt() == 2);
    assertThat(peer.path("lastError").isNull()).as("%s", peer).isTrue();
    assertThat(peer.path("url").asString()).isEqualTo(r1.url());
    assertThat(getJson(r2.url(), "/registry/nodes/alpha").path("origin").asString())
        .isEqualTo("r1");

    // A loop: r1 pulls r2 as well, yet takes none of its own nodes back.
    HttpResponse<String> back =
        post(
            r1.url(),
            "/registry/peers",
            "{\"name\":\"r2\",\"url\":\"" + r2.url() + "\",\"role\":\"provider\"}");
    assertThat(back.statusCode()).as("add r2 as a provider of r1: %s", back.body()).isEqualTo(201);
    HttpResponse<String> synced = post(r1.url(), "/registry/peers/r2/sync", "");
    assertThat(synced.statusCode()).as("sync r1 with r2: %s", synced.body()).isEqualTo(200);
    JsonNode view = Json.read(synced.body());
    assertThat(view.path("lastSync").isNull()).as("%s", view).isFalse();
    assertThat(view.path("lastError").isNull()).as("%s", view).isTrue();
    assertThat(view.path("nodes").asInt()).as("%s", view).isZero();
    JsonNode r1Nodes = getJson(r1.url(), "/registry/nodes");
    assertThat(names(r1Nodes)).as("%s", r1Nodes).containsExactlyInAnyOrder("alpha", "beta");
    assertThat(r1Nodes.path("total").asInt()).isEqualTo(2);
    assertThat(r1Nodes.path("items").valueStream().map(n -> n.path("origin")))
        .allMatch(JsonNode::isNull);
    assertThat(getJson(r1.url(), "/registry/flows?pp=1000").path("total").asInt())
        .isEqualTo(flows.path("total").asInt());
    assertThat(peer(r1, "r2").path("nodes").asInt()).isZero();

    // The origin drops beta: it disappears from r2 with the next sync.
    HttpResponse<String> dropped =
        NodeTestSupport.send(request(r1.url(), "/registry/register/beta").DELETE().build());
    assertThat(dropped.statusCode()).as("unregister beta at r1: %s", dropped.body()).isEqualTo(204);
    assertThat(get(r1.url(), "/registry/nodes/beta").statusCode()).isEqualTo(404);
    JsonNode after =
        await(
            "beta's flows gone from r2",
            () -> getJson(r2.url(), "/registry/flows?pp=1000"),
            p -> items(p, "beta").isEmpty());
    assertThat(paths(items(after, "alpha"))).isEqualTo(offered.get("alpha"));
    assertThat(after.path("total").asInt()).isEqualTo(offered.get("alpha").size());
    assertThat(names(getJson(r2.url(), "/registry/nodes"))).containsExactly("alpha");
    assertThat(get(r2.url(), "/registry/nodes/beta").statusCode()).isEqualTo(404);
    await("r2 to hold one node of r1", () -> peer(r2, "r1"), p -> p.path("nodes").asInt() == 1);
  }

  // ------------------------------------------------------------------------------- processes

  private RegistryProcess startR1() throws Exception {
    logs.put("r1", dir.resolve("r1-" + r1Port + ".log"));
    return track(
        RegistryProcess.start(
            r1Port,
            dir.resolve("r1"),
            "r1",
            "--kodo.registry.heartbeat-timeout=3s",
            "--kodo.registry.probe-interval=1s",
            "--kodo.registry.sync-interval=1s"));
  }

  private NodeProcess startNode(String name) throws Exception {
    int port = NodeProcess.freePort();
    logs.put(name, dir.resolve(name + "-" + port + ".log"));
    NodeProcess node =
        NodeProcess.start(
            port,
            dir.resolve(name),
            "federated-" + name + "-" + UUID.randomUUID(),
            "--kodo.node.name=" + name,
            "--kodo.registries=" + r1.url(),
            "--kodo.registry-heartbeat=1s",
            "--kodo.registry-retry-max=2s",
            "--kodo.flows=classpath:*");
    nodes.put(name, track(node));
    return node;
  }

  private <T extends AutoCloseable> T track(T process) {
    processes.add(process);
    return process;
  }

  /** The last lines of every process's log, to make a failure on CI diagnosable. */
  private String processLogs() {
    StringBuilder out = new StringBuilder();
    for (var e : logs.entrySet()) {
      out.append("\n----- last ")
          .append(LOG_TAIL)
          .append(" lines of ")
          .append(e.getKey())
          .append(" (")
          .append(e.getValue())
          .append(") -----\n");
      try {
        List<String> lines =
            Files.exists(e.getValue()) ? Files.readAllLines(e.getValue()) : List.of("(no log)");
        for (String line : lines.subList(Math.max(0, lines.size() - LOG_TAIL), lines.size()))
          out.append(line).append('\n');
      } catch (Exception x) {
        out.append("(unreadable: ").append(x).append(")\n");
      }
    }
    return out.toString();
  }

  /** Marks the scenario broken and adds the process logs to the failure. */
  private final class LogsOnFailure
      implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {
    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure)
        throws Throwable {
      throw withLogs(failure);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable failure)
        throws Throwable {
      throw withLogs(failure);
    }

    private Throwable withLogs(Throwable failure) {
      if (failure instanceof TestAbortedException) return failure;
      broken = true;
      return new AssertionError(failure.getMessage() + "\n" + processLogs(), failure);
    }
  }

  // ------------------------------------------------------------------------------------ HTTP

  private static HttpRequest.Builder request(String base, String path) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(20))
        .header("Accept", "application/json")
        .header("X-Kodo-Client", "test");
  }

  private static HttpResponse<String> get(String base, String path) {
    return NodeTestSupport.send(request(base, path).GET().build());
  }

  private static HttpResponse<String> post(String base, String path, String json) {
    return NodeTestSupport.send(
        request(base, path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  private static JsonNode getJson(String base, String path) {
    HttpResponse<String> r = get(base, path);
    assertThat(r.statusCode()).as("GET %s%s answered %s", base, path, r.body()).isEqualTo(200);
    return Json.read(r.body());
  }

  private static JsonNode peer(RegistryProcess registry, String name) {
    for (JsonNode p : getJson(registry.url(), "/registry/peers")) {
      if (p.path("name").asString().equals(name)) return p;
    }
    return fail("registry %s has no peer %s", registry.url(), name);
  }

  private static String encode(String query) {
    return URLEncoder.encode(query, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /**
   * Reads until {@code done} holds, up to {@link #PATIENCE}; a refused connection counts as not yet
   * (a process may be starting), a wrong status fails at once.
   */
  private static JsonNode await(String what, Supplier<JsonNode> read, Predicate<JsonNode> done) {
    Instant deadline = Instant.now().plus(PATIENCE);
    Object last = null;
    while (Instant.now().isBefore(deadline)) {
      try {
        JsonNode value = read.get();
        if (done.test(value)) return value;
        last = value;
      } catch (RuntimeException e) {
        last = e;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    String seen = String.valueOf(last);
    return fail(
        "timed out after %s s waiting for %s; last answer: %s",
        PATIENCE.toSeconds(), what, seen.length() > 4000 ? seen.substring(0, 4000) + "…" : seen);
  }

  // ------------------------------------------------------------------------------ list pages

  private static List<JsonNode> items(JsonNode page, String node) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode item : page.path("items")) {
      if (node.equals(item.path("node").asString())) out.add(item);
    }
    return out;
  }

  private static Set<String> paths(Iterable<JsonNode> flows) {
    Set<String> out = new TreeSet<>();
    for (JsonNode f : flows) out.add(f.path("path").asString());
    return out;
  }

  private static List<String> names(JsonNode page) {
    List<String> out = new ArrayList<>();
    for (JsonNode n : page.path("items")) out.add(n.path("name").asString());
    return out;
  }

  private static boolean online(JsonNode page, String node) {
    for (JsonNode n : page.path("items")) {
      if (node.equals(n.path("name").asString())) return n.path("online").asBoolean();
    }
    return false;
  }
}
