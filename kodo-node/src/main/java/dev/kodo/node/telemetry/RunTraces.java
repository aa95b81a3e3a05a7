package dev.kodo.node.telemetry;

import dev.kodo.client.EventType;
import dev.kodo.client.Json;
import dev.kodo.cluster.RunTicket;
import dev.kodo.node.runs.RunObserver;
import dev.kodo.worker.WorkerTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * Each run as one OpenTelemetry trace (docs/operations.md#traces): a {@code kodo.launch} span on
 * the node that accepts the run, whose W3C {@code traceparent} the run's ticket carries through the
 * cluster; on the worker a {@code kodo.dispatch} span (from the dispatch time in the ticket to the
 * moment the worker took it) and a {@code kodo.flow} span while the flow runs; under it, from the
 * events the run emits, {@code invoke_agent}, {@code chat} and {@code execute_tool} spans with the
 * GenAI semantic-convention attributes ({@code gen_ai.*}). With the no-op {@link OpenTelemetry} (no
 * exporter configured) every span is a no-op and tickets carry no traceparent. Thread-safe.
 */
final class RunTraces {
  static final AttributeKey<String> FLOW = AttributeKey.stringKey("kodo.flow");
  static final AttributeKey<String> FID = AttributeKey.stringKey("kodo.fid");
  static final AttributeKey<String> WORKER = AttributeKey.stringKey("kodo.worker");
  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("gen_ai.system");
  static final AttributeKey<String> AGENT = AttributeKey.stringKey("gen_ai.agent.name");
  static final AttributeKey<String> TOOL = AttributeKey.stringKey("gen_ai.tool.name");
  static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> OUTPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<String> FINISH_REASONS =
      AttributeKey.stringKey("gen_ai.response.finish_reasons");

  @SuppressWarnings("deprecation") // keys() is still abstract in the API this builds against
  private static final TextMapGetter<Map<String, String>> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  private final OpenTelemetry otel;
  private final Tracer tracer;

  RunTraces(OpenTelemetry otel) {
    this.otel = otel;
    this.tracer = otel.getTracer("dev.kodo.node");
  }

  /** The launch of a run of {@code flow}: its root span, ended when the run is dispatched. */
  RunObserver.Launch launching(String flow) {
    Span span =
        tracer
            .spanBuilder("kodo.launch " + flow)
            .setNoParent()
            .setSpanKind(SpanKind.SERVER)
            .setAttribute(FLOW, flow)
            .startSpan();
    if (!span.getSpanContext().isValid()) {
      return RunObserver.Launch.NONE;
    }
    Map<String, String> carrier = new HashMap<>();
    otel.getPropagators()
        .getTextMapPropagator()
        .inject(Context.root().with(span), carrier, Map::put);
    String traceparent = carrier.get("traceparent");
    return new RunObserver.Launch() {
      @Override
      public String traceparent() {
        return traceparent;
      }

      @Override
      public void dispatched(String fid) {
        span.setAttribute(FID, fid);
        span.end();
      }

      @Override
      public void failed(Throwable error) {
        span.setStatus(StatusCode.ERROR, error.getClass().getSimpleName());
        span.end();
      }
    };
  }

  /** The spans of a run a worker took; no-ops when the ticket carries no trace context. */
  WorkerTelemetry.RunTelemetry started(String worker, RunTicket ticket) {
    if (ticket.traceparent() == null) {
      return WorkerTelemetry.RunTelemetry.NONE;
    }
    Context parent =
        otel.getPropagators()
            .getTextMapPropagator()
            .extract(Context.root(), Map.of("traceparent", ticket.traceparent()), GETTER);
    if (!Span.fromContext(parent).getSpanContext().isValid()) {
      return WorkerTelemetry.RunTelemetry.NONE;
    }
    Instant now = Instant.now();
    if (ticket.dispatchedAt() > 0) {
      tracer
          .spanBuilder("kodo.dispatch " + ticket.flow())
          .setParent(parent)
          .setAttribute(FID, ticket.fid())
          .setAttribute(FLOW, ticket.flow())
          .setAttribute(WORKER, worker)
          .setStartTimestamp(ticket.dispatchedAt(), TimeUnit.MILLISECONDS)
          .startSpan()
          .end(now);
    }
    Span flow =
        tracer
            .spanBuilder("kodo.flow " + ticket.flow())
            .setParent(parent)
            .setAttribute(FID, ticket.fid())
            .setAttribute(FLOW, ticket.flow())
            .setAttribute(WORKER, worker)
            .setStartTimestamp(now)
            .startSpan();
    return new FlowSpans(flow);
  }

  /** The flow span of one run and the agent spans open under it. */
  private final class FlowSpans implements WorkerTelemetry.RunTelemetry {
    private final Span flow;
    private final Map<String, Span> agents = new HashMap<>();
    private final java.util.ArrayDeque<Span> open = new java.util.ArrayDeque<>();

    FlowSpans(Span flow) {
      this.flow = flow;
    }

    @Override
    public synchronized void emitted(EventType type, String data) {
      try {
        switch (type) {
          case AGENT -> agent(Json.read(data));
          case ACTION -> modelCall(Json.read(data), null);
          case ACTION_ERROR -> {
            JsonNode d = Json.read(data);
            modelCall(d, text(d, "message"));
          }
          case TOOL -> tool(Json.read(data));
          case FATAL -> flow.setStatus(StatusCode.ERROR, "fatal");
          default -> {}
        }
      } catch (RuntimeException e) {
        // an event the spans cannot read is left out of the trace; the run goes on
      }
    }

    @Override
    public synchronized void ended() {
      for (Span agent : List.copyOf(agents.values())) {
        agent.end();
      }
      agents.clear();
      open.clear();
      flow.end();
    }

    private void agent(JsonNode d) {
      String name = text(d, "agent");
      if (name == null) return;
      if ("start".equals(text(d, "phase"))) {
        // an agent started while another is open runs inside it (a sequence's sub-agents)
        Span outer = open.isEmpty() ? flow : open.peekLast();
        Span span =
            tracer
                .spanBuilder("invoke_agent " + name)
                .setParent(Context.root().with(outer))
                .setAttribute(OPERATION, "invoke_agent")
                .setAttribute(AGENT, name)
                .startSpan();
        Span previous = agents.put(name, span);
        if (previous != null) {
          open.remove(previous);
          previous.end();
        }
        open.addLast(span);
      } else {
        Span span = agents.remove(name);
        if (span != null) {
          open.remove(span);
          span.end();
        }
      }
    }

    private void modelCall(JsonNode d, String error) {
      String model = text(d, "model");
      Instant end = Instant.now();
      long latency = d.path("latency_ms").asLong(0);
      var b =
          tracer
              .spanBuilder("chat" + (model == null ? "" : " " + model))
              .setParent(parentFor(text(d, "agent")))
              .setSpanKind(SpanKind.CLIENT)
              .setStartTimestamp(end.minus(latency, ChronoUnit.MILLIS))
              .setAttribute(OPERATION, "chat");
      if (model != null) b.setAttribute(MODEL, model);
      String provider = text(d, "provider");
      if (provider != null) {
        b.setAttribute(PROVIDER, provider);
        b.setAttribute(SYSTEM, provider);
      }
      String agent = text(d, "agent");
      if (agent != null) b.setAttribute(AGENT, agent);
      if (d.has("input_tokens")) b.setAttribute(INPUT_TOKENS, d.get("input_tokens").asLong());
      if (d.has("output_tokens")) b.setAttribute(OUTPUT_TOKENS, d.get("output_tokens").asLong());
      String finish = text(d, "finish_reason");
      if (finish != null) b.setAttribute(FINISH_REASONS, finish);
      Span span = b.startSpan();
      if (error != null) span.setStatus(StatusCode.ERROR, error);
      span.end(end);
    }

    private void tool(JsonNode d) {
      String name = text(d, "tool");
      if (name == null) return;
      Instant end = Instant.now();
      long duration = d.path("duration_ms").asLong(0);
      Span span =
          tracer
              .spanBuilder("execute_tool " + name)
              .setParent(parentFor(text(d, "agent")))
              .setStartTimestamp(end.minus(duration, ChronoUnit.MILLIS))
              .setAttribute(OPERATION, "execute_tool")
              .setAttribute(TOOL, name)
              .startSpan();
      String error = text(d, "error");
      if (error != null) span.setStatus(StatusCode.ERROR, error);
      span.end(end);
    }

    private Context parentFor(String agent) {
      Span open = agent == null ? null : agents.get(agent);
      return Context.root().with(open != null ? open : flow);
    }
  }

  private static String text(JsonNode d, String field) {
    JsonNode v = d.get(field);
    return v == null || v.isNull() ? null : v.asString();
  }
}
