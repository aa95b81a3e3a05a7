package dev.kodo.node.telemetry;

import dev.kodo.cluster.Cluster;
import dev.kodo.engine.FlowCatalog;
import dev.kodo.node.NodeProperties;
import dev.kodo.node.runs.LiveHub;
import dev.kodo.store.EventStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

/**
 * Wires the node's metrics and traces (docs/operations.md). Traces are exported over OTLP only when
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} is set (with {@code OTEL_EXPORTER_OTLP_PROTOCOL} {@code
 * http/protobuf}, the default, or {@code grpc}); a {@link SpanExporter} bean (tests) is used as is;
 * otherwise the node traces nothing and its OpenTelemetry is the no-op one.
 */
@Configuration(proxyBeanMethods = false)
class TelemetryConfig {
  private static final Logger log = LoggerFactory.getLogger(TelemetryConfig.class);

  @Bean
  OpenTelemetry kodoOpenTelemetry(
      Environment env, NodeProperties properties, ObjectProvider<SpanExporter> exporters) {
    SpanExporter given = exporters.getIfAvailable();
    SpanProcessor processor;
    if (given != null) {
      processor = SimpleSpanProcessor.create(given);
    } else {
      String endpoint = env.getProperty("OTEL_EXPORTER_OTLP_ENDPOINT", "").trim();
      if (endpoint.isEmpty()) {
        return OpenTelemetry.noop();
      }
      String protocol =
          env.getProperty("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
              .trim()
              .toLowerCase(Locale.ROOT);
      SpanExporter otlp =
          protocol.equals("grpc")
              ? OtlpGrpcSpanExporter.builder().setEndpoint(endpoint).build()
              : OtlpHttpSpanExporter.builder()
                  .setEndpoint(endpoint.replaceAll("/+$", "") + "/v1/traces")
                  .build();
      log.info("exporting run traces over OTLP ({}) to {}", protocol, endpoint);
      processor = BatchSpanProcessor.builder(otlp).build();
    }
    Resource resource =
        Resource.getDefault()
            .merge(
                Resource.create(
                    Attributes.of(
                        AttributeKey.stringKey("service.name"),
                        env.getProperty("OTEL_SERVICE_NAME", "kodo-node"),
                        AttributeKey.stringKey("service.instance.id"),
                        properties.getNode().getName())));
    SdkTracerProvider tracers =
        SdkTracerProvider.builder().setResource(resource).addSpanProcessor(processor).build();
    return OpenTelemetrySdk.builder()
        .setTracerProvider(tracers)
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
  }

  /**
   * Takes the first snapshot once the node is ready (not while beans are created: it reads the
   * embedded worker), so the first scrape shows every flow's queue and every worker.
   */
  @EventListener(ApplicationReadyEvent.class)
  void kodoMetricsReady(ApplicationReadyEvent ready) {
    ready.getApplicationContext().getBean(NodeTelemetry.class).metrics().current();
  }

  /**
   * Every worker in the cluster ({@code kodo.workers}: the embedded one and stand-alone {@code koco
   * worker} processes, docs/architecture.md#workers-and-dispatch) with its load.
   */
  @Bean
  WorkerLoads clusterWorkerLoads(Cluster cluster) {
    return () ->
        cluster.workers().stream()
            .map(w -> new WorkerLoads.Load(w.id(), w.load(), w.capacity()))
            .toList();
  }

  @Bean
  NodeTelemetry nodeTelemetry(
      MeterRegistry registry,
      EventStore store,
      Cluster cluster,
      FlowCatalog catalog,
      LiveHub hub,
      WorkerLoads workers,
      OpenTelemetry otel) {
    return new NodeTelemetry(
        new NodeMetrics(registry, store, cluster, catalog, hub, workers), new RunTraces(otel));
  }
}
