package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.kodo.cli.workerflows.Pid;
import dev.kodo.client.RunState;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_33_0.Metrics;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A {@code koco worker} process's metrics and traces (docs/operations.md#worker-processes): its
 * {@code /metrics} endpoint, scraped in Prometheus' protobuf format and parsed with the Prometheus
 * client's own classes, counts the runs it executed and guards itself with the scrape token; and
 * with {@code OTEL_EXPORTER_OTLP_ENDPOINT} set it exports the flow spans of those runs to an OTLP
 * receiver of the test's own, beside the node's launch spans.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class WorkerTelemetryIT {
  private static final String PROTOBUF =
      "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited";
  private static final String SCRAPE_TOKEN = "scrape-" + UUID.randomUUID();
  private static final int RUNS = 5;

  private static ScaleOut fleet;
  private static KocoProcess worker;
  private static HttpServer collector;
  private static final List<Export> exports = new CopyOnWriteArrayList<>();
  private static String metrics;
  private static final List<String> fids = new ArrayList<>();

  /** One OTLP/HTTP export request the receiver got. */
  record Export(String path, String contentType, byte[] body) {
    boolean contains(String text) {
      return new String(body, StandardCharsets.ISO_8859_1)
          .contains(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
    }
  }

  @BeforeAll
  static void start() throws Exception {
    collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    collector.createContext(
        "/",
        ex -> {
          try (ex) {
            exports.add(
                new Export(
                    ex.getRequestURI().getPath(),
                    ex.getRequestHeaders().getFirst("Content-Type"),
                    ex.getRequestBody().readAllBytes()));
            ex.sendResponseHeaders(200, -1);
          }
        });
    collector.start();
    Map<String, String> otel =
        Map.of(
            "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + collector.getAddress().getPort());
    fleet = new ScaleOut();
    fleet.startNode(Pid.class.getName(), otel);
    Map<String, String> env = new HashMap<>(otel);
    env.put("KODO_AUTH_SCRAPE_TOKEN", SCRAPE_TOKEN);
    worker =
        fleet.startWorker(
            "watched", Pid.class.getName(), List.of(), env, List.of("--metrics-port", "0"));
    Matcher m = Pattern.compile("metrics at (http://\\S+/metrics)").matcher(worker.output());
    assertThat(m.find()).as(worker.output()).isTrue();
    metrics = m.group(1);
    for (int i = 0; i < RUNS; i++) {
      fids.add(fleet.client.launch(Pid.class.getName(), Map.of("millis", 10)).fid());
    }
    for (String fid : fids) {
      assertThat(fleet.untilFinished(fid, 60).state()).isEqualTo(RunState.DONE);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (fleet != null) fleet.close();
    if (collector != null) collector.stop(0);
  }

  @Test
  void theWorkersScrapeCountsTheRunsItExecuted() throws Exception {
    Map<String, Metrics.MetricFamily> scrape;
    try {
      scrape =
          ScaleOut.await(
              "the worker's metrics to count " + RUNS + " ended runs",
              30,
              () -> {
                Map<String, Metrics.MetricFamily> s = scrape(SCRAPE_TOKEN);
                last.set(s.keySet().toString());
                Metrics.MetricFamily ended = s.get("kodo_worker_runs_ended_total");
                return ended != null && counter(ended, Pid.class.getName()) == RUNS ? s : null;
              });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; the last scrape had " + last.get(), e);
    }
    assertThat(counter(scrape.get("kodo_worker_runs_started_total"), Pid.class.getName()))
        .isEqualTo(RUNS);
    assertThat(scrape.get("kodo_worker_runs_active").getMetric(0).getGauge().getValue()).isZero();
    assertThat(scrape.get("kodo_worker_runs_capacity").getMetric(0).getGauge().getValue())
        .isEqualTo(8);
    assertThat(scrape.get("kodo_worker_events_emitted_total").getMetric(0).getCounter().getValue())
        .isGreaterThanOrEqualTo(RUNS);
    assertThat(
            scrape
                .get("kodo_dispatch_latency_seconds")
                .getMetric(0)
                .getHistogram()
                .getSampleCount())
        .isEqualTo(RUNS);
    assertThat(scrape).containsKey("jvm_memory_used_bytes");
  }

  @Test
  void theWorkersMetricsWantTheScrapeToken() throws Exception {
    assertThat(fetch(null).statusCode()).isEqualTo(401);
    assertThat(fetch("not-" + SCRAPE_TOKEN).statusCode()).isEqualTo(401);
    HttpResponse<byte[]> text = fetch(SCRAPE_TOKEN, "text/plain", "GET");
    assertThat(text.statusCode()).isEqualTo(200);
    assertThat(new String(text.body(), StandardCharsets.UTF_8))
        .contains("kodo_worker_runs_started_total{flow=\"" + Pid.class.getName() + "\"}");
    HttpResponse<byte[]> post = fetch(SCRAPE_TOKEN, "text/plain", "POST");
    assertThat(post.statusCode()).isEqualTo(405);
  }

  @Test
  void theWorkerExportsTheFlowSpansOfItsRunsBesideTheNodesLaunchSpans() throws Exception {
    ScaleOut.await(
        "the worker's flow spans of every run at the OTLP receiver",
        30,
        () -> {
          for (String fid : fids) {
            boolean found =
                exports.stream()
                    .anyMatch(
                        e ->
                            e.contains("kodo-worker")
                                && e.contains("kodo.flow " + Pid.class.getName())
                                && e.contains(fid));
            if (!found) return null;
          }
          return true;
        });
    ScaleOut.await(
        "the node's launch spans at the OTLP receiver",
        30,
        () ->
            exports.stream().anyMatch(e -> e.contains("kodo-node") && e.contains("kodo.launch"))
                ? true
                : null);
    assertThat(exports)
        .allSatisfy(
            e -> {
              assertThat(e.path()).isEqualTo("/v1/traces");
              assertThat(e.contentType()).isEqualTo("application/x-protobuf");
            });
  }

  private static final java.util.concurrent.atomic.AtomicReference<String> last =
      new java.util.concurrent.atomic.AtomicReference<>();

  private static long counter(Metrics.MetricFamily family, String flow) {
    if (family == null) return -1;
    for (Metrics.Metric metric : family.getMetricList()) {
      for (Metrics.LabelPair label : metric.getLabelList()) {
        if (label.getName().equals("flow") && label.getValue().equals(flow)) {
          return (long) metric.getCounter().getValue();
        }
      }
    }
    return -1;
  }

  private static Map<String, Metrics.MetricFamily> scrape(String token) {
    HttpResponse<byte[]> r = fetch(token, PROTOBUF, "GET");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/vnd.google.protobuf");
    Map<String, Metrics.MetricFamily> families = new HashMap<>();
    try (InputStream in = new ByteArrayInputStream(r.body())) {
      Metrics.MetricFamily f;
      while ((f = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
        families.put(f.getName(), f);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return families;
  }

  private static HttpResponse<byte[]> fetch(String token) {
    return fetch(token, PROTOBUF, "GET");
  }

  private static HttpResponse<byte[]> fetch(String token, String accept, String method) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(metrics))
            .timeout(Duration.ofSeconds(20))
            .header("Accept", accept)
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) b.header("Authorization", "Bearer " + token);
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
