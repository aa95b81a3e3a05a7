package dev.kodo.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AgenticResearchTest {

  @Test
  void runsOfflineAndEveryAgentAndModelCallIsAnEvent() {
    try (ScriptedModelServer models = ScriptedModelServer.start()) {
      models.expect(
          ModelStep.containing("verifiable facts about tides")
              .reply(ModelReply.text("1. The moon pulls.\n2. Two highs a day.").usage(40, 12)));
      models.expect(
          ModelStep.containing("1. The moon pulls.")
              .reply(ModelReply.text("# Tides\n\nThe moon pulls the sea.").usage(60, 30)));

      TestRun run =
          FlowTester.of(AgenticResearch.class)
              .withSecrets(
                  Map.of("OPENAI_BASE_URL", models.baseUrl(), "OPENAI_API_KEY", "sk-offline"))
              .run(Map.of("topic", "tides"));

      assertThat(run.state()).isEqualTo(RunState.DONE);
      assertThat(run.markdown()).isEqualTo("# Tides\n\nThe moon pulls the sea.");
      List<String> steps =
          run.events().stream()
              .filter(
                  e ->
                      e.type().equals(EventType.AGENT.type())
                          || e.type().equals(EventType.ACTION.type())
                          || e.type().equals(EventType.FINAL.type()))
              .map(AgenticResearchTest::step)
              .toList();
      assertThat(steps)
          .containsExactly(
              "agent research start",
              "agent researcher start",
              "llm researcher 40/12",
              "agent researcher finish",
              "agent writer start",
              "llm writer 60/30",
              "agent writer finish",
              "agent research finish",
              "final");
      models.verify();
    }
  }

  @Test
  void withoutAKeyTheRunSaysWhatToSet() {
    assumeThat(System.getenv("OPENAI_API_KEY")).as("OPENAI_API_KEY is set here").isNull();
    TestRun run = FlowTester.of(AgenticResearch.class).run(Map.of("topic", "tides"));
    assertThat(run.state()).isEqualTo(RunState.ERROR);
    assertThat(run.fatal().message()).contains("OPENAI_API_KEY");
    assertThat(run.events(EventType.ACTION)).isEmpty();
  }

  private static String step(Event e) {
    var d = e.dataNode();
    if (e.type().equals(EventType.AGENT.type())) {
      return "agent " + d.path("agent").asString() + " " + d.path("phase").asString();
    }
    if (e.type().equals(EventType.ACTION.type())) {
      return d.path("name").asString()
          + " "
          + d.path("agent").asString("-")
          + " "
          + d.path("input_tokens").asLong()
          + "/"
          + d.path("output_tokens").asLong();
    }
    return e.type();
  }
}
