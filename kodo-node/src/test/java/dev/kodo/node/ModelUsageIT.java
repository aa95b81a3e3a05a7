package dev.kodo.node;

import static dev.kodo.node.NodeTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.NodeClient;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import dev.kodo.client.RunUsage;
import dev.kodo.registry.RegistryApplication;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Model calls recorded by a run ({@code llm} actions) are summed in its run document, also after a
 * node restart, and per flow in the heartbeats the registry shows (docs/events.md#derived-state).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ModelUsageIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String FLOW = "dev.kodo.node.testflows.EmitsModelCalls";

  @TempDir Path tmp;

  @Test
  void usageIsSummedPerRunAndPerFlowAndSurvivesARestart() throws Exception {
    try (ConfigurableApplicationContext registry =
        RegistryApplication.start(
            "--server.port=0",
            "--kodo.registry.data=" + tmp.resolve("registry"),
            "--kodo.auth.enabled=false")) {
      String reg = "http://127.0.0.1:" + registry.getEnvironment().getProperty("local.server.port");
      String name = "usage-" + UUID.randomUUID().toString().substring(0, 8);
      var registered =
          NodeTestSupport.post(
              reg, "/registry/register", "application/json", "{\"node\":\"" + name + "\"}");
      assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
      String cluster = "it-" + UUID.randomUUID();
      String[] args = {
        "--server.port=0",
        "--kodo.data=" + tmp.resolve("node"),
        "--kodo.cluster.name=" + cluster,
        "--kodo.node.name=" + name,
        "--kodo.registries=" + reg,
        "--kodo.registry-heartbeat=1s",
        "--kodo.registry-retry-max=1s",
        "--kodo.flows=" + FLOW
      };
      // 3 calls: 10+20+30 input tokens, 1+2+3 output tokens, 0.5 each; 2 calls: 10+20, 1+2.
      RunUsage three = new RunUsage(3, 60, 6, 1.5);
      RunUsage two = new RunUsage(2, 30, 3, 1.0);
      String fid;
      String none;
      try (ConfigurableApplicationContext node = NodeApplication.start(args)) {
        NodeClient client = NodeClient.connect(base(node));
        RunDocument launched = client.launch(FLOW, Map.of("calls", 3));
        assertThat(launched.usage()).isEqualTo(RunUsage.NONE);
        fid = launched.fid();
        client.stream(fid, 0, e -> {});
        String second = client.launch(FLOW, Map.of("calls", 2)).fid();
        client.stream(second, 0, e -> {});
        none = client.launch(FLOW, Map.of("calls", 0)).fid();
        client.stream(none, 0, e -> {});

        RunDocument done = client.run(fid);
        assertThat(done.state()).isEqualTo(RunState.DONE);
        assertThat(done.usage()).isEqualTo(three);
        assertThat(client.run(second).usage()).isEqualTo(two);
        assertThat(client.run(none).usage()).isEqualTo(RunUsage.NONE);
        JsonNode raw = JSON.readTree(NodeTestSupport.get(base(node), "/api/runs/" + fid).body());
        assertThat(raw.path("usage").toString())
            .isEqualTo("{\"calls\":3,\"inputTokens\":60,\"outputTokens\":6,\"cost\":1.5}");
        JsonNode list = JSON.readTree(NodeTestSupport.get(base(node), "/api/runs?pp=10").body());
        for (JsonNode item : list.path("items")) {
          if (item.path("fid").asString().equals(fid)) {
            assertThat(item.path("usage").path("calls").asLong()).isEqualTo(3);
          }
        }

        // Per flow: the heartbeat carries the sum of both runs, and the registry shows it.
        JsonNode usage =
            await(
                "the registry to show the flow's model calls",
                () -> {
                  JsonNode page =
                      JSON.readTree(NodeTestSupport.get(reg, "/registry/flows?pp=100").body());
                  for (JsonNode f : page.path("items")) {
                    if (name.equals(f.path("node").asString())
                        && f.path("usage").path("runsFinished").asDouble() >= 3
                        && f.path("usage").path("modelCalls").asDouble() >= 5) {
                      return f.path("usage");
                    }
                  }
                  return null;
                });
        assertThat(usage.path("runsStarted").asDouble()).isEqualTo(3.0);
        assertThat(usage.path("modelCalls").asDouble()).isEqualTo(5.0);
        assertThat(usage.path("inputTokens").asDouble()).isEqualTo(90.0);
        assertThat(usage.path("outputTokens").asDouble()).isEqualTo(9.0);
        assertThat(usage.path("cost").asDouble()).isEqualTo(2.5);
      }

      // The run document is derived from the stored log: a new node process on the same data
      // answers the same usage.
      try (ConfigurableApplicationContext node = NodeApplication.start(args)) {
        NodeClient client = NodeClient.connect(base(node));
        assertThat(client.run(fid).usage()).isEqualTo(three);
        assertThat(client.run(none).usage()).isEqualTo(RunUsage.NONE);
      }
    }
  }

  private static String base(ConfigurableApplicationContext node) {
    return "http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port");
  }
}
