package dev.kodo.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real node on loopback offering a directory (docs/flows.md#serving-crews): its crews and Java
 * flows are offered under their relative paths, a broken crew file is refused (log and {@code
 * /api/state}) without stopping the others, and a crew whose {@code ${OPENAI_API_KEY}} is set
 * nowhere is refused at launch with a 400 naming the variable, storing no run; once {@code
 * kodo.secrets.OPENAI_API_KEY} is set it launches, and the key's value appears nowhere.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(OutputCaptureExtension.class)
class CrewServingIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String KEY = "sk-it-" + UUID.randomUUID();

  private static Path flows() throws Exception {
    Path dir = Path.of("target", "it-data", "crews-" + UUID.randomUUID()).toAbsolutePath();
    Path root = Path.of("").toAbsolutePath();
    while (!Files.isDirectory(root.resolve("examples/crews"))) {
      root = root.getParent();
    }
    Files.createDirectories(dir.resolve("crews"));
    Files.copy(
        root.resolve("examples/crews/competitor-analysis.yaml"),
        dir.resolve("crews/competitor-analysis.yaml"));
    Files.writeString(
        dir.resolve("broken.yaml"),
        """
        name: Broken
        agentz: {}
        """);
    Files.writeString(
        dir.resolve("Plain.java"),
        """
        import dev.kodo.sdk.*;
        public class Plain implements Flow {
          public FlowSpec spec() { return FlowSpec.builder("Plain").build(); }
          public Result run(FlowContext ctx) { return Result.markdown("plain"); }
        }
        """);
    return dir;
  }

  private static ConfigurableApplicationContext node(Path flows, String... more) {
    String[] args = {
      "--server.port=0",
      "--kodo.data=" + Path.of("target", "it-data", UUID.randomUUID().toString()),
      "--kodo.cluster.name=it-" + UUID.randomUUID(),
      "--kodo.cleanup.interval=0s",
      "--kodo.flows=" + flows
    };
    String[] all = new String[args.length + more.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return NodeApplication.start(all);
  }

  private static String base(ConfigurableApplicationContext node) {
    return "http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port");
  }

  private static final String LAUNCH =
      "{\"flow\":\"crews/competitor-analysis\",\"inputs\":{\"company\":\"ACME\"}}";

  @Test
  void offersADirectoryRefusesABrokenCrewAndAsksForAMissingKeyAtLaunch(CapturedOutput output)
      throws Exception {
    assumeTrue(System.getenv("OPENAI_API_KEY") == null, "OPENAI_API_KEY is set in the environment");
    Path dir = flows();
    try (ConfigurableApplicationContext node = node(dir)) {
      String base = base(node);

      JsonNode flows = JSON.readTree(NodeTestSupport.get(base, "/api/flows").body());
      java.util.List<String> paths = new java.util.ArrayList<>();
      flows.path("items").forEach(f -> paths.add(f.path("path").asString()));
      assertThat(paths)
          .as("%s", flows)
          .containsExactlyInAnyOrder("crews/competitor-analysis", "Plain");
      JsonNode crew =
          JSON.readTree(NodeTestSupport.get(base, "/api/flows/crews/competitor-analysis").body());
      assertThat(crew.path("name").asString()).isEqualTo("Competitor analysis");
      assertThat(crew.path("schema").path("required").toString()).contains("company");

      JsonNode state = JSON.readTree(NodeTestSupport.get(base, "/api/state").body());
      JsonNode refused = state.path("flows").path("refused");
      assertThat(refused.size()).as("%s", state).isEqualTo(1);
      assertThat(refused.get(0).path("source").asString()).endsWith("broken.yaml");
      assertThat(refused.get(0).path("message").asString())
          .as("file, line and column")
          .containsPattern("broken\\.yaml:\\d+:\\d+: ");
      assertThat(output.getAll()).contains("not offering " + dir.resolve("broken.yaml"));

      var launch = NodeTestSupport.post(base, "/api/runs", "application/json", LAUNCH);
      assertThat(launch.statusCode()).as(launch.body()).isEqualTo(400);
      assertThat(launch.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
      JsonNode problem = JSON.readTree(launch.body());
      assertThat(problem.path("title").asString()).isEqualTo("Flow cannot start");
      assertThat(problem.path("detail").asString())
          .contains("OPENAI_API_KEY")
          .contains("kodo.secrets.OPENAI_API_KEY")
          .doesNotContain("OPENAI_BASE_URL");
      JsonNode runs = JSON.readTree(NodeTestSupport.get(base, "/api/runs").body());
      assertThat(runs.path("total").asInt()).as("no run stored: %s", runs).isZero();

      var plain =
          NodeTestSupport.post(
              base, "/api/runs", "application/json", "{\"flow\":\"Plain\",\"inputs\":{}}");
      assertThat(plain.statusCode()).as(plain.body()).isEqualTo(201);
    }
  }

  @Test
  void aKeyInTheNodesSecretsLetsTheCrewStartAndIsShownNowhere(CapturedOutput output)
      throws Exception {
    Path dir = flows();
    try (ConfigurableApplicationContext node =
        node(
            dir,
            "--kodo.secrets.OPENAI_API_KEY=" + KEY,
            // Nothing listens there: the run fails at its first model call, on loopback.
            "--kodo.secrets.OPENAI_BASE_URL=http://127.0.0.1:9/v1")) {
      String base = base(node);
      var launch = NodeTestSupport.post(base, "/api/runs", "application/json", LAUNCH);
      assertThat(launch.statusCode()).as(launch.body()).isEqualTo(201);
      String fid = JSON.readTree(launch.body()).path("fid").asString();
      // It ends (at its first model call, or earlier), and nothing it wrote holds the key.
      NodeTestSupport.await(
          "the run ends",
          () -> {
            JsonNode run = JSON.readTree(NodeTestSupport.get(base, "/api/runs/" + fid).body());
            String s = run.path("state").asString();
            return s.equals("pending") || s.equals("locked") ? null : s;
          });
      String state = NodeTestSupport.get(base, "/api/state").body();
      String events = NodeTestSupport.get(base, "/api/runs/" + fid + "/events").body();
      assertThat(state).doesNotContain(KEY);
      assertThat(events).doesNotContain(KEY);
      assertThat(launch.body()).doesNotContain(KEY);
      assertThat(output.getAll()).doesNotContain(KEY);
    }
  }
}
