package dev.kodo.node;

import static org.assertj.core.api.Assertions.assertThat;

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
 * A node whose configuration names no flows offers none, although flows (the examples, on this
 * test's class path) are registered on its class path, and says in its log how to add some.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
@ExtendWith(OutputCaptureExtension.class)
class UnconfiguredFlowsIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void aNodeWithoutConfiguredFlowsOffersNoneAndSaysHowToAddThem(CapturedOutput output) {
    Path data = Path.of("target", "it-data", UUID.randomUUID().toString());
    try (ConfigurableApplicationContext node =
        NodeApplication.start(
            "--server.port=0",
            "--kodo.data=" + data,
            "--kodo.cluster.name=it-" + UUID.randomUUID(),
            "--kodo.cleanup.interval=0s")) {
      String base = "http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port");

      JsonNode flows = JSON.readTree(NodeTestSupport.get(base, "/api/flows").body());
      assertThat(flows.path("total").asInt()).as("%s", flows).isZero();
      assertThat(flows.path("items").size()).isZero();

      var launch =
          NodeTestSupport.post(
              base,
              "/api/runs",
              "application/json",
              "{\"flow\":\"dev.kodo.examples.FailingFlow\",\"inputs\":{}}");
      assertThat(launch.statusCode()).as(launch.body()).isEqualTo(404);
      assertThat(launch.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));

      assertThat(output.getAll())
          .contains("this node offers no flows: name them in kodo.flows")
          .contains("KODO_FLOWS")
          .contains("classpath:*");
    }
  }
}
