package dev.kodo.node;

import static dev.kodo.node.NodeTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.NodeClient;
import dev.kodo.client.RunState;
import dev.kodo.registry.RegistryApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The node's Prometheus endpoint (docs/operations.md#metrics), scraped in Prometheus' protobuf
 * format and parsed by the Prometheus client's parser: every {@code kodo_*} metric is there, and
 * launches, events, dispatch latency, store writes, runs by state and SSE subscribers move with
 * real runs; every metric the Grafana dashboard (docs/grafana/kodo.json) queries is in the scrape.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PrometheusScrapeIT {
  static final String FLOW = "dev.kodo.examples.ResearchSteps";
  static final List<String> METRICS =
      List.of(
          "kodo_runs",
          "kodo_launches_total",
          "kodo_events_persisted_total",
          "kodo_dispatch_latency_seconds",
          "kodo_queue_depth",
          "kodo_cluster_queued_runs",
          "kodo_workers",
          "kodo_worker_active",
          "kodo_worker_capacity",
          "kodo_store_write_seconds",
          "kodo_sse_subscribers");

  static ConfigurableApplicationContext node;
  static ConfigurableApplicationContext registry;
  static String base;
  static String registryBase;

  @BeforeAll
  static void start() {
    node =
        NodeApplication.start(
            "--server.port=0",
            "--kodo.auth.enabled=false",
            "--kodo.data=" + Path.of("target", "it-data", UUID.randomUUID().toString()),
            "--kodo.cluster.name=it-" + UUID.randomUUID(),
            "--kodo.flows=" + FLOW);
    base = "http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port");
    registry =
        RegistryApplication.start(
            "--server.port=0",
            "--kodo.auth.enabled=false",
            "--kodo.registry.data=" + Path.of("target", "it-data", UUID.randomUUID().toString()));
    registryBase = "http://127.0.0.1:" + registry.getEnvironment().getProperty("local.server.port");
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
    if (registry != null) registry.close();
  }

  @Test
  void everyKodoMetricIsScrapedAndMovesWithRuns() throws Exception {
    Scrape before = Scrape.of(base, null);
    for (String m : METRICS) {
      before.family(m);
    }
    assertThat(before.value("kodo_workers")).isEqualTo(1.0);
    assertThat(before.value("kodo_queue_depth", Map.of("flow", FLOW))).isEqualTo(0.0);
    assertThat(before.value("kodo_worker_capacity")).isPositive();
    assertThat(before.families().keySet())
        .as("the runs gauge has one series per state")
        .isNotEmpty();
    for (RunState s : RunState.values()) {
      before.value("kodo_runs", Map.of("state", s.wire()));
    }

    NodeClient client = NodeClient.connect(base);
    int runs = 5;
    List<String> fids = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      fids.add(client.launch(FLOW, Map.of("topic", "metrics", "steps", 2, "pause", 0)).fid());
    }
    for (String fid : fids) {
      client.stream(fid, 0, e -> {});
    }

    Scrape after =
        await(
            "the done runs to show",
            () -> {
              Scrape s = Scrape.of(base, null);
              return s.value("kodo_runs", Map.of("state", "done"))
                      >= before.value("kodo_runs", Map.of("state", "done")) + runs
                  ? s
                  : null;
            });
    assertThat(after.value("kodo_launches_total", Map.of("flow", FLOW))).isEqualTo(runs);
    assertThat(after.value("kodo_events_persisted_total"))
        .isGreaterThanOrEqualTo(before.value("kodo_events_persisted_total") + runs * 5);
    assertThat(after.value("kodo_dispatch_latency_seconds"))
        .as("one dispatch latency per run")
        .isEqualTo(before.value("kodo_dispatch_latency_seconds") + runs);
    assertThat(after.value("kodo_store_write_seconds"))
        .isGreaterThan(before.value("kodo_store_write_seconds"));
    assertThat(after.families().keySet())
        .as("each request observed once, not once per security filter (docs/decisions.md)")
        .anyMatch(family -> family.startsWith("http_server_requests"))
        .noneMatch(family -> family.startsWith("spring_security"));

    // An open SSE stream of a run that takes a while is a subscriber while it lasts.
    String slow = client.launch(FLOW, Map.of("topic", "slow", "steps", 3, "pause", 1500)).fid();
    try (HttpClient http = HttpClient.newHttpClient()) {
      CompletableFuture<HttpResponse<Void>> stream =
          http.sendAsync(
              HttpRequest.newBuilder(URI.create(base + "/api/runs/" + slow + "/stream"))
                  .header("Accept", "text/event-stream")
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      await(
          "the SSE subscriber to show",
          () -> Scrape.of(base, null).value("kodo_sse_subscribers") >= 1 ? true : null);
      stream.cancel(true);
    }
  }

  @Test
  void everyMetricTheDashboardQueriesIsScraped() throws Exception {
    JsonNode dashboard =
        JsonMapper.builder()
            .build()
            .readTree(Files.readString(Path.of("../docs/grafana/kodo.json")));
    Set<String> used = new TreeSet<>();
    Pattern metric = Pattern.compile("\\bkodo_[a-z_]+");
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        Matcher m = metric.matcher(target.path("expr").asString());
        while (m.find()) used.add(m.group());
      }
    }
    assertThat(used).as("the dashboard queries kodo metrics").hasSizeGreaterThanOrEqualTo(10);
    Scrape scrape = Scrape.of(base, null);
    Scrape registryScrape = Scrape.of(registryBase, null);
    for (String name : used) {
      Scrape from = name.startsWith("kodo_registry_") ? registryScrape : scrape;
      assertThat(from.serves(name))
          .as("dashboard metric %s is in the scrape %s", name, from.families().keySet())
          .isTrue();
    }
  }
}
