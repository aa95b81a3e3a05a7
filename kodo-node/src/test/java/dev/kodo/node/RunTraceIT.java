package dev.kodo.node;

import static dev.kodo.node.NodeTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.NodeClient;
import dev.kodo.client.RunState;
import dev.kodo.testing.ModelReply;
import dev.kodo.testing.ModelStep;
import dev.kodo.testing.ScriptedModelServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Each run is one OpenTelemetry trace (docs/operations.md#traces): launch → dispatch → flow, with
 * the agent and model calls of an agentic example (answered by the scripted model server the agent
 * tests use) as child spans carrying the GenAI semantic-convention attributes.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RunTraceIT {
  static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
  static final String FLOW = "dev.kodo.examples.AgenticResearch";

  /** The test's span exporter, in place of OTLP. */
  @Configuration(proxyBeanMethods = false)
  static class Spans {
    @Bean
    SpanExporter inMemorySpans() {
      return SPANS;
    }
  }

  @Test
  void aRunIsOneTraceWithLaunchDispatchFlowAndGenAiSpans() throws Exception {
    try (ScriptedModelServer models = ScriptedModelServer.start()) {
      models.expect(
          ModelStep.containing("verifiable facts about tides")
              .reply(ModelReply.text("1. The moon pulls.\n2. Two highs a day.").usage(40, 12)));
      models.expect(
          ModelStep.containing("1. The moon pulls.")
              .reply(ModelReply.text("# Tides\n\nThe moon pulls the sea.").usage(60, 30)));
      try (ConfigurableApplicationContext node =
          NodeApplication.start(
              new Class<?>[] {Spans.class},
              "--server.port=0",
              "--kodo.auth.enabled=false",
              "--kodo.data=" + Path.of("target", "it-data", UUID.randomUUID().toString()),
              "--kodo.cluster.name=it-" + UUID.randomUUID(),
              "--kodo.flows=" + FLOW,
              "--kodo.secrets.OPENAI_BASE_URL=" + models.baseUrl(),
              "--kodo.secrets.OPENAI_API_KEY=sk-offline")) {
        String base = "http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port");
        NodeClient client = NodeClient.connect(base);
        String fid = client.launch(FLOW, Map.of("topic", "tides")).fid();
        client.stream(fid, 0, e -> {});
        assertThat(client.run(fid).state()).isEqualTo(RunState.DONE);

        List<SpanData> spans =
            await(
                "the run's flow span",
                () -> {
                  List<SpanData> all = SPANS.getFinishedSpanItems();
                  return all.stream().anyMatch(s -> s.getName().startsWith("kodo.flow"))
                      ? all
                      : null;
                });
        SpanData launch = one(spans, "kodo.launch " + FLOW);
        assertThat(launch.getParentSpanId()).isEqualTo(SpanId.getInvalid());
        assertThat(launch.getAttributes().get(AttributeKey.stringKey("kodo.fid"))).isEqualTo(fid);
        String trace = launch.getTraceId();
        assertThat(spans).allMatch(s -> s.getTraceId().equals(trace), "one trace per run");
        SpanData dispatch = one(spans, "kodo.dispatch " + FLOW);
        SpanData flow = one(spans, "kodo.flow " + FLOW);
        assertThat(dispatch.getParentSpanId()).isEqualTo(launch.getSpanId());
        assertThat(flow.getParentSpanId()).isEqualTo(launch.getSpanId());
        assertThat(dispatch.getEndEpochNanos()).isLessThanOrEqualTo(flow.getStartEpochNanos());

        List<SpanData> chats = spans.stream().filter(s -> s.getName().startsWith("chat")).toList();
        assertThat(chats).hasSize(2);
        assertThat(chats)
            .extracting(
                s -> s.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")))
            .containsExactlyInAnyOrder(40L, 60L);
        assertThat(chats)
            .extracting(
                s -> s.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens")))
            .containsExactlyInAnyOrder(12L, 30L);
        for (SpanData chat : chats) {
          assertThat(chat.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name")))
              .isEqualTo("chat");
          assertThat(chat.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model")))
              .isNotBlank();
          SpanData agent = byId(spans, chat.getParentSpanId());
          assertThat(agent.getName()).startsWith("invoke_agent ");
          assertThat(agent.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name")))
              .isEqualTo("invoke_agent");
        }
        List<SpanData> agents =
            spans.stream().filter(s -> s.getName().startsWith("invoke_agent ")).toList();
        SpanData research = one(spans, "invoke_agent research");
        assertThat(research.getParentSpanId()).isEqualTo(flow.getSpanId());
        assertThat(agents)
            .filteredOn(a -> a != research)
            .extracting(SpanData::getName)
            .containsExactlyInAnyOrder("invoke_agent researcher", "invoke_agent writer");
        assertThat(agents)
            .filteredOn(a -> a != research)
            .allMatch(a -> a.getParentSpanId().equals(research.getSpanId()));
        models.verify();
      }
    }
  }

  private static SpanData one(List<SpanData> spans, String name) {
    List<SpanData> named = spans.stream().filter(s -> s.getName().equals(name)).toList();
    assertThat(named).as("spans named %s among %s", name, spans).hasSize(1);
    return named.getFirst();
  }

  private static SpanData byId(List<SpanData> spans, String id) {
    return spans.stream()
        .filter(s -> s.getSpanId().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no span " + id));
  }
}
