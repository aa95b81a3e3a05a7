package dev.kodo.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.NodeClient;
import dev.kodo.cluster.KodoCluster;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Expected conditions that arise when requests race (issue 8, item 12): a run deleted while it is
 * acknowledged, shared, killed, restarted, read or followed. Whatever wins, the loser gets the
 * answer of its situation — 404 (the run is gone), 409 (its state changed) — never a 500.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ManagementRacesIT {
  private static final String RESEARCH = "dev.kodo.examples.ResearchSteps";
  private static final int ROUNDS = 60;

  static ConfigurableApplicationContext context;
  static String base;
  static NodeClient client;

  @BeforeAll
  static void start() {
    Path data = Path.of("target", "it-data", UUID.randomUUID().toString());
    context =
        NodeApplication.start(
            "--server.port=0",
            "--kodo.data=" + data,
            "--kodo.cluster.name=it-" + UUID.randomUUID(),
            "--kodo.cleanup.interval=0s",
            "--kodo.flows=classpath:*");
    base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    client = NodeClient.connect(base);
  }

  @AfterAll
  static void stop() {
    if (context != null) context.close();
  }

  /**
   * What a request racing a delete may answer: success, or the run is gone; the delete itself 204
   * or 404.
   */
  private static final Map<String, Set<Integer>> ALLOWED =
      Map.of(
          "ack", Set.of(200, 404),
          "share", Set.of(200, 404),
          "kill", Set.of(404, 409),
          "restart", Set.of(201, 404),
          "get", Set.of(200, 404),
          "events", Set.of(200, 404),
          "stream", Set.of(200, 404),
          "delete", Set.of(204, 404));

  @Test
  void requestsRacingADeleteAreAnsweredForWhatTheyFind() throws Exception {
    List<String> fids = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      fids.add(client.launch(RESEARCH, Map.of("topic", "race " + i, "steps", 1, "pause", 0)).fid());
    }
    for (String fid : fids) {
      NodeTestSupport.await(
          "run " + fid + " to finish", () -> client.run(fid).state().finished() ? fid : null);
    }
    List<String> seen = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (String fid : fids) {
        List<String> actions =
            List.of(
                "ack", "share", "kill", "restart", "get", "events", "stream", "delete", "delete");
        CyclicBarrier start = new CyclicBarrier(actions.size());
        List<Future<String>> answers = new ArrayList<>();
        for (String action : actions) {
          answers.add(
              pool.submit(
                  (Callable<String>)
                      () -> {
                        start.await(10, TimeUnit.SECONDS);
                        HttpResponse<String> r = NodeTestSupport.send(request(action, fid));
                        return action + " " + r.statusCode() + " " + r.body();
                      }));
        }
        for (Future<String> f : answers) {
          String answer = f.get(30, TimeUnit.SECONDS);
          String[] parts = answer.split(" ", 3);
          seen.add(parts[0] + " " + parts[1]);
          assertThat(ALLOWED.get(parts[0]))
              .as("run %s: %s", fid, answer)
              .contains(Integer.parseInt(parts[1]));
        }
        assertThat(NodeTestSupport.get(base, "/api/runs/" + fid).statusCode())
            .as("run %s is deleted", fid)
            .isEqualTo(404);
      }
    }
    assertThat(seen).contains("delete 204");
  }

  @Test
  void requestsWhileTheClusterMemberIsGoneAreRefusedFor503() {
    Path data = Path.of("target", "it-data", UUID.randomUUID().toString());
    try (ConfigurableApplicationContext node =
        NodeApplication.start(
            "--server.port=0",
            "--kodo.data=" + data,
            "--kodo.cluster.name=it-" + UUID.randomUUID(),
            "--kodo.cleanup.interval=0s",
            "--kodo.flows=classpath:*")) {
      String url = "http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port");
      String fid =
          NodeClient.connect(url)
              .launch(RESEARCH, Map.of("topic", "before", "steps", 4, "pause", 10_000))
              .fid();
      node.getBean(KodoCluster.class).hazelcast().shutdown(); // as while the node stops
      for (HttpRequest r :
          List.of(
              HttpRequest.newBuilder(URI.create(url + "/api/runs"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"flow\":\"" + RESEARCH + "\",\"inputs\":{\"topic\":\"after\"}}"))
                  .build(),
              HttpRequest.newBuilder(URI.create(url + "/api/runs/" + fid + "/kill"))
                  .header("X-Kodo-Client", "test")
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build())) {
        HttpResponse<String> answer = NodeTestSupport.send(r);
        assertThat(answer.statusCode()).as(r.uri() + ": " + answer.body()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Content-Type").orElse(""))
            .startsWith("application/problem+json");
        assertThat(answer.headers().firstValue("Retry-After")).isPresent();
      }
    }
  }

  private static HttpRequest request(String action, String fid) {
    String run = base + "/api/runs/" + fid;
    HttpRequest.Builder b =
        switch (action) {
          case "ack", "kill", "restart" ->
              HttpRequest.newBuilder(URI.create(run + "/" + action))
                  .POST(HttpRequest.BodyPublishers.noBody());
          case "share" ->
              HttpRequest.newBuilder(URI.create(run + "/share"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"subjects\":[\"user:bob\"],\"level\":\"basic\",\"mode\":\"r\"}"));
          case "events" -> HttpRequest.newBuilder(URI.create(run + "/events")).GET();
          case "stream" -> HttpRequest.newBuilder(URI.create(run + "/stream")).GET();
          case "delete" -> HttpRequest.newBuilder(URI.create(run)).DELETE();
          default -> HttpRequest.newBuilder(URI.create(run)).GET();
        };
    return b.header("X-Kodo-Client", "test").timeout(Duration.ofSeconds(20)).build();
  }
}
