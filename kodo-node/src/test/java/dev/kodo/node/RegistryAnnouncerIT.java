package dev.kodo.node;

import static dev.kodo.node.NodeTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kodo.client.NodeClient;
import dev.kodo.client.RunDocument;
import dev.kodo.registry.RegistryApplication;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The node announces itself to its registries: handshake, heartbeat, goodbye, and retries. */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RegistryAnnouncerIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path tmp;

  @Test
  void connectsOnceRegisteredHeartbeatsAndSaysGoodbye() throws Exception {
    try (ConfigurableApplicationContext registry =
        RegistryApplication.start(
            "--server.port=0",
            "--kodo.registry.data=" + tmp.resolve("registry"),
            "--kodo.auth.enabled=false")) {
      String reg = "http://127.0.0.1:" + registry.getEnvironment().getProperty("local.server.port");
      String name = "itnode-" + UUID.randomUUID().toString().substring(0, 8);
      List<JsonNode> flows;
      ConfigurableApplicationContext node =
          NodeApplication.start(
              "--server.port=0",
              "--kodo.data=" + tmp.resolve("node"),
              "--kodo.cluster.name=it-" + UUID.randomUUID(),
              "--kodo.node.name=" + name,
              "--kodo.registries=" + reg,
              "--kodo.registry-heartbeat=1s",
              "--kodo.registry-retry-max=1s",
              "--kodo.flows=classpath:*");
      try {
        String base = "http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port");
        // Not registered yet: the node started anyway and says why it is not connected.
        JsonNode link =
            await(
                "the node to report it is not registered",
                () -> {
                  JsonNode r = registryOf(base);
                  return r.path("lastError").asString("").contains("not registered") ? r : null;
                });
        assertFalse(link.path("connected").asBoolean());
        assertEquals(reg, link.path("url").asString());

        var registered =
            NodeTestSupport.post(
                reg, "/registry/register", "application/json", "{\"node\":\"" + name + "\"}");
        assertEquals(201, registered.statusCode(), registered.body());

        flows =
            await(
                "the registry to list the node's flows online",
                () -> {
                  List<JsonNode> mine = flowsOf(reg, name);
                  return !mine.isEmpty()
                          && mine.stream().allMatch(f -> f.path("online").asBoolean())
                      ? mine
                      : null;
                });
        int offered =
            JSON.readTree(NodeTestSupport.get(base, "/api/state").body())
                .path("counts")
                .path("flows")
                .asInt();
        assertTrue(offered > 0);
        assertEquals(Math.min(offered, 100), flows.size());
        for (JsonNode f : flows) {
          assertEquals(base, f.path("url").asString());
          assertFalse(f.path("release").asString().isEmpty());
        }
        JsonNode connected =
            await(
                "the node to report the registry connected with a heartbeat",
                () -> {
                  JsonNode r = registryOf(base);
                  return r.path("connected").asBoolean() && !r.path("lastHeartbeat").isNull()
                      ? r
                      : null;
                });
        assertTrue(connected.path("lastError").isNull());
        // A run is counted in the next heartbeats as usage of its flow.
        NodeClient client = NodeClient.connect(base);
        RunDocument run =
            client.launch(
                "dev.kodo.examples.ResearchSteps",
                Map.of("topic", "tides", "steps", 1, "pause", 0));
        client.stream(run.fid(), 0, e -> {});
        JsonNode used =
            await(
                "the registry to show the run in the flow's usage",
                () -> {
                  for (JsonNode f : flowsOf(reg, name)) {
                    if (f.path("path").asString().equals("dev.kodo.examples.ResearchSteps")
                        && f.path("usage").path("runsFinished").asDouble() >= 1) return f;
                  }
                  return null;
                });
        assertEquals(1.0, used.path("usage").path("runsStarted").asDouble(), used.toString());
        assertEquals(1.0, used.path("usage").path("runsFinished").asDouble(), used.toString());
      } finally {
        node.close();
      }
      // The node said goodbye: the registry shows it offline at once.
      JsonNode n = JSON.readTree(NodeTestSupport.get(reg, "/registry/nodes/" + name).body());
      assertEquals(name, n.path("name").asString(), n.toString());
      assertFalse(n.path("online").asBoolean(), n.toString());
      List<JsonNode> after = flowsOf(reg, name);
      assertEquals(flows.size(), after.size(), "the node's flows stay listed, offline: " + after);
      for (JsonNode f : after) assertFalse(f.path("online").asBoolean(), f.toString());
    }
  }

  @Test
  void aDeadRegistryDoesNotStopTheNode() throws Exception {
    int dead;
    try (ServerSocket s = new ServerSocket(0)) {
      dead = s.getLocalPort();
    }
    String reg = "http://127.0.0.1:" + dead;
    try (ConfigurableApplicationContext node =
        NodeApplication.start(
            "--server.port=0",
            "--kodo.data=" + tmp.resolve("node"),
            "--kodo.cluster.name=it-" + UUID.randomUUID(),
            "--kodo.registries=" + reg + "/")) {
      String base = "http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port");
      var state = NodeTestSupport.get(base, "/api/state");
      assertEquals(200, state.statusCode());
      JsonNode link =
          await(
              "the node to report the dead registry",
              () -> {
                JsonNode r = registryOf(base);
                return r.path("lastError").isString() ? r : null;
              });
      assertEquals(reg, link.path("url").asString());
      assertFalse(link.path("connected").asBoolean());
      assertTrue(link.path("lastError").asString().contains("ConnectException"), link.toString());
    }
  }

  private static JsonNode registryOf(String base) {
    JsonNode s = JSON.readTree(NodeTestSupport.get(base, "/api/state").body());
    JsonNode rs = s.path("registries");
    assertEquals(1, rs.size(), s.toString());
    return rs.get(0);
  }

  private static List<JsonNode> flowsOf(String reg, String node) {
    JsonNode page = JSON.readTree(NodeTestSupport.get(reg, "/registry/flows?pp=100").body());
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode f : page.path("items")) {
      if (node.equals(f.path("node").asString())) out.add(f);
    }
    return out;
  }
}
