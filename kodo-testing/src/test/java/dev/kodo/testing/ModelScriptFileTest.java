package dev.kodo.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.client.Json;
import dev.kodo.client.KodoException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Scripts read from JSON files: the documented format works, every mistake is pointed at. */
@Timeout(30)
class ModelScriptFileTest {
  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  private Path write(String json) throws IOException {
    return Files.writeString(dir.resolve("script.json"), json.replace('\'', '"'));
  }

  private JsonNode ask(ScriptedModelServer models, String text) throws Exception {
    String body =
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":"
            + Json.quote(text)
            + "}]}";
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(models.baseUrl() + "/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return ((ObjectNode) Json.read(response.body())).put("status", response.statusCode());
  }

  @Test
  void theDocumentedFormatDrivesTheServer() throws Exception {
    Path script =
        write(
            """
            {
              'models': ['gpt-4o-mini'],
              'steps': [
                {'containing': 'Study ACME', 'model': 'gpt-4o',
                 'reply': {'toolCalls': [{'name': 'calculator', 'arguments': {'expression': '2+2'}}],
                           'usage': {'input': 12, 'output': 5}}},
                {'times': 2, 'reply': {'rateLimited': {'retryAfterMs': 1000}}},
                {'anyOrder': [
                  {'containing': 'alpha', 'reply': {'text': 'A'}},
                  {'containing': 'beta', 'reply': {'error': {'status': 503, 'message': 'busy'}}}
                ]},
                {'reply': {'text': 'cut', 'finishReason': 'length', 'delayMs': 1, 'chunkDelayMs': 1}},
                {'reply': {'dropConnection': true}}
              ],
              'always': {'text': 'ok'}
            }
            """);
    try (ScriptedModelServer models = ScriptedModelServer.start(script)) {
      JsonNode call = ask(models, "Study ACME").path("choices").path(0);
      assertThat(
              call.path("message")
                  .path("tool_calls")
                  .path(0)
                  .path("function")
                  .path("arguments")
                  .asString())
          .isEqualTo("{\"expression\":\"2+2\"}");
      assertThat(ask(models, "x").path("status").asInt()).isEqualTo(429);
      assertThat(ask(models, "x").path("status").asInt()).isEqualTo(429);
      assertThat(ask(models, "beta").path("status").asInt()).isEqualTo(503);
      assertThat(
              ask(models, "alpha")
                  .path("choices")
                  .path(0)
                  .path("message")
                  .path("content")
                  .asString())
          .isEqualTo("A");
      assertThat(ask(models, "x").path("choices").path(0).path("finish_reason").asString())
          .isEqualTo("length");
      assertThatThrownBy(() -> ask(models, "x")).isInstanceOf(IOException.class);
      assertThat(
              ask(models, "x").path("choices").path(0).path("message").path("content").asString())
          .isEqualTo("ok");
      models.verify();
      HttpResponse<String> list =
          http.send(
              HttpRequest.newBuilder(URI.create(models.baseUrl() + "/models")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(Json.read(list.body()).path("data").findValuesAsString("id"))
          .containsExactly("gpt-4o-mini", "gpt-4o");
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{'steps': [], 'extra': 1}                                  | (top level): unknown key \"extra\"",
        "{}                                                         | neither \"steps\" nor \"always\"",
        "{'steps': {}}                                              | steps: must be a JSON array",
        "{'steps': [{'containing': 'x'}]}                           | steps[0]: \"reply\" is missing",
        "{'steps': [{'reply': {'txt': 'x'}}]}                       | steps[0].reply: unknown key \"txt\"",
        "{'steps': [{'reply': {}}]}                                 | steps[0].reply: a reply has exactly one of",
        "{'steps': [{'reply': {'text': 'x', 'error': {'status': 500, 'message': 'm'}}}]} | steps[0].reply: a reply has exactly one of",
        "{'steps': [{'reply': {'text': 3}}]}                        | steps[0].reply.text: must be a string",
        "{'steps': [{'times': 0, 'reply': {'text': 'x'}}]}          | steps[0].times: must be 1 to 1000000, not 0",
        "{'steps': [{'times': 1.5, 'reply': {'text': 'x'}}]}        | steps[0].times: must be a whole number",
        "{'steps': [{'model': ' ', 'reply': {'text': 'x'}}]}        | steps[0].model: cannot be blank",
        "{'steps': [{'reply': {'error': {'status': 200, 'message': 'm'}}}]} | steps[0].reply.error.status: must be 400 to 599, not 200",
        "{'steps': [{'reply': {'error': {'status': 500}}}]}         | steps[0].reply.error: \"message\" is missing",
        "{'steps': [{'reply': {'rateLimited': {'retryAfterMs': -1}}}]} | steps[0].reply.rateLimited.retryAfterMs: must be 0 to 3600000, not -1",
        "{'steps': [{'reply': {'toolCalls': []}}]}                  | steps[0].reply.toolCalls: must hold at least one call",
        "{'steps': [{'reply': {'toolCalls': [{'name': 'c', 'arguments': 5}]}}]} | steps[0].reply.toolCalls[0].arguments: must be a JSON object or a string",
        "{'steps': [{'reply': {'text': 'x', 'usage': {'input': 1}}}]} | steps[0].reply.usage: \"output\" is missing",
        "{'steps': [{'anyOrder': []}]}                              | steps[0].anyOrder: must hold at least one step",
        "{'steps': [{'anyOrder': [{'reply': {'text': 'x'}}], 'times': 2}]} | steps[0]: unknown key \"times\"",
        "{'steps': [{'reply': {'dropConnection': false}}]}          | steps[0].reply.dropConnection: must be true",
        "{'always': {'text': 'x', 'delayMs': 'soon'}}               | always.delayMs: must be a whole number",
      })
  void everyMistakeIsPointedAt(String json, String expected) throws IOException {
    Path script = write(json.strip());
    assertThatThrownBy(() -> ScriptedModelServer.start(script))
        .isInstanceOf(KodoException.class)
        .hasMessageStartingWith("model script " + script + ": ")
        .hasMessageContaining(expected.strip());
  }

  @Test
  void aSyntaxErrorNamesLineAndColumn() throws IOException {
    Path script = write("{\n  'steps': [\n    {'reply': {'text': 'x'},\n  ]\n}");
    assertThatThrownBy(() -> ScriptedModelServer.start(script))
        .isInstanceOf(KodoException.class)
        .hasMessageContaining("model script " + script + ": line ")
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void aMissingFileSaysSo() {
    Path missing = dir.resolve("nope.json");
    assertThatThrownBy(() -> ScriptedModelServer.start(missing))
        .isInstanceOf(KodoException.class)
        .hasMessageContaining("model script " + missing + ": cannot read it");
  }
}
