package dev.kodo.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Json;
import dev.kodo.client.NodeClient;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import dev.kodo.cluster.KodoCluster;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A launch whose run was recorded but whose dispatch fails (here: the node's cluster member is
 * gone) answers 503 and ends the run with {@code fatal} / {@code dispatch-failed}: no run waits for
 * a worker that will never come.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DispatchFailureIT {
  static ConfigurableApplicationContext context;
  static String base;

  @BeforeAll
  static void start() {
    Path data = Path.of("target", "it-data", "dispatch-" + UUID.randomUUID());
    context =
        NodeApplication.start(
            "--server.port=0",
            "--kodo.data=" + data,
            "--kodo.cluster.name=dispatch-" + UUID.randomUUID(),
            "--kodo.worker.enabled=false",
            "--kodo.flows=classpath:*");
    base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
  }

  @AfterAll
  static void stop() {
    if (context != null) {
      context.close();
    }
  }

  @Test
  void aLaunchWhoseDispatchFailsAnswers503AndTheRunEndsWithDispatchFailed() {
    context.getBean(KodoCluster.class).hazelcast().getLifecycleService().terminate();

    HttpResponse<String> answer =
        NodeTestSupport.post(
            base,
            "/api/runs",
            "application/json",
            "{\"flow\":\"dev.kodo.examples.ResearchSteps\",\"inputs\":{\"topic\":\"never dispatched\"}}");

    assertThat(answer.statusCode()).isEqualTo(503);
    assertThat(answer.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    JsonNode problem = Json.read(answer.body());
    assertThat(problem.path("detail").asString())
        .contains("dispatch-failed")
        .contains("Try again later");
    String fid = problem.path("detail").asString().replaceAll("^run (\\S+) .*$", "$1");
    NodeClient client = NodeClient.connect(base);
    RunDocument run = client.run(fid);
    assertThat(run.state()).isEqualTo(RunState.ERROR);
    assertThat(run.error().path("reason").asString()).isEqualTo("dispatch-failed");
    assertThat(client.runs(Map.of("state", "pending")).items()).as("no run left waiting").isEmpty();
    assertThat(List.of(run.fid())).containsExactly(fid);
  }
}
