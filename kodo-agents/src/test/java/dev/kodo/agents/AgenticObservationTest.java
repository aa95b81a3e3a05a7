package dev.kodo.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.RunState;
import dev.kodo.testing.FlowTester;
import dev.kodo.testing.ModelReply;
import dev.kodo.testing.ModelStep;
import dev.kodo.testing.ScriptedModelServer;
import dev.kodo.testing.TestRun;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AgenticObservationTest {
  private ScriptedModelServer server;
  private FlowTester tester;

  @BeforeEach
  void start() {
    server = ScriptedModelServer.start();
    tester =
        FlowTester.of(AgenticToolFlow.class)
            .withSecrets(Map.of("OPENAI_BASE_URL", server.baseUrl(), "OPENAI_API_KEY", "sk-x"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void anAgentsToolCallsAndModelCallsAreEventsInOrder() {
    server
        .expect(ModelStep.any().reply(ModelReply.toolCall("add", "{\"a\":2,\"b\":3}")))
        .expect(ModelStep.containing("5").reply(ModelReply.text("2 + 3 = 5")));

    TestRun run = tester.run();

    assertThat(run.state()).isEqualTo(RunState.DONE);
    assertThat(run.markdown()).isEqualTo("2 + 3 = 5");
    assertThat(run.events().stream().map(AgenticObservationTest::step).filter(s -> s != null))
        .containsExactly(
            "agent sums start",
            "agent calculator start",
            "action calculator",
            "tool add calculator",
            "action calculator",
            "agent calculator finish",
            "agent sums finish");
    JsonNode tool = run.events(EventType.TOOL).getFirst().dataNode();
    assertThat(tool.path("arguments").path("a").asInt()).isEqualTo(2);
    assertThat(tool.path("result").asString()).isEqualTo("5");
    assertThat(tool.path("duration_ms").asLong()).isNotNegative();
    JsonNode started = run.events(EventType.AGENT).get(1).dataNode();
    assertThat(started.path("role").asString()).isEqualTo("Does sums");
    JsonNode finished = run.events(EventType.AGENT).get(2).dataNode();
    assertThat(finished.path("output").asString()).isEqualTo("2 + 3 = 5");
    server.verify();
  }

  @Test
  void aFailingToolIsAToolEventWithItsError() {
    server
        .expect(ModelStep.any().reply(ModelReply.toolCall("add", "{\"a\":-1,\"b\":3}")))
        .expect(ModelStep.any().reply(ModelReply.text("cannot")));

    TestRun run = tester.run();

    assertThat(run.state()).isEqualTo(RunState.DONE);
    JsonNode tool = run.events(EventType.TOOL).getFirst().dataNode();
    assertThat(tool.path("error").asString()).contains("only natural numbers, not -1");
    assertThat(tool.has("result")).isFalse();
  }

  @Test
  void aPlainAiServiceReportsItsToolCallsThroughTheToolObserver() {
    server
        .expect(ModelStep.any().reply(ModelReply.toolCall("add", "{\"a\":2,\"b\":3}")))
        .expect(ModelStep.any().reply(ModelReply.text("5")));

    TestRun run = tester.run(Map.of("mode", "service"));

    assertThat(run.state()).isEqualTo(RunState.DONE);
    List<String> types =
        run.types().stream().filter(t -> t.equals("tool") || t.equals("action")).toList();
    assertThat(types).containsExactly("action", "tool", "action");
    assertThat(run.events(EventType.TOOL).getFirst().dataNode().path("tool").asString())
        .isEqualTo("add");
  }

  private static String step(Event e) {
    JsonNode d = e.dataNode();
    if (e.type().equals(EventType.AGENT.type())) {
      return "agent " + d.path("agent").asString() + " " + d.path("phase").asString();
    }
    if (e.type().equals(EventType.ACTION.type())) {
      return "action " + d.path("agent").asString("-");
    }
    if (e.type().equals(EventType.TOOL.type())) {
      return "tool " + d.path("tool").asString() + " " + d.path("agent").asString("-");
    }
    return null;
  }
}
