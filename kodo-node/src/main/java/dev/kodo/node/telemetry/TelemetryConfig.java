package dev.kodo.node.telemetry;

import dev.kodo.cluster.Cluster;
import dev.kodo.engine.FlowCatalog;
import dev.kodo.node.NodeProperties;
import dev.kodo.node.runs.LiveHub;
import dev.kodo.store.EventStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
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
  @Bean
  OpenTelemetry kodoOpenTelemetry(
      Environment env, NodeProperties properties, ObjectProvider<SpanExporter> exporters) {
    SpanExporter given = exporters.getIfAvailable();
    SpanProcessor processor =
        given != null ? SimpleSpanProcessor.create(given) : Otlp.processor(env::getProperty);
    if (processor == null) {
      return Otlp.none();
    }
    return Otlp.sdk(processor, env::getProperty, "kodo-node", properties.getNode().getName());
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
