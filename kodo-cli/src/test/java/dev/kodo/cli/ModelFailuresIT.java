package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Event;
import dev.kodo.client.NodeClient;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import dev.kodo.testing.ModelReply;
import dev.kodo.testing.ModelStep;
import dev.kodo.testing.ScriptedModelServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A crew's model failing on a real node (docs/flows.md#langchain4j-in-a-java-flow, "Retries" and
 * "Kill"): two 429s with {@code Retry-After} then an answer end {@code final} with two {@code
 * action-error}s before the {@code action}; a model that keeps answering 500 ends the run {@code
 * fatal} with the provider's message; a kill during a slow model call frees the run's worker within
 * 1 s of the {@code kill} event. No event ever holds the API key's value.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ModelFailuresIT {
  private static final String KEY = "sk-failures-" + UUID.randomUUID();

  @TempDir static Path data;
  @TempDir static Path flows;
  static ScriptedModelServer models;
  static TestNode node;
  static NodeClient client;

  @BeforeAll
  static void start() throws Exception {
    models = ScriptedModelServer.start().requireApiKey(KEY);
    Files.writeString(
        flows.resolve("summary.yaml"),
        """
        name: Summary
        inputs:
          topic: {type: string, required: true}
        llm: {provider: openai, model: gpt-4o-mini, base_url: "${OPENAI_BASE_URL}", api_key: "${OPENAI_API_KEY}", max_retries: 2}
        agents:
          writer: {role: Writer, goal: Write short summaries}
        tasks:
          - {id: summarise, agent: writer, description: "Summarise {topic}."}
        """);
    node =
        TestNode.start(
            data,
            "--kodo.flows=" + flows,
            "--kodo.secrets.OPENAI_BASE_URL=" + models.baseUrl(),
            "--kodo.secrets.OPENAI_API_KEY=" + KEY);
    client = NodeClient.connect(node.url);
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    if (models != null) {
      models.close();
    }
  }

  @AfterEach
  void scriptUsedUpAndNoKeyAnywhere() {
    models.verify();
    for (RunDocument run : client.runs(Map.of()).items()) {
      assertThat(AgentRuns.events(client, run.fid())).noneMatch(e -> e.data().contains(KEY));
      assertThat(String.valueOf(client.run(run.fid()))).doesNotContain(KEY);
    }
  }

  private static List<String> types(List<Event> log, String... types) {
    List<String> wanted = List.of(types);
    return log.stream().map(Event::type).filter(wanted::contains).toList();
  }

  @Test
  void twoRateLimitsThenAnAnswerEndFinal() throws Exception {
    models.expect(
        ModelStep.containing("Summarise tides.")
            .times(2)
            .reply(ModelReply.rateLimited(Duration.ofSeconds(1))));
    models.expect(
        ModelStep.containing("Summarise tides.")
            .reply(ModelReply.text("Tides follow the moon.").usage(30, 6)));

    String fid = client.launch("summary", Map.of("topic", "tides")).fid();
    RunDocument done = AgentRuns.awaitEnd(client, fid, 30);
    List<Event> log = AgentRuns.events(client, fid);
    assertThat(done.state()).as("%s", log).isEqualTo(RunState.DONE);
    assertThat(done.result().path("result").path("body").asString())
        .isEqualTo("Tides follow the moon.");
    assertThat(types(log, "action-error", "action", "final"))
        .containsExactly("action-error", "action-error", "action", "final");
    List<JsonNode> errors = AgentRuns.data(log, "action-error");
    assertThat(errors).extracting(e -> e.path("attempt").asInt()).containsExactly(1, 2);
    assertThat(errors)
        .allSatisfy(
            e -> {
              assertThat(e.path("name").asString()).isEqualTo("llm");
              assertThat(e.path("model").asString()).isEqualTo("gpt-4o-mini");
              assertThat(e.path("message").asString()).contains("Rate limit reached");
              assertThat(e.path("retry_in_ms").asLong()).isEqualTo(1000);
            });
    // the waits were honoured: each retry came at least Retry-After after the failure before it
    List<Event> timed =
        log.stream()
            .filter(e -> e.type().equals("action-error") || e.type().equals("action"))
            .toList();
    assertThat(Duration.between(timed.get(0).ts(), timed.get(2).ts()))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(done.usage().calls()).isEqualTo(1);
    assertThat(done.usage().inputTokens()).isEqualTo(30);
  }

  @Test
  void aModelThatKeepsFailingEndsFatalWithTheProvidersMessage() throws Exception {
    String message = "The engine is overloaded (boom-" + UUID.randomUUID() + ")";
    models.expect(
        ModelStep.containing("Summarise volcanoes.")
            .times(3)
            .reply(ModelReply.error(500, message)));

    String fid = client.launch("summary", Map.of("topic", "volcanoes")).fid();
    RunDocument failed = AgentRuns.awaitEnd(client, fid, 30);
    List<Event> log = AgentRuns.events(client, fid);
    assertThat(failed.state()).as("%s", log).isEqualTo(RunState.ERROR);
    assertThat(failed.error().path("message").asString()).contains(message);
    assertThat(types(log, "action-error", "action", "fatal"))
        .containsExactly("action-error", "action-error", "action-error", "fatal");
    assertThat(AgentRuns.data(log, "action-error"))
        .allSatisfy(e -> assertThat(e.path("message").asString()).contains(message));
    assertThat(failed.usage().calls()).isZero();
  }

  @Test
  void aKillDuringASlowModelCallEndsTheRunWithinASecond() throws Exception {
    int before = models.requestCount();
    models.expect(
        ModelStep.containing("Summarise glaciers.")
            .reply(ModelReply.text("too late").delay(Duration.ofSeconds(60))));

    String fid = client.launch("summary", Map.of("topic", "glaciers")).fid();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (models.requestCount() == before) {
      assertThat(System.nanoTime()).as("the model call arrives").isLessThan(deadline);
      Thread.sleep(10);
    }
    client.kill(fid);
    Instant freed = awaitWorkersIdle();
    RunDocument killed = AgentRuns.awaitEnd(client, fid, 10);
    assertThat(killed.state()).isEqualTo(RunState.KILLED);

    List<Event> log = AgentRuns.events(client, fid);
    Event kill = log.stream().filter(Event::terminal).findFirst().orElseThrow();
    assertThat(kill.type()).isEqualTo("kill");
    assertThat(log.getLast().seq()).as("nothing after the kill").isEqualTo(kill.seq());
    assertThat(types(log, "action", "final")).isEmpty();
    // the run's flow stopped (its worker slot is free, not leaked) within 1 s of the kill event
    assertThat(Duration.between(kill.ts(), freed))
        .as("from the kill event to a free worker")
        .isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void aKillDuringARetryAfterWaitEndsTheRunWithinASecond() throws Exception {
    models.expect(
        ModelStep.containing("Summarise deserts.")
            .reply(ModelReply.rateLimited(Duration.ofSeconds(30))));

    String fid = client.launch("summary", Map.of("topic", "deserts")).fid();
    AgentRuns.await(
        client,
        fid,
        "waiting after a 429",
        30,
        r -> AgentRuns.events(client, fid).stream().anyMatch(e -> e.type().equals("action-error")));
    client.kill(fid);
    Instant freed = awaitWorkersIdle();
    RunDocument killed = AgentRuns.awaitEnd(client, fid, 10);
    assertThat(killed.state()).isEqualTo(RunState.KILLED);
    List<Event> log = AgentRuns.events(client, fid);
    Event kill = log.getLast();
    assertThat(kill.type()).isEqualTo("kill");
    assertThat(AgentRuns.data(log, "action-error").getFirst().path("retry_in_ms").asLong())
        .isEqualTo(30_000);
    assertThat(Duration.between(kill.ts(), freed))
        .as("from the kill event to a free worker")
        .isLessThan(Duration.ofSeconds(1));
  }

  /** Polls {@code /api/state} until no worker executes a flow (active and leaked both 0). */
  private static Instant awaitWorkersIdle() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      JsonNode state = client.state();
      int busy = 0;
      for (JsonNode w : state.path("workers")) {
        busy += w.path("active").asInt() + w.path("leaked").asInt();
      }
      if (busy == 0) {
        return Instant.now();
      }
      assertThat(System.nanoTime()).as("the worker is freed: %s", state).isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
