package dev.kodo.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.client.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/** The scripted model server spoken to over plain HTTP, as any OpenAI-compatible client would. */
@Timeout(30)
class ScriptedModelServerTest {
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final ScriptedModelServer models = ScriptedModelServer.start();

  @AfterEach
  void close() {
    models.close();
  }

  private static String chat(String model, String userText, boolean stream) {
    return Json.write(
        Json.object()
            .put("model", model)
            .put("stream", stream)
            .set(
                "messages",
                Json.mapper()
                    .createArrayNode()
                    .add(Json.object().put("role", "system").put("content", "Be brief."))
                    .add(Json.object().put("role", "user").put("content", userText))));
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(models.baseUrl() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(models.baseUrl() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The JSON of each {@code data:} line of an event stream, and whether it ended with [DONE]. */
  private static List<JsonNode> events(String body) {
    List<JsonNode> events = new ArrayList<>();
    List<String> lines = body.lines().filter(l -> l.startsWith("data: ")).toList();
    assertThat(lines.getLast()).isEqualTo("data: [DONE]");
    for (String line : lines.subList(0, lines.size() - 1)) {
      events.add(Json.read(line.substring("data: ".length())));
    }
    return events;
  }

  @Test
  void answersTextWithUsageAndRecordsTheRequest() throws Exception {
    models.expect(
        ModelStep.containing("Study ACME").reply(ModelReply.text("4 facts").usage(12, 5)));

    HttpResponse<String> response =
        post("/chat/completions", chat("gpt-4o-mini", "Study ACME", false));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode answer = Json.read(response.body());
    assertThat(answer.path("object").asString()).isEqualTo("chat.completion");
    assertThat(answer.path("model").asString()).isEqualTo("gpt-4o-mini");
    JsonNode choice = answer.path("choices").get(0);
    assertThat(choice.path("message").path("role").asString()).isEqualTo("assistant");
    assertThat(choice.path("message").path("content").asString()).isEqualTo("4 facts");
    assertThat(choice.path("finish_reason").asString()).isEqualTo("stop");
    assertThat(answer.path("usage").path("prompt_tokens").asInt()).isEqualTo(12);
    assertThat(answer.path("usage").path("completion_tokens").asInt()).isEqualTo(5);
    assertThat(answer.path("usage").path("total_tokens").asInt()).isEqualTo(17);

    ScriptedRequest request = models.requests().getFirst();
    assertThat(request.number()).isEqualTo(1);
    assertThat(request.model()).isEqualTo("gpt-4o-mini");
    assertThat(request.stream()).isFalse();
    assertThat(request.messages())
        .extracting(ScriptedRequest.Message::role)
        .containsExactly("system", "user");
    assertThat(request.lastUserMessage()).hasValue("Study ACME");
    models.verify();
  }

  @Test
  void estimatesUsageWhenNoneIsScripted() throws Exception {
    models.always(ModelReply.text("12345678"));
    JsonNode usage =
        Json.read(post("/chat/completions", chat("m", "x", false)).body()).path("usage");
    assertThat(usage.path("completion_tokens").asInt()).isEqualTo(2);
    assertThat(usage.path("prompt_tokens").asInt()).isPositive();
  }

  @Test
  void streamsTextWordByWordThenUsageThenDone() throws Exception {
    models.expect(ModelStep.any().reply(ModelReply.text("Four facts about ACME.").usage(30, 6)));
    String body =
        Json.write(
            ((tools.jackson.databind.node.ObjectNode) Json.read(chat("gpt-4o", "Go", true)))
                .set("stream_options", Json.object().put("include_usage", true)));

    HttpResponse<String> response = post("/chat/completions", body);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("text/event-stream");
    List<JsonNode> events = events(response.body());
    StringBuilder text = new StringBuilder();
    int contentChunks = 0;
    for (JsonNode e : events) {
      assertThat(e.path("object").asString()).isEqualTo("chat.completion.chunk");
      assertThat(e.path("id").asString()).isEqualTo(events.getFirst().path("id").asString());
      JsonNode delta = e.path("choices").path(0).path("delta");
      if (delta.path("content").isString() && !delta.path("content").asString().isEmpty()) {
        contentChunks++;
        text.append(delta.path("content").asString());
      }
    }
    assertThat(text.toString()).isEqualTo("Four facts about ACME.");
    assertThat(contentChunks).isEqualTo(4);
    JsonNode finish = events.get(events.size() - 2);
    assertThat(finish.path("choices").path(0).path("finish_reason").asString()).isEqualTo("stop");
    JsonNode last = events.getLast();
    assertThat(last.path("choices").isEmpty()).isTrue();
    assertThat(last.path("usage").path("total_tokens").asInt()).isEqualTo(36);
    assertThat(models.requests().getFirst().stream()).isTrue();
  }

  @Test
  void streamWithoutIncludeUsageCarriesUsageOnTheFinishChunk() throws Exception {
    models.always(ModelReply.text("hi").usage(1, 1));
    List<JsonNode> events = events(post("/chat/completions", chat("m", "x", true)).body());
    JsonNode last = events.getLast();
    assertThat(last.path("choices").path(0).path("finish_reason").asString()).isEqualTo("stop");
    assertThat(last.path("usage").path("total_tokens").asInt()).isEqualTo(2);
  }

  @Test
  void answersToolCallsPlainAndStreamed() throws Exception {
    models.always(
        ModelReply.toolCalls(
            ModelReply.call("calculator", "{\"expression\":\"2+2*10-3\"}"),
            ModelReply.call("clock", "{}")));

    JsonNode plain =
        Json.read(post("/chat/completions", chat("m", "x", false)).body()).path("choices").path(0);
    assertThat(plain.path("finish_reason").asString()).isEqualTo("tool_calls");
    assertThat(plain.path("message").path("content").isNull()).isTrue();
    JsonNode calls = plain.path("message").path("tool_calls");
    assertThat(calls.size()).isEqualTo(2);
    assertThat(calls.get(0).path("type").asString()).isEqualTo("function");
    assertThat(calls.get(0).path("id").asString()).isEqualTo("call_1_0");
    assertThat(calls.get(0).path("function").path("name").asString()).isEqualTo("calculator");
    assertThat(calls.get(0).path("function").path("arguments").asString())
        .isEqualTo("{\"expression\":\"2+2*10-3\"}");

    List<JsonNode> events = events(post("/chat/completions", chat("m", "x", true)).body());
    StringBuilder[] args = {new StringBuilder(), new StringBuilder()};
    String[] names = new String[2];
    int argumentChunks = 0;
    for (JsonNode e : events) {
      for (JsonNode call : e.path("choices").path(0).path("delta").path("tool_calls")) {
        int index = call.path("index").asInt();
        if (call.path("function").path("name").isString()) {
          names[index] = call.path("function").path("name").asString();
        }
        String piece = call.path("function").path("arguments").asString("");
        if (!piece.isEmpty()) {
          argumentChunks++;
        }
        args[index].append(piece);
      }
    }
    assertThat(names).containsExactly("calculator", "clock");
    assertThat(args[0].toString()).isEqualTo("{\"expression\":\"2+2*10-3\"}");
    assertThat(args[1].toString()).isEqualTo("{}");
    assertThat(argumentChunks).isGreaterThan(2);
    assertThat(events.getLast().path("choices").path(0).path("finish_reason").asString())
        .isEqualTo("tool_calls");
  }

  @Test
  void rateLimitedAnswersRetryAfterInWholeSecondsAndMillis() throws Exception {
    models.expect(ModelStep.any().times(2).reply(ModelReply.rateLimited(Duration.ofMillis(1500))));
    models.expect(ModelStep.any().reply(ModelReply.text("finally")));

    for (int i = 0; i < 2; i++) {
      HttpResponse<String> limited = post("/chat/completions", chat("m", "x", i == 1));
      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(limited.headers().firstValue("Retry-After")).hasValue("2");
      assertThat(limited.headers().firstValue("retry-after-ms")).hasValue("1500");
      JsonNode error = Json.read(limited.body()).path("error");
      assertThat(error.path("code").asString()).isEqualTo("rate_limit_exceeded");
      assertThat(error.path("message").asString()).contains("Rate limit");
    }
    assertThat(post("/chat/completions", chat("m", "x", false)).statusCode()).isEqualTo(200);
    models.verify();
  }

  @Test
  void errorsAnswerTheirStatusWithAnOpenAiErrorBody() throws Exception {
    models.expect(ModelStep.any().reply(ModelReply.error(503, "The engine is overloaded")));
    models.expect(ModelStep.any().reply(ModelReply.error(401, "bad key")));

    HttpResponse<String> overloaded = post("/chat/completions", chat("m", "x", true));
    assertThat(overloaded.statusCode()).isEqualTo(503);
    JsonNode error = Json.read(overloaded.body()).path("error");
    assertThat(error.path("message").asString()).isEqualTo("The engine is overloaded");
    assertThat(error.path("type").asString()).isEqualTo("server_error");
    assertThat(
            Json.read(post("/chat/completions", chat("m", "x", false)).body())
                .path("error")
                .path("type")
                .asString())
        .isEqualTo("authentication_error");
    models.verify();
  }

  @Test
  void anUnexpectedRequestAnswers400AndFailsVerifyNamingWhatWasExpected() throws Exception {
    models.expect(ModelStep.containing("Study ACME").model("gpt-4o").reply(ModelReply.text("x")));

    HttpResponse<String> response =
        post("/chat/completions", chat("gpt-4o", "Write the report", false));

    assertThat(response.statusCode()).isEqualTo(400);
    String message = Json.read(response.body()).path("error").path("message").asString();
    assertThat(message)
        .contains("request #1")
        .contains("Write the report")
        .contains("step 1: a request with a message containing \"Study ACME\" for model gpt-4o");
    assertThatThrownBy(models::verify)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("1 unexpected request(s)")
        .hasMessageContaining("last message (user) \"Write the report\"")
        .hasMessageContaining("expected step 1")
        .hasMessageContaining("1 step(s) not used up")
        .hasMessageContaining("used 0 of 1 times");
  }

  @Test
  void theWrongModelIsUnexpected() throws Exception {
    models.expect(ModelStep.any().model("gpt-4o").reply(ModelReply.text("x")));
    assertThat(post("/chat/completions", chat("gpt-4o-mini", "x", false)).statusCode())
        .isEqualTo(400);
    assertThatThrownBy(models::verify).hasMessageContaining("model gpt-4o-mini");
  }

  @Test
  void stepsAreUsedInOrderAndAnUnusedStepFailsVerify() throws Exception {
    models.expect(ModelStep.any().reply(ModelReply.text("one")));
    models.expect(ModelStep.any().times(2).reply(ModelReply.text("two")));
    models.expect(ModelStep.containing("never").reply(ModelReply.text("three")));

    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      answers.add(
          Json.read(post("/chat/completions", chat("m", "x", false)).body())
              .path("choices")
              .path(0)
              .path("message")
              .path("content")
              .asString());
    }
    assertThat(answers).containsExactly("one", "two", "two");
    assertThatThrownBy(models::verify)
        .hasMessageContaining("step 3: a request with a message containing \"never\"")
        .hasMessageNotContaining("unexpected");
  }

  @Test
  void aUsedUpScriptWithoutFallbackIsUnexpectedAndAFallbackAnswersForever() throws Exception {
    models.expect(ModelStep.any().reply(ModelReply.text("one")));
    post("/chat/completions", chat("m", "x", false));
    HttpResponse<String> extra = post("/chat/completions", chat("m", "x", false));
    assertThat(extra.statusCode()).isEqualTo(400);
    assertThat(extra.body()).contains("the script is used up (1 step(s))");

    models.always(ModelReply.text("ok"));
    for (int i = 0; i < 3; i++) {
      assertThat(post("/chat/completions", chat("m", "x", false)).body()).contains("\"ok\"");
    }
    assertThat(models.requestCount()).isEqualTo(5);
  }

  @Test
  void inAnyOrderServesConcurrentCallersWhateverTheirOrder() throws Exception {
    models.expectInAnyOrder(
        ModelStep.containing("alpha").reply(ModelReply.text("A").delay(Duration.ofMillis(50))),
        ModelStep.containing("beta").reply(ModelReply.text("B")),
        ModelStep.containing("gamma").reply(ModelReply.text("C")));
    models.expect(ModelStep.containing("summary").reply(ModelReply.text("S")));

    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (String word : List.of("gamma", "alpha", "beta")) {
      calls.add(
          http.sendAsync(
              HttpRequest.newBuilder(URI.create(models.baseUrl() + "/chat/completions"))
                  .POST(HttpRequest.BodyPublishers.ofString(chat("m", word, false)))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    List<String> answers = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      answers.add(
          Json.read(call.get().body())
              .path("choices")
              .path(0)
              .path("message")
              .path("content")
              .asString());
    }
    assertThat(answers).containsExactly("C", "A", "B");
    assertThat(post("/chat/completions", chat("m", "summary", false)).body()).contains("\"S\"");
    models.verify();
  }

  @Test
  void manyParallelCallersAreAllServed() throws Exception {
    models.always(ModelReply.text("ok").chunkDelay(Duration.ofMillis(1)));
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Integer>> statuses = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        boolean stream = i % 2 == 0;
        statuses.add(
            pool.submit(() -> post("/chat/completions", chat("m", "x", stream)).statusCode()));
      }
      for (Future<Integer> status : statuses) {
        assertThat(status.get()).isEqualTo(200);
      }
    }
    assertThat(models.requestCount()).isEqualTo(64);
    assertThat(models.requests()).extracting(ScriptedRequest::number).doesNotHaveDuplicates();
    models.verify();
  }

  @Test
  void badJsonAndWrongShapesAnswer400AndFailVerify() throws Exception {
    HttpResponse<String> broken = post("/chat/completions", "{\"model\": ");
    assertThat(broken.statusCode()).isEqualTo(400);
    assertThat(Json.read(broken.body()).path("error").path("message").asString())
        .contains("not valid JSON");
    assertThat(post("/chat/completions", "[1,2]").body()).contains("must be a JSON object");
    assertThat(post("/chat/completions", "{\"model\":\"m\",\"messages\":[]}").body())
        .contains("\\\"messages\\\" must be a non-empty array");
    assertThat(
            post(
                    "/chat/completions",
                    "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}]," + "\"stream\":\"yes\"}")
                .body())
        .contains("\\\"stream\\\" must be true or false");
    assertThat(models.requests()).isEmpty();
    assertThatThrownBy(models::verify)
        .hasMessageContaining("4 unexpected request(s)")
        .hasMessageContaining("POST /v1/chat/completions: the body is not valid JSON");
  }

  @Test
  void unknownPathsAndMethodsAreRefusedWithTheBaseUrlToUse() throws Exception {
    HttpResponse<String> wrongBase =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + models.port() + "/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(chat("m", "x", false)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(wrongBase.statusCode()).isEqualTo(404);
    assertThat(wrongBase.body()).contains("is the client's base URL " + models.baseUrl());

    HttpResponse<String> wrongMethod = get("/chat/completions");
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("POST");
    assertThatThrownBy(models::verify).hasMessageContaining("2 unexpected request(s)");
  }

  @Test
  void aBodyOverFourMebibytesAnswers413() throws Exception {
    String huge = chat("m", "x".repeat(ScriptedModelServer.MAX_BODY_BYTES), false);
    HttpResponse<String> response = post("/chat/completions", huge);
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).contains("larger than 4194304 bytes");
    assertThat(post("/chat/completions", chat("m", "x", false)).statusCode())
        .as("the server still answers")
        .isEqualTo(400);
  }

  @Test
  void listsTheModelsTheScriptNames() throws Exception {
    models.expect(ModelStep.any().model("gpt-4o").reply(ModelReply.text("x")));
    models.advertise("llama3", "gpt-4o");
    HttpResponse<String> response = get("/models");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode list = Json.read(response.body());
    assertThat(list.path("object").asString()).isEqualTo("list");
    assertThat(list.path("data").findValuesAsString("id")).containsExactly("gpt-4o", "llama3");
  }

  @Test
  void aRequiredApiKeyIsCheckedAndNeverShown() throws Exception {
    models.requireApiKey("sk-secret-123").always(ModelReply.text("ok"));
    HttpResponse<String> without = post("/chat/completions", chat("m", "x", false));
    assertThat(without.statusCode()).isEqualTo(401);
    assertThat(without.body()).contains("invalid_api_key").doesNotContain("sk-secret-123");
    HttpResponse<String> with =
        http.send(
            HttpRequest.newBuilder(URI.create(models.baseUrl() + "/chat/completions"))
                .header("Authorization", "Bearer sk-secret-123")
                .POST(HttpRequest.BodyPublishers.ofString(chat("m", "x", false)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(with.statusCode()).isEqualTo(200);
    assertThatThrownBy(models::verify)
        .hasMessageContaining("no or another API key")
        .hasMessageNotContaining("sk-secret-123");
  }

  @Test
  void closeCutsADelayedReplyAndFreesThePort() throws Exception {
    models.always(ModelReply.text("late").delay(Duration.ofMinutes(10)));
    CompletableFuture<HttpResponse<String>> pending =
        http.sendAsync(
            HttpRequest.newBuilder(URI.create(models.baseUrl() + "/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(chat("m", "x", false)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    while (models.requestCount() == 0) {
      Thread.sleep(5);
    }

    models.close();

    assertThatThrownBy(pending::join).hasCauseInstanceOf(IOException.class);
    assertThatThrownBy(() -> post("/chat/completions", chat("m", "x", false)))
        .isInstanceOf(ConnectException.class);
    models.close();
  }

  @Test
  void closeCutsAStreamBetweenChunks() throws Exception {
    models.always(ModelReply.text("a b c d e f").chunkDelay(Duration.ofMinutes(10)));
    CompletableFuture<HttpResponse<String>> pending =
        http.sendAsync(
            HttpRequest.newBuilder(URI.create(models.baseUrl() + "/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(chat("m", "x", true)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    while (models.requestCount() == 0) {
      Thread.sleep(5);
    }
    models.close();
    assertThatThrownBy(pending::join).hasCauseInstanceOf(IOException.class);
  }

  @Test
  void stepsAndRepliesRefuseNonsense() {
    assertThatThrownBy(() -> models.expect(ModelStep.any()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has no reply");
    assertThatThrownBy(() -> ModelStep.any().times(0)).hasMessageContaining("at least 1");
    assertThatThrownBy(() -> ModelReply.error(200, "x")).hasMessageContaining("400 to 599");
    assertThatThrownBy(() -> ModelReply.rateLimited(Duration.ofSeconds(-1)))
        .hasMessageContaining("negative");
    assertThatThrownBy(() -> ModelReply.text("x").usage(-1, 0)).hasMessageContaining("negative");
    assertThatThrownBy(() -> ModelReply.toolCall(" ", "{}")).hasMessageContaining("tool name");
    assertThatThrownBy(() -> ModelReply.toolCalls()).hasMessageContaining("empty");
  }

  @Test
  void aThrowingPredicateDoesNotAcceptTheRequest() throws Exception {
    models.expect(
        ModelStep.matching(
                "a request whose third message is a tool result",
                r -> r.messages().get(2).role().equals("tool"))
            .reply(ModelReply.text("x")));
    assertThat(post("/chat/completions", chat("m", "x", false)).statusCode()).isEqualTo(400);
    assertThatThrownBy(models::verify)
        .hasMessageContaining("expected step 1: a request whose third message is a tool result");
  }

  @Test
  void piecesKeepEveryCharacter() {
    assertThat(ScriptedModelServer.pieces("  two  words\nhere "))
        .containsExactly("  ", "two  ", "words\n", "here ");
    assertThat(ScriptedModelServer.pieces("")).isEmpty();
  }
}
