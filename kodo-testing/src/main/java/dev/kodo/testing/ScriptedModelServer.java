package dev.kodo.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kodo.client.Check;
import dev.kodo.client.Json;
import dev.kodo.client.KodoException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An OpenAI-compatible chat model server on a loopback port, answering from a script, so that crews
 * and LangChain4j flows run offline in tests through the real client code.
 *
 * <pre>{@code
 * try (ScriptedModelServer models = ScriptedModelServer.start()) {
 *   models.expect(ModelStep.containing("Study ACME")
 *       .reply(ModelReply.toolCall("calculator", "{\"expression\":\"2+2\"}")));
 *   models.expect(ModelStep.any().reply(ModelReply.text("4 facts").usage(12, 5)));
 *   models.always(ModelReply.text("ok"));          // every request after the script
 *   String baseUrl = models.baseUrl();              // http://127.0.0.1:PORT/v1
 *   // … run the crew with base_url: baseUrl …
 *   models.verify();                                // every step used, nothing unexpected
 * }
 * }</pre>
 *
 * <p>It serves {@code POST {baseUrl}/chat/completions} (plain and {@code "stream": true} as
 * server-sent events) and {@code GET {baseUrl}/models} (the model names the steps name). Steps are
 * used in the order they were added; {@link #expectInAnyOrder} adds a group of steps that
 * concurrent callers (a parallel crew) may use in any order. A request no step accepts, a body that
 * is not a chat completion request, an unknown path or a missing API key (see {@link
 * #requireApiKey}) answers 400 (404, 405, 401, 413) with an OpenAI error body that names what was
 * expected, and is remembered so that {@link #verify()} fails with the same message.
 *
 * <p>Bounded: a request body over 4 MiB answers 413, at most 256 requests are served at once (more
 * answer 503), the first 2,000 requests are kept for {@link #requests()}. No key is ever kept or
 * shown: requests are recorded without their headers.
 *
 * <p>Thread-safe: parallel callers are served concurrently, each on a virtual thread, and the
 * script may be extended while requests arrive. {@link #close()} frees the port at once and cuts
 * any delayed reply in progress (its connection is closed without an answer). The JSON script
 * format for {@link #start(Path)} is described in docs/flows.md, "Testing with a scripted model
 * server".
 */
public final class ScriptedModelServer implements AutoCloseable {
  static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
  static final int MAX_CONCURRENT = 256;
  static final int MAX_RECORDED = 2_000;
  static final int MAX_UNEXPECTED = 100;

  private final HttpServer server;
  private final ExecutorService executor;
  private final CountDownLatch closing = new CountDownLatch(1);
  private final Semaphore slots = new Semaphore(MAX_CONCURRENT);
  private final String baseUrl;

  // guarded by this
  private final List<List<Slot>> groups = new ArrayList<>();
  private final Set<String> advertised = new LinkedHashSet<>();
  private final List<ScriptedRequest> recorded = new ArrayList<>();
  private final List<String> unexpected = new ArrayList<>();
  private int cursor;
  private int stepCount;
  private int requestCount;
  private int unexpectedCount;
  private ModelReply always;
  private String apiKey;
  private boolean closed;

  /** One step of the script and how many more times it may be used. */
  private static final class Slot {
    final int number;
    final ModelStep step;
    int remaining;

    Slot(int number, ModelStep step) {
      this.number = number;
      this.step = step;
      this.remaining = step.times();
    }

    String describe() {
      return "step " + number + ": " + step;
    }
  }

  private ScriptedModelServer() throws IOException {
    InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    server = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
    executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    baseUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /** Starts a server with an empty script on an ephemeral port of 127.0.0.1. */
  public static ScriptedModelServer start() {
    try {
      return new ScriptedModelServer();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the scripted model server on 127.0.0.1", e);
    }
  }

  /**
   * Starts a server with the script in a JSON file (format: docs/flows.md, "Testing with a scripted
   * model server").
   *
   * @throws KodoException naming the file and the place in it if the script is not valid
   */
  public static ScriptedModelServer start(Path script) {
    ModelScriptFile.Script parsed = ModelScriptFile.load(Check.notNull(script, "script"));
    ScriptedModelServer server = start();
    parsed.applyTo(server);
    return server;
  }

  /** The base URL to give an OpenAI client: {@code http://127.0.0.1:PORT/v1}. */
  public String baseUrl() {
    return baseUrl;
  }

  /** The port the server listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Adds a step at the end of the script. */
  public synchronized ScriptedModelServer expect(ModelStep step) {
    return expectInAnyOrder(step);
  }

  /**
   * Adds a group of steps at the end of the script that may be used in any order: a request goes to
   * the first step of the group that accepts it and is not used up. The script moves on once all of
   * them are used up. For parallel crews, whose calls arrive in no fixed order.
   */
  public synchronized ScriptedModelServer expectInAnyOrder(ModelStep... steps) {
    Check.notNull(steps, "steps");
    Check.that(steps.length > 0, "steps cannot be empty");
    List<Slot> group = new ArrayList<>();
    for (ModelStep step : steps) {
      Check.notNull(step, "step");
      Check.that(step.replyOrNull() != null, "step has no reply: " + step);
      group.add(new Slot(++stepCount, step));
      if (step.modelName() != null) {
        advertised.add(step.modelName());
      }
    }
    groups.add(group);
    return this;
  }

  /**
   * Answers {@code reply} to every request once the script is used up (without it, such a request
   * is unexpected). Replaces an earlier fallback.
   */
  public synchronized ScriptedModelServer always(ModelReply reply) {
    always = Check.notNull(reply, "reply");
    return this;
  }

  /** Lists these model names in {@code GET {baseUrl}/models} besides those the steps name. */
  public synchronized ScriptedModelServer advertise(String... models) {
    for (String model : Check.notNull(models, "models")) {
      advertised.add(Check.notBlank(model, "model"));
    }
    return this;
  }

  /**
   * Accepts only requests carrying {@code Authorization: Bearer <apiKey>}; others answer 401 like
   * OpenAI and are unexpected. The key is never shown in any message.
   */
  public synchronized ScriptedModelServer requireApiKey(String apiKey) {
    this.apiKey = Check.notBlank(apiKey, "API key");
    return this;
  }

  /** The chat completion requests received so far, in order (the first 2,000). */
  public synchronized List<ScriptedRequest> requests() {
    return List.copyOf(recorded);
  }

  /** How many requests arrived so far, recorded or not, expected or not. */
  public synchronized int requestCount() {
    return requestCount;
  }

  /**
   * Checks that every step of the script was used as often as expected and that no request was
   * unexpected.
   *
   * @throws AssertionError naming each unexpected request with what was expected instead, and each
   *     step not used up
   */
  public synchronized void verify() {
    List<String> unused = new ArrayList<>();
    for (List<Slot> group : groups) {
      for (Slot slot : group) {
        if (slot.remaining > 0) {
          unused.add(
              slot.describe()
                  + " (used "
                  + (slot.step.times() - slot.remaining)
                  + " of "
                  + slot.step.times()
                  + " times)");
        }
      }
    }
    if (unexpectedCount == 0 && unused.isEmpty()) {
      return;
    }
    StringBuilder message = new StringBuilder("scripted model server ").append(baseUrl);
    if (unexpectedCount > 0) {
      message.append("\n  ").append(unexpectedCount).append(" unexpected request(s):");
      unexpected.forEach(u -> message.append("\n    - ").append(u));
      if (unexpectedCount > unexpected.size()) {
        message
            .append("\n    - … and ")
            .append(unexpectedCount - unexpected.size())
            .append(" more");
      }
    }
    if (!unused.isEmpty()) {
      message.append("\n  ").append(unused.size()).append(" step(s) not used up:");
      unused.forEach(u -> message.append("\n    - ").append(u));
    }
    throw new AssertionError(message.toString());
  }

  /**
   * Stops the server: frees the port, cuts delayed replies in progress (their connections close
   * without an answer) and returns without waiting for them beyond a moment. Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // --- serving ---

  /** What the script says to a request: a reply, or why the request was unexpected. */
  private record Decision(ModelReply reply, String unexpected) {}

  private void handle(HttpExchange exchange) {
    try (exchange) {
      if (!slots.tryAcquire()) {
        refuse(
            exchange,
            503,
            "server_error",
            "too_many_requests",
            "more than " + MAX_CONCURRENT + " requests at once");
        return;
      }
      try {
        serve(exchange);
      } catch (RuntimeException e) {
        // a bug of the server's own: answer it as such (if still possible) and fail verify()
        String message = "the scripted model server failed: " + e;
        remember(message);
        if (exchange.getResponseCode() == -1) {
          sendJson(exchange, 500, errorBody(message, "server_error", null));
        }
      } finally {
        slots.release();
      }
    } catch (IOException e) {
      // the client went away or close() cut the connection: nothing to answer
    }
  }

  private void serve(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    String where = method + " " + ScriptedRequest.shorten(path, 200);
    boolean chat = path.equals("/v1/chat/completions");
    boolean models = path.equals("/v1/models");
    if (!chat && !models) {
      refuse(
          exchange,
          404,
          "invalid_request_error",
          "unknown_url",
          where
              + ": unknown path; the server serves POST "
              + baseUrl
              + "/chat/completions and GET "
              + baseUrl
              + "/models (is the client's base URL "
              + baseUrl
              + "?)");
      return;
    }
    String allowed = chat ? "POST" : "GET";
    if (!method.equals(allowed)) {
      exchange.getResponseHeaders().set("Allow", allowed);
      refuse(
          exchange,
          405,
          "invalid_request_error",
          "method_not_allowed",
          where + ": method not allowed, use " + allowed);
      return;
    }
    if (models) {
      sendJson(exchange, 200, modelList());
      return;
    }
    byte[] body = readBody(exchange, where);
    if (body == null) {
      return;
    }
    String json = new String(body, StandardCharsets.UTF_8);
    JsonNode tree;
    try {
      tree = Json.read(json);
    } catch (JacksonException e) {
      refuse(
          exchange,
          400,
          "invalid_request_error",
          "invalid_json",
          where
              + ": the body is not valid JSON: "
              + ScriptedRequest.shorten(String.valueOf(e.getOriginalMessage()), 200));
      return;
    }
    String shapeError = shapeError(tree);
    if (shapeError != null) {
      refuse(exchange, 400, "invalid_request_error", "invalid_request", where + ": " + shapeError);
      return;
    }
    ScriptedRequest request;
    boolean keyMissing;
    Decision decision;
    synchronized (this) {
      request = ScriptedRequest.of(++requestCount, tree, json);
      if (recorded.size() < MAX_RECORDED) {
        recorded.add(request);
      }
      keyMissing = apiKey != null && !("Bearer " + apiKey).equals(authorization(exchange));
      decision = keyMissing ? null : decide(request);
    }
    String label = "request #" + request.number() + " (" + request.summary() + ")";
    if (keyMissing) {
      remember(label + ": no or another API key in its Authorization header");
      sendJson(
          exchange,
          401,
          errorBody(
              "Incorrect API key provided (scripted model server)",
              "invalid_request_error",
              "invalid_api_key"));
      return;
    }
    if (decision.unexpected() != null) {
      String message = label + ": " + decision.unexpected();
      remember(message);
      sendJson(
          exchange,
          400,
          errorBody("unexpected " + message, "invalid_request_error", "unexpected_request"));
      return;
    }
    reply(exchange, tree, request, decision.reply());
  }

  private static String authorization(HttpExchange exchange) {
    return exchange.getRequestHeaders().getFirst("Authorization");
  }

  /** Why a parsed body is no chat completion request, or null if it is one. */
  private static String shapeError(JsonNode tree) {
    if (tree == null || tree.isMissingNode()) {
      return "the body is empty";
    }
    if (!tree.isObject()) {
      return "the body must be a JSON object, not "
          + tree.getNodeType().toString().toLowerCase(Locale.ROOT);
    }
    if (!tree.path("model").isString() || tree.path("model").asString().isBlank()) {
      return "\"model\" must be a non-empty string";
    }
    JsonNode messages = tree.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      return "\"messages\" must be a non-empty array";
    }
    for (int i = 0; i < messages.size(); i++) {
      if (!messages.get(i).path("role").isString()) {
        return "\"messages[" + i + "].role\" must be a string";
      }
    }
    JsonNode stream = tree.path("stream");
    if (!stream.isMissingNode() && !stream.isNull() && !stream.isBoolean()) {
      return "\"stream\" must be true or false";
    }
    return null;
  }

  /** The script's answer; called holding the lock. */
  private Decision decide(ScriptedRequest request) {
    while (cursor < groups.size()
        && groups.get(cursor).stream().allMatch(slot -> slot.remaining == 0)) {
      cursor++;
    }
    if (cursor < groups.size()) {
      List<Slot> group = groups.get(cursor);
      for (Slot slot : group) {
        if (slot.remaining > 0 && slot.step.accepts(request)) {
          slot.remaining--;
          return new Decision(slot.step.replyOrNull(), null);
        }
      }
      List<String> open =
          group.stream().filter(slot -> slot.remaining > 0).map(Slot::describe).toList();
      return new Decision(
          null,
          "no step accepts it; expected "
              + (open.size() == 1 ? open.getFirst() : "one of " + String.join("; ", open)));
    }
    if (always != null) {
      return new Decision(always, null);
    }
    return new Decision(
        null,
        "the script is used up ("
            + stepCount
            + " step(s)) and no fallback is set (ScriptedModelServer.always)");
  }

  private synchronized void remember(String message) {
    unexpectedCount++;
    if (unexpected.size() < MAX_UNEXPECTED) {
      unexpected.add(message);
    }
  }

  /**
   * Reads the body, at most {@link #MAX_BODY_BYTES}; answers 413 and returns null past that. The
   * rest of a too large body is read and dropped (up to 64 MiB) so that the client, still sending,
   * gets the 413 rather than a reset connection.
   */
  private byte[] readBody(HttpExchange exchange, String where) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        long dropped = 0;
        byte[] sink = new byte[64 * 1024];
        for (int n; dropped < 64L * 1024 * 1024 && (n = in.read(sink)) > 0; ) {
          dropped += n;
        }
      }
    }
    if (body.length > MAX_BODY_BYTES) {
      refuse(
          exchange,
          413,
          "invalid_request_error",
          "request_too_large",
          where + ": the body is larger than " + MAX_BODY_BYTES + " bytes (4 MiB)");
      return null;
    }
    return body;
  }

  /** Answers an error and remembers it as unexpected. */
  private void refuse(HttpExchange exchange, int status, String type, String code, String message)
      throws IOException {
    remember(message);
    sendJson(exchange, status, errorBody(message, type, code));
  }

  private synchronized ObjectNode modelList() {
    ObjectNode list = Json.object().put("object", "list");
    ArrayNode data = list.putArray("data");
    for (String name : advertised) {
      data.addObject()
          .put("id", name)
          .put("object", "model")
          .put("created", 0)
          .put("owned_by", "kodo-scripted");
    }
    return list;
  }

  static ObjectNode errorBody(String message, String type, String code) {
    ObjectNode body = Json.object();
    body.putObject("error")
        .put("message", message)
        .put("type", type)
        .putNull("param")
        .put("code", code);
    return body;
  }

  private static String errorType(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 429 -> "rate_limit_error";
      default -> status >= 500 ? "server_error" : "invalid_request_error";
    };
  }

  private void reply(HttpExchange exchange, JsonNode body, ScriptedRequest request, ModelReply r)
      throws IOException {
    if (!pause(r.delay()) || r.status() == ModelReply.DROP) {
      return;
    }
    if (r.status() == 429) {
      long millis = r.retryAfter().orElseThrow().toMillis();
      exchange.getResponseHeaders().set("Retry-After", Long.toString((millis + 999) / 1000));
      exchange.getResponseHeaders().set("retry-after-ms", Long.toString(millis));
      sendJson(exchange, 429, errorBody(r.errorMessage(), "requests", "rate_limit_exceeded"));
      return;
    }
    if (r.isError()) {
      sendJson(exchange, r.status(), errorBody(r.errorMessage(), errorType(r.status()), null));
      return;
    }
    String id = "chatcmpl-scripted-" + request.number();
    long created = Instant.now().getEpochSecond();
    ObjectNode usage = usage(request, r);
    if (!request.stream()) {
      ObjectNode answer = completionHead(id, "chat.completion", created, request.model());
      ObjectNode choice = answer.putArray("choices").addObject().put("index", 0);
      ObjectNode message = choice.putObject("message").put("role", "assistant");
      if (r.answerText().isPresent()) {
        message.put("content", r.answerText().get());
      } else {
        message.putNull("content");
      }
      if (!r.calls().isEmpty()) {
        ArrayNode calls = message.putArray("tool_calls");
        for (int i = 0; i < r.calls().size(); i++) {
          ModelReply.ToolCall call = r.calls().get(i);
          ObjectNode c = calls.addObject().put("id", callId(request, i)).put("type", "function");
          c.putObject("function").put("name", call.name()).put("arguments", call.arguments());
        }
      }
      choice.putNull("logprobs").put("finish_reason", r.finishReason());
      answer.set("usage", usage);
      sendJson(exchange, 200, answer);
      return;
    }
    boolean usageChunk = body.path("stream_options").path("include_usage").asBoolean(false);
    List<ObjectNode> chunks = new ArrayList<>();
    chunks.add(
        delta(id, created, request.model(), d -> d.put("role", "assistant").put("content", "")));
    for (String piece : pieces(r.answerText().orElse(""))) {
      chunks.add(delta(id, created, request.model(), d -> d.put("content", piece)));
    }
    for (int i = 0; i < r.calls().size(); i++) {
      ModelReply.ToolCall call = r.calls().get(i);
      int index = i;
      chunks.add(
          delta(
              id,
              created,
              request.model(),
              d -> {
                ObjectNode c =
                    d.putArray("tool_calls")
                        .addObject()
                        .put("index", index)
                        .put("id", callId(request, index))
                        .put("type", "function");
                c.putObject("function").put("name", call.name()).put("arguments", "");
              }));
      String args = call.arguments();
      for (int at = 0; at < args.length(); at += 16) {
        String piece = args.substring(at, Math.min(args.length(), at + 16));
        chunks.add(
            delta(
                id,
                created,
                request.model(),
                d ->
                    d.putArray("tool_calls")
                        .addObject()
                        .put("index", index)
                        .putObject("function")
                        .put("arguments", piece)));
      }
    }
    ObjectNode finish = completionHead(id, "chat.completion.chunk", created, request.model());
    ObjectNode finishChoice = finish.putArray("choices").addObject().put("index", 0);
    finishChoice.putObject("delta");
    finishChoice.putNull("logprobs").put("finish_reason", r.finishReason());
    chunks.add(finish);
    if (usageChunk) {
      ObjectNode last = completionHead(id, "chat.completion.chunk", created, request.model());
      last.putArray("choices");
      last.set("usage", usage);
      chunks.add(last);
    } else {
      finish.set("usage", usage);
    }
    List<byte[]> frames = new ArrayList<>();
    for (ObjectNode chunk : chunks) {
      frames.add(("data: " + Json.write(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8));
    }
    frames.add("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    // The length is announced, so a stream cut by close() ends short of it and the client sees a
    // broken connection; a chunked body would end cleanly when the exchange closes.
    exchange.sendResponseHeaders(200, frames.stream().mapToLong(f -> f.length).sum());
    try (OutputStream out = exchange.getResponseBody()) {
      for (int i = 0; i < frames.size(); i++) {
        if (i > 0 && i < frames.size() - 1 && !pause(r.chunkDelay())) {
          return;
        }
        out.write(frames.get(i));
        out.flush();
      }
    }
  }

  private static String callId(ScriptedRequest request, int index) {
    return "call_" + request.number() + "_" + index;
  }

  private static ObjectNode completionHead(String id, String object, long created, String model) {
    return Json.object()
        .put("id", id)
        .put("object", object)
        .put("created", created)
        .put("model", model)
        .put("system_fingerprint", "kodo-scripted");
  }

  private static ObjectNode delta(
      String id, long created, String model, Consumer<ObjectNode> fill) {
    ObjectNode chunk = completionHead(id, "chat.completion.chunk", created, model);
    ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
    fill.accept(choice.putObject("delta"));
    choice.putNull("logprobs").putNull("finish_reason");
    return chunk;
  }

  /** The text in streamed pieces: word by word, each piece keeping the spaces that follow it. */
  static List<String> pieces(String text) {
    List<String> pieces = new ArrayList<>();
    int start = 0;
    for (int i = 1; i <= text.length(); i++) {
      if (i == text.length()
          || (Character.isWhitespace(text.charAt(i - 1))
              && !Character.isWhitespace(text.charAt(i)))) {
        if (i > start) {
          pieces.add(text.substring(start, i));
        }
        start = i;
      }
    }
    return pieces;
  }

  private static ObjectNode usage(ScriptedRequest request, ModelReply r) {
    int in = r.inputTokens() != null ? r.inputTokens() : estimate(request.text().length());
    int out;
    if (r.outputTokens() != null) {
      out = r.outputTokens();
    } else {
      int chars = r.answerText().map(String::length).orElse(0);
      for (ModelReply.ToolCall call : r.calls()) {
        chars += call.name().length() + call.arguments().length();
      }
      out = estimate(chars);
    }
    return Json.object()
        .put("prompt_tokens", in)
        .put("completion_tokens", out)
        .put("total_tokens", (long) in + out);
  }

  private static int estimate(int chars) {
    return Math.max(1, (chars + 3) / 4);
  }

  /** Waits {@code d}; false if {@link #close()} cut the wait. */
  private boolean pause(Duration d) {
    if (d.isZero()) {
      return closing.getCount() > 0;
    }
    try {
      return !closing.await(d.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void sendJson(HttpExchange exchange, int status, JsonNode body)
      throws IOException {
    byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
