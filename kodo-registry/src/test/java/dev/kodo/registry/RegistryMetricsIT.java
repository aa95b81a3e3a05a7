package dev.kodo.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_33_0.Metrics;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The registry's Prometheus endpoint (docs/operations.md#metrics), parsed by the Prometheus
 * client's protobuf parser: nodes and nodes online, heartbeats by outcome and searches move as a
 * node registers, connects, beats, is searched for and disconnects.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RegistryMetricsIT {

  @Test
  void nodesHeartbeatsAndSearchesAreScrapedAndMove() throws Exception {
    try (RegistryTestServer r = RegistryTestServer.start("metrics")) {
      Map<String, Double> before = scrape(r);
      assertThat(before)
          .containsKeys(
              "kodo_registry_nodes",
              "kodo_registry_nodes_online",
              "kodo_registry_flows",
              "kodo_registry_heartbeats{outcome=accepted}",
              "kodo_registry_heartbeats{outcome=refused}",
              "kodo_registry_searches");
      assertThat(before.get("kodo_registry_nodes")).isZero();

      assertThat(r.send("POST", "/registry/register", "{\"node\":\"n1\"}").statusCode())
          .isEqualTo(201);
      HttpResponse<String> c =
          r.send(
              "POST",
              "/registry/connect",
              "{\"node\":\"n1\",\"url\":\"http://127.0.0.1:9\",\"flows\":[{\"path\":\"a.B\","
                  + "\"name\":\"B\",\"release\":\"1.0.0\",\"tags\":[\"t\"]}]}");
      assertThat(c.statusCode()).as(c.body()).isEqualTo(200);
      assertThat(r.send("PUT", "/registry/state", "{\"node\":\"n1\"}").statusCode()).isEqualTo(200);
      assertThat(r.get("/registry/flows?search=B").statusCode()).isEqualTo(200);
      assertThat(r.get("/registry/flows").statusCode()).isEqualTo(200);

      Thread.sleep(1_100); // the gauges read the index's counts at most once a second
      Map<String, Double> after = scrape(r);
      assertThat(after.get("kodo_registry_nodes")).isEqualTo(1.0);
      assertThat(after.get("kodo_registry_nodes_online")).isEqualTo(1.0);
      assertThat(after.get("kodo_registry_flows")).isEqualTo(1.0);
      assertThat(after.get("kodo_registry_heartbeats{outcome=accepted}"))
          .isEqualTo(before.get("kodo_registry_heartbeats{outcome=accepted}") + 1);
      assertThat(after.get("kodo_registry_searches"))
          .isEqualTo(before.get("kodo_registry_searches") + 2);

      assertThat(r.send("POST", "/registry/disconnect", "{\"node\":\"n1\"}").statusCode())
          .isEqualTo(200);
      assertThat(r.send("PUT", "/registry/state", "{\"node\":\"n1\"}").statusCode()).isEqualTo(409);
      assertThat(scrape(r).get("kodo_registry_heartbeats{outcome=refused}"))
          .isEqualTo(before.get("kodo_registry_heartbeats{outcome=refused}") + 1);
    }
  }

  /** Every sample as {@code name{label=value,…}} → value (counters under their family's name). */
  private static Map<String, Double> scrape(RegistryTestServer r) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(r.base + "/api/actuator/prometheus"))
            .header(
                "Accept",
                "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
                    + "encoding=delimited")
            .build();
    HttpResponse<byte[]> response;
    try (HttpClient http = HttpClient.newHttpClient()) {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }
    assertThat(response.statusCode()).isEqualTo(200);
    Map<String, Double> samples = new HashMap<>();
    try (InputStream in = new ByteArrayInputStream(response.body())) {
      Metrics.MetricFamily f;
      while ((f = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
        String name = f.getName().replaceAll("_total$", "");
        for (Metrics.Metric m : f.getMetricList()) {
          StringBuilder key = new StringBuilder(name);
          if (m.getLabelCount() > 0) {
            key.append('{');
            for (int i = 0; i < m.getLabelCount(); i++) {
              if (i > 0) key.append(',');
              key.append(m.getLabel(i).getName()).append('=').append(m.getLabel(i).getValue());
            }
            key.append('}');
          }
          double v =
              m.hasCounter()
                  ? m.getCounter().getValue()
                  : m.hasGauge() ? m.getGauge().getValue() : m.getUntyped().getValue();
          samples.put(key.toString(), v);
        }
      }
    }
    return samples;
  }
}
