package dev.kodo.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Event;
import dev.kodo.client.EventsPage;
import dev.kodo.client.NodeClient;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8's back-pressure run, on a node in its own JVM: one run emits 2,000,000 events with no
 * pause — far faster than the store writes them. The flow must be slowed down, not the node: the
 * run completes with every event, gapless, {@code GET /api/state} answers within 1 s throughout,
 * and the node stops gracefully afterwards. Before the fix the journal and the store's writer
 * deadlocked within the first 100,000 queued events.
 */
@Timeout(value = 900, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BackPressureIT {
  private static final int EVENTS = 2_000_000;
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(2))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  @TempDir Path dir;

  @Test
  void aRunEmitting2MillionEventsCompletesGaplessWhileTheNodeAnswersStateWithinASecond()
      throws Exception {
    NodeProcess node =
        NodeProcess.start(
            JvmProcess.freePort(),
            dir.resolve("node"),
            "bp-" + UUID.randomUUID(),
            "--kodo.flows=dev.kodo.node.testflows.Flood");
    try {
      NodeClient client = node.client();
      RunDocument run = client.launch("dev.kodo.node.testflows.Flood", Map.of("count", EVENTS));
      HttpRequest state =
          HttpRequest.newBuilder(URI.create(node.url() + "/api/state"))
              .timeout(Duration.ofSeconds(5))
              .build();

      List<Long> stateMillis = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
      RunDocument now = run;
      while (!now.state().finished()) {
        assertThat(System.nanoTime())
            .as("the run finished within 600 s (at %s events)", now.events())
            .isLessThan(deadline);
        long t0 = System.nanoTime();
        HttpResponse<String> answer = HTTP.send(state, HttpResponse.BodyHandlers.ofString());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(answer.statusCode()).as("GET /api/state").isEqualTo(200);
        assertThat(ms)
            .as("GET /api/state took %d ms at %s events", ms, now.events())
            .isLessThan(1_000);
        stateMillis.add(ms);
        Thread.sleep(100);
        now = client.run(run.fid());
      }

      assertThat(now.state()).isEqualTo(RunState.DONE);
      assertThat(now.events()).isEqualTo(EVENTS + 4L); // inputs, version, flow, the results, final
      assertThat(stateMillis.size()).as("state requests answered during the run").isGreaterThan(5);
      long expected = 1;
      for (long after = 0; after < now.events(); ) {
        EventsPage page = client.events(run.fid(), after, 10_000);
        for (Event e : page.items()) {
          assertThat(e.seq()).isEqualTo(expected++);
        }
        after = page.items().getLast().seq();
      }
      assertThat(expected - 1).isEqualTo(EVENTS + 4L);
      System.out.printf(
          "back-pressure: %,d events; GET /api/state answered %d times, max %d ms%n",
          EVENTS + 4,
          stateMillis.size(),
          stateMillis.stream().mapToLong(Long::longValue).max().orElse(0));
    } finally {
      node.terminate(Duration.ofSeconds(30)); // fails unless the node stops by itself within 30 s
    }
  }
}
