package dev.kodo.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.NodeClient;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** Housekeeping removes finished runs past their retention, and never anything unfinished. */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class CleanupIT {
  static ConfigurableApplicationContext context;
  static NodeClient client;

  @BeforeAll
  static void start() {
    Path data = Path.of("target", "it-data", UUID.randomUUID().toString());
    context =
        NodeApplication.start(
            "--server.port=0",
            "--kodo.data=" + data,
            "--kodo.cluster.name=it-" + UUID.randomUUID(),
            "--kodo.cleanup.acknowledged-after=0s",
            "--kodo.cleanup.finished-after=3s",
            "--kodo.cleanup.interval=0s",
            "--kodo.flows=classpath:*");
    client =
        NodeClient.connect(
            "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
  }

  @AfterAll
  static void stop() {
    context.close();
  }

  static RunDocument finished(String company) throws InterruptedException {
    RunDocument run = client.launch("dev.kodo.examples.MarketReport", Map.of("company", company));
    client.stream(run.fid(), 0, e -> {});
    return client.run(run.fid());
  }

  @Test
  void previewsThenRemovesOnlyFinishedRunsPastTheirRetention() throws Exception {
    RunDocument acked = finished("Acked");
    client.postJson("/api/runs/" + acked.fid() + "/ack", Map.of());
    RunDocument fresh = finished("Fresh");
    RunDocument locked = client.launch("dev.kodo.examples.PlanApproval", Map.of("goal", "stay"));
    long deadline = System.currentTimeMillis() + 10_000;
    while (client.run(locked.fid()).state() != RunState.LOCKED
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }

    JsonNode preview = client.getJson("/api/cleanup");
    assertThat(preview.path("removed").asBoolean()).isFalse();
    assertThat(preview.path("items").findValuesAsString("fid")).containsExactly(acked.fid());
    assertThat(client.run(acked.fid()).state()).isEqualTo(RunState.DONE);

    JsonNode removed = client.postJson("/api/cleanup", Map.of());
    assertThat(removed.path("removed").asBoolean()).isTrue();
    assertThat(removed.path("items").findValuesAsString("fid")).containsExactly(acked.fid());
    assertThat(client.getJson("/api/runs?pp=1000").path("items").findValuesAsString("fid"))
        .doesNotContain(acked.fid())
        .contains(fresh.fid(), locked.fid());

    // Once past finished-after, every finished run goes — and the locked one still stays.
    Thread.sleep(3_100);
    JsonNode later = client.postJson("/api/cleanup", Map.of());
    assertThat(later.path("items").findValuesAsString("fid"))
        .contains(fresh.fid())
        .doesNotContain(locked.fid());
    assertThat(client.run(locked.fid()).state()).isEqualTo(RunState.LOCKED);
    client.postJson("/api/runs/" + locked.fid() + "/kill", Map.of());
  }
}
