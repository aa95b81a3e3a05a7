package dev.kodo.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.RunState;
import dev.kodo.testing.AsyncRun;
import dev.kodo.testing.FlowTester;
import dev.kodo.testing.ModelReply;
import dev.kodo.testing.ModelStep;
import dev.kodo.testing.ScriptedModelServer;
import dev.kodo.testing.TestRun;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ObservedModelsTest {
  private static final String KEY = "sk-test-SECRET-7f3a9c";

  private ScriptedModelServer server;
  private FlowTester tester;

  @BeforeEach
  void start() {
    server = ScriptedModelServer.start().requireApiKey(KEY);
    tester = tester(Map.of());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private FlowTester tester(Map<String, String> more) {
    Map<String, String> settings = new HashMap<>();
    settings.put("models.default.base-url", "${TEST_BASE_URL}");
    settings.put("models.default.api-key", "${TEST_KEY}");
    settings.put("models.default.max-retries", "2");
    settings.putAll(more);
    return FlowTester.of(ModelProbeFlow.class)
        .withSecrets(Map.of("TEST_BASE_URL", server.baseUrl(), "TEST_KEY", KEY))
        .withSettings(settings);
  }

  @Test
  void anAnsweredCallIsOneActionWithItsTokensAndCost() {
    server.expect(ModelStep.any().reply(ModelReply.text("Hello, Ada.").usage(1000, 500)));
    TestRun run =
        tester(Map.of("prices.gpt-4o-mini.input", "0.15", "prices.gpt-4o-mini.output", "0.60"))
            .run();

    assertThat(run.state()).isEqualTo(RunState.DONE);
    assertThat(run.markdown()).isEqualTo("Hello, Ada.");
    assertThat(run.events(EventType.ACTION)).hasSize(1);
    JsonNode call = run.events(EventType.ACTION).getFirst().dataNode();
    assertThat(call.path("name").asString()).isEqualTo("llm");
    assertThat(call.path("provider").asString()).isEqualTo("openai");
    assertThat(call.path("model").asString()).isEqualTo("gpt-4o-mini");
    assertThat(call.path("input_tokens").asLong()).isEqualTo(1000);
    assertThat(call.path("output_tokens").asLong()).isEqualTo(500);
    assertThat(call.path("finish_reason").asString()).isEqualTo("stop");
    assertThat(call.path("latency_ms").asLong()).isNotNegative();
    assertThat(call.path("cost").asDouble()).isEqualTo(0.00045);
    assertThat(run.events(EventType.ACTION_ERROR)).isEmpty();
    assertThat(server.requestCount()).isEqualTo(1);
    server.verify(); // also: every request carried the key
  }

  @Test
  void withoutAPriceThereIsNoCost() {
    server.expect(ModelStep.any().reply(ModelReply.text("hi").usage(3, 1)));
    TestRun run = tester.run();
    assertThat(run.events(EventType.ACTION).getFirst().dataNode().has("cost")).isFalse();
  }

  @Test
  void twoRateLimitsAreRetriedAfterTheirRetryAfter() {
    server
        .expect(ModelStep.any().times(2).reply(ModelReply.rateLimited(Duration.ofSeconds(1))))
        .expect(ModelStep.any().reply(ModelReply.text("at last").usage(5, 2)));

    TestRun run = tester.run();

    assertThat(run.state()).isEqualTo(RunState.DONE);
    assertThat(run.markdown()).isEqualTo("at last");
    assertThat(run.types())
        .containsSubsequence("action-error", "action-error", "action", "final")
        .filteredOn(t -> t.startsWith("action"))
        .containsExactly("action-error", "action-error", "action");
    List<JsonNode> errors =
        run.events(EventType.ACTION_ERROR).stream().map(Event::dataNode).toList();
    assertThat(errors).extracting(e -> e.path("attempt").asInt()).containsExactly(1, 2);
    assertThat(errors)
        .extracting(e -> e.path("retry_in_ms").asLong())
        .containsExactly(1000L, 1000L);
    assertThat(errors)
        .extracting(e -> e.path("message").asString())
        .allSatisfy(m -> assertThat(m).startsWith("Rate limit reached (scripted model server)"));
    // LangChain4j's own retries are off: every attempt reached the server once
    assertThat(server.requestCount()).isEqualTo(3);
  }

  @Test
  void aModelThatKeepsFailingEndsTheRunWithTheProvidersMessage() {
    server.always(ModelReply.error(500, "The server had an error while processing your request"));

    TestRun run = tester.run();

    assertThat(run.state()).isEqualTo(RunState.ERROR);
    assertThat(run.fatal().error()).isEqualTo(ModelCallFailedException.class.getName());
    assertThat(run.fatal().message())
        .contains("openai model gpt-4o-mini failed with HTTP 500 after 3 attempts")
        .contains("The server had an error while processing your request");
    List<JsonNode> errors =
        run.events(EventType.ACTION_ERROR).stream().map(Event::dataNode).toList();
    assertThat(errors).extracting(e -> e.path("attempt").asInt()).containsExactly(1, 2, 3);
    assertThat(errors.getLast().has("retry_in_ms")).isFalse();
    assertThat(server.requestCount()).isEqualTo(3);
  }

  @Test
  void withoutRetryAfterItBacksOff() {
    server
        .expect(ModelStep.any().reply(ModelReply.error(503, "overloaded")))
        .expect(ModelStep.any().reply(ModelReply.text("ok")));

    TestRun run = tester.run();

    assertThat(run.state()).isEqualTo(RunState.DONE);
    long wait =
        run.events(EventType.ACTION_ERROR).getFirst().dataNode().path("retry_in_ms").asLong();
    assertThat(wait).isBetween(250L, 500L); // the first back-off: 500 ms, half of it jitter
  }

  @Test
  void aClientErrorIsNotRetriedAndTheKeyNeverShows() {
    server.expect(
        ModelStep.any()
            .reply(ModelReply.error(401, "Incorrect API key provided: " + KEY + ". Find it at …")));

    TestRun run = tester.run();

    assertThat(run.state()).isEqualTo(RunState.ERROR);
    assertThat(server.requestCount()).isEqualTo(1);
    assertThat(run.events(EventType.ACTION_ERROR)).hasSize(1);
    assertThat(run.fatal().message())
        .contains("HTTP 401")
        .contains("Incorrect API key provided: ***");
    assertThat(run.events()).allSatisfy(e -> assertThat(e.data()).doesNotContain(KEY));
    assertThat(run.fatal().toString()).doesNotContain(KEY);
  }

  @Test
  void anUnreachableServerIsRetriedThenFails() {
    ScriptedModelServer gone = ScriptedModelServer.start();
    String url = gone.baseUrl();
    gone.close();
    TestRun run =
        FlowTester.of(ModelProbeFlow.class)
            .withSecrets(Map.of("TEST_KEY", KEY))
            .withSettings(
                Map.of(
                    "models.default.base-url", url,
                    "models.default.api-key", "${TEST_KEY}",
                    "models.default.max-retries", "1"))
            .run();

    assertThat(run.state()).isEqualTo(RunState.ERROR);
    assertThat(run.events(EventType.ACTION_ERROR)).hasSize(2);
    assertThat(run.fatal().message()).contains("after 2 attempts").contains("no answer");
  }

  @Test
  void anthropicAndGeminiModelsAreBuiltAndTheirFailuresNamed() {
    ScriptedModelServer gone = ScriptedModelServer.start();
    String url = gone.baseUrl();
    gone.close();
    for (String provider : List.of("anthropic", "gemini")) {
      TestRun run =
          FlowTester.of(ModelProbeFlow.class)
              .withSecrets(Map.of("TEST_KEY", KEY))
              .withSettings(
                  Map.of(
                      "models.other.provider",
                      provider,
                      "models.other.base-url",
                      url,
                      "models.other.api-key",
                      "${TEST_KEY}",
                      "models.other.max-retries",
                      "0"))
              .run(Map.of("model", "other"));

      assertThat(run.state()).isEqualTo(RunState.ERROR);
      assertThat(run.fatal().error()).isEqualTo(ModelCallFailedException.class.getName());
      assertThat(run.fatal().message())
          .startsWith("ModelCallFailedException: " + provider + " model ")
          .contains("after 1 attempt: no answer");
      assertThat(run.events(EventType.ACTION_ERROR)).hasSize(1);
      assertThat(run.events()).allSatisfy(e -> assertThat(e.data()).doesNotContain(KEY));
    }
  }

  @Test
  void anUnknownProviderIsNamed() {
    TestRun run = tester(Map.of("models.default.provider", "mistral")).run();
    assertThat(run.fatal().message())
        .contains("unknown model provider \"mistral\"")
        .contains("openai")
        .contains("anthropic")
        .contains("gemini");
  }

  @Test
  void aKillDuringASlowCallFreesTheRun() throws Exception {
    server.expect(ModelStep.any().reply(ModelReply.text("too late").delay(Duration.ofMinutes(1))));
    AsyncRun running = tester.runAsync(Map.of());
    while (server.requestCount() == 0) {
      Thread.sleep(10);
    }
    running.kill();
    TestRun run = running.await();

    assertThat(run.state()).isEqualTo(RunState.KILLED);
    assertThat(run.events(EventType.ACTION)).isEmpty();
  }

  @Test
  void aLongStreamedAnswerIsAHandfulOfEvents() {
    String full = String.join(" ", Collections.nCopies(10_000, "word"));
    server.expect(ModelStep.any().reply(ModelReply.text(full).usage(7, 10_000)));

    TestRun run = tester.run(Map.of("mode", "stream"));

    assertThat(run.state()).isEqualTo(RunState.DONE);
    assertThat(run.markdown()).isEqualTo(full);
    assertThat(String.join("", run.stdout())).isEqualTo(full);
    assertThat(run.stdout().size()).isBetween(1, 30); // 50,000 characters in 10,000 chunks
    assertThat(run.events(EventType.ACTION)).hasSize(1);
    assertThat(run.events(EventType.ACTION).getFirst().dataNode().path("output_tokens").asLong())
        .isEqualTo(10_000);
  }

  @Test
  void aStreamRefusedWithARateLimitIsRetried() {
    server
        .expect(ModelStep.any().reply(ModelReply.rateLimited(Duration.ofMillis(10))))
        .expect(ModelStep.any().reply(ModelReply.text("a b c")));

    TestRun run = tester.run(Map.of("mode", "stream"));

    assertThat(run.state()).isEqualTo(RunState.DONE);
    assertThat(run.markdown()).isEqualTo("a b c");
    assertThat(run.types())
        .filteredOn(t -> t.startsWith("action"))
        .containsExactly("action-error", "action");
  }

  @Test
  void anUnknownModelNameSaysWhatToSet() {
    TestRun run = tester.run(Map.of("model", "writer"));
    assertThat(run.state()).isEqualTo(RunState.ERROR);
    assertThat(run.fatal().message())
        .contains("no model named \"writer\"")
        .contains("kodo.agents.models.writer.provider");
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void aMissingVariableIsNamedNeverItsValue() {
    TestRun run = tester(Map.of("models.default.api-key", "${NOT_SET_ANYWHERE_KEY}")).run();
    assertThat(run.state()).isEqualTo(RunState.ERROR);
    assertThat(run.fatal().message()).contains("NOT_SET_ANYWHERE_KEY");
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void aWrongNumberNamesItsKey() {
    TestRun run = tester(Map.of("models.default.temperature", "warm")).run();
    assertThat(run.fatal().message())
        .contains("kodo.agents.models.default.temperature")
        .contains("not a number");
  }
}
