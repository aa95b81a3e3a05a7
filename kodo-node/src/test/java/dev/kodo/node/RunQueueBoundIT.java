package dev.kodo.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Json;
import dev.kodo.cluster.KodoCluster;
import dev.kodo.cluster.RunTicket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The cluster's run queue is bounded: on a node without a worker, once {@link
 * KodoCluster#MAX_QUEUED_RUNS} runs wait, a launch answers 503 problem+json with {@code
 * Retry-After} and records nothing — no run left pending without a ticket. Before the fix the queue
 * grew without limit.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RunQueueBoundIT {
  private static ConfigurableApplicationContext context;
  private static String base;

  @BeforeAll
  static void start() {
    Path data = Path.of("target", "it-data", UUID.randomUUID().toString());
    context =
        NodeApplication.start(
            "--server.port=0",
            "--kodo.data=" + data,
            "--kodo.cluster.name=it-" + UUID.randomUUID(),
            "--kodo.flows=dev.kodo.node.testflows.Flood",
            "--kodo.worker.enabled=false",
            "--kodo.cleanup.interval=0s");
    base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
  }

  @AfterAll
  static void stop() {
    if (context != null) {
      context.close();
    }
  }

  @Test
  void aLaunchWhileTheRunQueueIsFullAnswers503AndRecordsNoRun() {
    KodoCluster cluster = context.getBean(KodoCluster.class);
    for (int i = cluster.queuedRuns(); i < KodoCluster.MAX_QUEUED_RUNS; i++) {
      cluster.dispatch(
          new RunTicket("queued-" + i, "dev.kodo.node.testflows.Flood", "{}", "elsewhere"));
    }
    long before = Json.read(NodeTestSupport.get(base, "/api/runs").body()).path("total").asLong();

    HttpResponse<String> launch =
        NodeTestSupport.post(
            base,
            "/api/runs",
            "application/json",
            "{\"flow\":\"dev.kodo.node.testflows.Flood\",\"inputs\":{}}");

    assertThat(launch.statusCode()).as(launch.body()).isEqualTo(503);
    assertThat(launch.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(launch.headers().firstValue("Retry-After")).isPresent();
    assertThat(Json.read(launch.body()).path("detail").asString()).contains("run queue is full");
    assertThat(Json.read(NodeTestSupport.get(base, "/api/runs").body()).path("total").asLong())
        .isEqualTo(before);
  }
}
