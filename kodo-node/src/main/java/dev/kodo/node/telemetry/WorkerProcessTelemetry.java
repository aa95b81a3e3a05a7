package dev.kodo.node.telemetry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kodo.client.EventType;
import dev.kodo.cluster.RunTicket;
import dev.kodo.worker.WorkerTelemetry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * The metrics and traces of a {@code koco worker} process (docs/operations.md#worker-processes):
 * what a node's telemetry records for its embedded worker, for a worker in a process of its own.
 *
 * <ul>
 *   <li><b>Traces</b>: with {@code OTEL_EXPORTER_OTLP_ENDPOINT} set, the {@code kodo.dispatch},
 *       {@code kodo.flow} and agent, model and tool spans of every run the worker executes, as
 *       children of the launch span whose {@code traceparent} the run's ticket carries ({@link
 *       RunTraces}, the same code a node runs), exported as service {@code kodo-worker}.
 *   <li><b>Metrics</b>: with a metrics port, {@code GET /metrics} in the Prometheus formats: runs
 *       started and ended per flow, runs active and the capacity, events emitted, the dispatch
 *       latency (under the node's name, {@code kodo_dispatch_latency_seconds}, so one dashboard
 *       panel covers embedded and remote workers) and the JVM's memory, threads, GC and CPU. With a
 *       scrape token, only a request showing it ({@code Authorization: Bearer}, compared in
 *       constant time) is answered.
 * </ul>
 *
 * Every hook is quick, never blocks and never throws into the worker. Thread-safe. {@link #close}
 * stops the endpoint and flushes the spans not yet exported.
 */
public final class WorkerProcessTelemetry implements WorkerTelemetry, AutoCloseable {
  /** The path the metrics are served at. */
  public static final String PATH = "/metrics";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ExpositionFormats formats = ExpositionFormats.init();
  private final AtomicInteger active = new AtomicInteger();
  private final Counter events;
  private final Timer dispatchLatency;
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final OpenTelemetry otel;
  private final RunTraces traces;
  private final byte[] token;
  private final HttpServer server;

  private WorkerProcessTelemetry(
      String worker, int capacity, Endpoint endpoint, UnaryOperator<String> env)
      throws IOException {
    SpanProcessor processor = Otlp.processor(env);
    this.otel = processor == null ? Otlp.none() : Otlp.sdk(processor, env, "kodo-worker", worker);
    this.traces = new RunTraces(otel);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    gc.bindTo(registry);
    Gauge.builder("kodo.worker.runs.active", active, AtomicInteger::get)
        .description("Runs this worker executes now")
        .register(registry);
    Gauge.builder("kodo.worker.runs.capacity", () -> capacity)
        .description("Runs this worker may execute at once")
        .register(registry);
    this.events =
        Counter.builder("kodo.worker.events.emitted")
            .description("Events the runs on this worker emitted (sent to their nodes)")
            .register(registry);
    this.dispatchLatency = NodeMetrics.dispatchLatency(registry);
    if (endpoint == null) {
      this.token = null;
      this.server = null;
    } else {
      this.token =
          endpoint.token() == null || endpoint.token().isBlank()
              ? null
              : endpoint.token().trim().getBytes(StandardCharsets.UTF_8);
      this.server = HttpServer.create(new InetSocketAddress(endpoint.host(), endpoint.port()), 16);
      // Scrapes are answered on the server's own thread: small, in memory, one at a time, so
      // there is no queue of scrapes to bound.
      server.createContext(PATH, this::scrape);
      server.start();
    }
  }

  /** Where the metrics are served: an address, a port (0: any free one) and the scrape token. */
  public record Endpoint(String host, int port, String token) {
    @Override
    public String toString() {
      return "Endpoint[" + host + ":" + port + (token == null ? "" : ", token set") + "]";
    }
  }

  /**
   * The telemetry of the worker {@code worker} of {@code capacity}: traces as the OTLP variables of
   * {@code env} say, metrics on {@code endpoint} (null: none served).
   *
   * @throws IOException when the endpoint's address cannot be bound (in use, not this machine's)
   */
  public static WorkerProcessTelemetry start(
      String worker, int capacity, Endpoint endpoint, Map<String, String> env) throws IOException {
    return new WorkerProcessTelemetry(worker, capacity, endpoint, env::get);
  }

  /** Where the metrics are served, e.g. {@code http://127.0.0.1:9464/metrics}; null if nowhere. */
  public String url() {
    if (server == null) return null;
    InetSocketAddress a = server.getAddress();
    String host = a.getAddress().getHostAddress();
    if (host.contains(":")) host = "[" + host + "]";
    return "http://" + host + ":" + a.getPort() + PATH;
  }

  /** Whether spans are exported (OTLP configured). */
  public boolean tracing() {
    return otel instanceof OpenTelemetrySdk;
  }

  @Override
  public RunTelemetry started(String worker, RunTicket ticket) {
    active.incrementAndGet();
    Counter.builder("kodo.worker.runs.started")
        .description("Runs this worker took, per flow")
        .tag("flow", ticket.flow())
        .register(registry)
        .increment();
    if (ticket.dispatchedAt() > 0) {
      dispatchLatency.record(
          Math.max(0, System.currentTimeMillis() - ticket.dispatchedAt()), TimeUnit.MILLISECONDS);
    }
    RunTelemetry spans;
    try {
      spans = traces.started(worker, ticket);
    } catch (RuntimeException e) {
      spans = RunTelemetry.NONE;
    }
    RunTelemetry traced = spans;
    return new RunTelemetry() {
      @Override
      public void emitted(EventType type, String data) {
        events.increment();
        traced.emitted(type, data);
      }

      @Override
      public void ended() {
        active.decrementAndGet();
        Counter.builder("kodo.worker.runs.ended")
            .description("Runs that ended on this worker, per flow")
            .tag("flow", ticket.flow())
            .register(registry)
            .increment();
        traced.ended();
      }
    };
  }

  private void scrape(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())
          && !"HEAD".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        answer(exchange, 405, "only GET and HEAD are served here\n");
        return;
      }
      if (token != null && !authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        answer(exchange, 401, "this endpoint needs the scrape token (Authorization: Bearer …)\n");
        return;
      }
      ExpositionFormatWriter writer =
          formats.findWriter(exchange.getRequestHeaders().getFirst("Accept"));
      ByteArrayOutputStream body = new ByteArrayOutputStream(16_384);
      writer.write(body, registry.getPrometheusRegistry().scrape());
      exchange.getResponseHeaders().set("Content-Type", writer.getContentType());
      boolean head = "HEAD".equals(exchange.getRequestMethod());
      exchange.sendResponseHeaders(200, head ? -1 : body.size());
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          body.writeTo(out);
        }
      }
    }
  }

  private boolean authorized(String header) {
    if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, token);
  }

  private static void answer(HttpExchange exchange, int status, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** Stops serving metrics and exports the spans still buffered (waiting 5 s at most). */
  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
    }
    gc.close();
    if (otel instanceof OpenTelemetrySdk sdk) {
      sdk.getSdkTracerProvider().forceFlush().join(5, TimeUnit.SECONDS);
      sdk.getSdkTracerProvider().shutdown().join(5, TimeUnit.SECONDS);
    }
    registry.close();
  }
}
