package dev.kodo.node.telemetry;

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
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that reads the OTLP settings (docs/operations.md#traces), for nodes and {@code koco
 * worker} processes alike: {@code OTEL_EXPORTER_OTLP_ENDPOINT} (none: no export, the no-op
 * OpenTelemetry), {@code OTEL_EXPORTER_OTLP_PROTOCOL} ({@code http/protobuf}, the default, or
 * {@code grpc}) and {@code OTEL_SERVICE_NAME}.
 */
final class Otlp {
  private static final Logger log = LoggerFactory.getLogger(Otlp.class);

  private Otlp() {}

  /**
   * The exporter the settings ask for, batched; null when {@code OTEL_EXPORTER_OTLP_ENDPOINT} is
   * not set. {@code env} reads a setting (null or empty: not set).
   */
  static SpanProcessor processor(UnaryOperator<String> env) {
    String endpoint = value(env, "OTEL_EXPORTER_OTLP_ENDPOINT", "");
    if (endpoint.isEmpty()) {
      return null;
    }
    String protocol =
        value(env, "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf").toLowerCase(Locale.ROOT);
    SpanExporter otlp =
        protocol.equals("grpc")
            ? OtlpGrpcSpanExporter.builder().setEndpoint(endpoint).build()
            : OtlpHttpSpanExporter.builder()
                .setEndpoint(endpoint.replaceAll("/+$", "") + "/v1/traces")
                .build();
    log.info("exporting run traces over OTLP ({}) to {}", protocol, endpoint);
    return BatchSpanProcessor.builder(otlp).build();
  }

  /**
   * An OpenTelemetry with W3C trace-context propagation whose spans go to {@code processor}, as
   * service {@code OTEL_SERVICE_NAME} (else {@code defaultService}) instance {@code instance}.
   */
  static OpenTelemetrySdk sdk(
      SpanProcessor processor, UnaryOperator<String> env, String defaultService, String instance) {
    Resource resource =
        Resource.getDefault()
            .merge(
                Resource.create(
                    Attributes.of(
                        AttributeKey.stringKey("service.name"),
                        value(env, "OTEL_SERVICE_NAME", defaultService),
                        AttributeKey.stringKey("service.instance.id"),
                        instance)));
    SdkTracerProvider tracers =
        SdkTracerProvider.builder().setResource(resource).addSpanProcessor(processor).build();
    return OpenTelemetrySdk.builder()
        .setTracerProvider(tracers)
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
  }

  /** The no-op OpenTelemetry, for a process that exports nothing. */
  static OpenTelemetry none() {
    return OpenTelemetry.noop();
  }

  private static String value(UnaryOperator<String> env, String name, String otherwise) {
    String v = env.apply(name);
    return v == null || v.isBlank() ? otherwise : v.trim();
  }
}
