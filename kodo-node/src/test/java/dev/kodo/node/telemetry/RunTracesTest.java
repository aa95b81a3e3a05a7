package dev.kodo.node.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.EventType;
import dev.kodo.cluster.RunTicket;
import dev.kodo.node.runs.RunObserver;
import dev.kodo.worker.WorkerTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The spans of one run as {@link RunTraces} builds them from its ticket and events
 * (docs/operations.md#traces): tool calls, failed model calls and a fatal end, and no trace at all
 * with the no-op OpenTelemetry.
 */
class RunTracesTest {
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final RunTraces traces =
      new RunTraces(
          OpenTelemetrySdk.builder()
              .setTracerProvider(
                  SdkTracerProvider.builder()
                      .addSpanProcessor(SimpleSpanProcessor.create(spans))
                      .build())
              .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
              .build());

  @Test
  void toolCallsFailedModelCallsAndAFatalEndAreSpansOfTheRunsTrace() {
    RunObserver.Launch launch = traces.launching("demo.Flow");
    assertThat(launch.traceparent()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
    launch.dispatched("fid-1");
    WorkerTelemetry.RunTelemetry run =
        traces.started(
            "w@1",
            new RunTicket(
                "fid-1",
                "demo.Flow",
                "{}",
                "node",
                launch.traceparent(),
                System.currentTimeMillis() - 5));
    run.emitted(EventType.AGENT, "{\"agent\":\"clerk\",\"phase\":\"start\"}");
    run.emitted(
        EventType.TOOL,
        "{\"tool\":\"calculator\",\"agent\":\"clerk\",\"arguments\":{},\"duration_ms\":3}");
    run.emitted(
        EventType.ACTION_ERROR,
        "{\"name\":\"llm\",\"provider\":\"openai\",\"model\":\"gpt-x\",\"agent\":\"clerk\","
            + "\"message\":\"rate limited\",\"attempt\":1}");
    run.emitted(EventType.PROGRESS, "not json: ignored");
    run.emitted(EventType.FATAL, "{\"reason\":\"flow-failed\",\"message\":\"boom\"}");
    run.ended();

    List<SpanData> all = spans.getFinishedSpanItems();
    assertThat(all)
        .extracting(SpanData::getName)
        .containsExactlyInAnyOrder(
            "kodo.launch demo.Flow",
            "kodo.dispatch demo.Flow",
            "execute_tool calculator",
            "chat gpt-x",
            "invoke_agent clerk",
            "kodo.flow demo.Flow");
    assertThat(all).extracting(SpanData::getTraceId).containsOnly(all.getFirst().getTraceId());
    SpanData agent = named(all, "invoke_agent clerk");
    SpanData tool = named(all, "execute_tool calculator");
    assertThat(tool.getParentSpanId()).isEqualTo(agent.getSpanId());
    assertThat(tool.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.name")))
        .isEqualTo("calculator");
    assertThat(tool.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name")))
        .isEqualTo("execute_tool");
    assertThat(tool.getEndEpochNanos() - tool.getStartEpochNanos()).isEqualTo(3_000_000L);
    SpanData chat = named(all, "chat gpt-x");
    assertThat(chat.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(chat.getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name")))
        .isEqualTo("openai");
    assertThat(named(all, "kodo.flow demo.Flow").getStatus().getStatusCode())
        .isEqualTo(StatusCode.ERROR);
  }

  @Test
  void withTheNoopOpenTelemetryTicketsCarryNothingAndNoSpanIsMade() {
    RunTraces off = new RunTraces(OpenTelemetry.noop());
    assertThat(off.launching("demo.Flow").traceparent()).isNull();
    assertThat(off.started("w@1", new RunTicket("f", "demo.Flow", "{}", "node")))
        .isSameAs(WorkerTelemetry.RunTelemetry.NONE);
  }

  private static SpanData named(List<SpanData> all, String name) {
    return all.stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
  }
}
