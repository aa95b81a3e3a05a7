package dev.kodo.node;

import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_33_0.Metrics;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One scrape of {@code /api/actuator/prometheus} in Prometheus' protobuf exposition format, parsed
 * with the Prometheus Java client's generated protobuf classes (the parser Prometheus servers use
 * for this format): metric families by name.
 */
record Scrape(Map<String, Metrics.MetricFamily> families) {
  static final String PROTOBUF =
      "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited";

  static HttpResponse<byte[]> fetch(String base, String token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + "/api/actuator/prometheus"))
            .timeout(Duration.ofSeconds(30))
            .header("Accept", PROTOBUF);
    if (token != null) b.header("Authorization", "Bearer " + token);
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Scrape of(String base, String token) {
    HttpResponse<byte[]> r = fetch(base, token);
    if (r.statusCode() != 200) {
      throw new AssertionError("scrape answered " + r.statusCode() + ": " + new String(r.body()));
    }
    String type = r.headers().firstValue("Content-Type").orElse("");
    if (!type.startsWith("application/vnd.google.protobuf")) {
      throw new AssertionError("scrape did not answer protobuf but " + type);
    }
    return parse(r.body());
  }

  static Scrape parse(byte[] body) {
    Map<String, Metrics.MetricFamily> families = new LinkedHashMap<>();
    try (InputStream in = new ByteArrayInputStream(body)) {
      Metrics.MetricFamily f;
      while ((f = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
        families.put(f.getName(), f);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return new Scrape(families);
  }

  Metrics.MetricFamily family(String name) {
    Metrics.MetricFamily f = families.get(name);
    if (f == null && name.endsWith("_total")) {
      // the protobuf format names a counter's family without the suffix the text format adds
      f = families.get(name.substring(0, name.length() - "_total".length()));
    }
    if (f == null) {
      throw new AssertionError("no metric " + name + " in the scrape; it has " + families.keySet());
    }
    return f;
  }

  /** Whether {@code name} as a dashboard writes it (with a _total/_bucket/… suffix) is here. */
  boolean serves(String name) {
    if (families.containsKey(name)) return true;
    for (String suffix : new String[] {"_bucket", "_count", "_sum", "_max", "_total"}) {
      if (name.endsWith(suffix)) {
        String base = name.substring(0, name.length() - suffix.length());
        if (families.containsKey(base) || families.containsKey(base + "_total")) return true;
      }
    }
    return false;
  }

  /** The value of the one sample of {@code name} whose labels include {@code labels}. */
  double value(String name, Map<String, String> labels) {
    double sum = 0;
    boolean found = false;
    for (Metrics.Metric m : family(name).getMetricList()) {
      Map<String, String> have = new LinkedHashMap<>();
      for (Metrics.LabelPair p : m.getLabelList()) have.put(p.getName(), p.getValue());
      if (!have.entrySet().containsAll(labels.entrySet())) continue;
      found = true;
      if (m.hasCounter()) sum += m.getCounter().getValue();
      else if (m.hasGauge()) sum += m.getGauge().getValue();
      else if (m.hasHistogram()) sum += m.getHistogram().getSampleCount();
      else if (m.hasSummary()) sum += m.getSummary().getSampleCount();
      else if (m.hasUntyped()) sum += m.getUntyped().getValue();
    }
    if (!found) throw new AssertionError("no sample of " + name + " with " + labels);
    return sum;
  }

  double value(String name) {
    return value(name, Map.of());
  }
}
