package dev.kodo.agents;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kodo.client.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A tiny OpenAI-compatible chat-completions server on a loopback port for these tests: answers each
 * request with the next scripted reply (200 with text and usage, an error with headers, a slow
 * answer, a stream) and records what it was asked. A stand-in until kodo-testing's scripted model
 * server is merged.
 */
final class ChatCompletionsFixture implements AutoCloseable {
  private final HttpServer server;
  private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Set<Thread> handlers = ConcurrentHashMap.newKeySet();

  /** One request as received. */
  record Request(String path, Map<String, List<String>> headers, String body) {
    String authorization() {
      List<String> v = headers.get("Authorization");
      return v == null ? null : v.getFirst();
    }
  }

  /** One scripted reply. */
  record Reply(
      int status, Map<String, String> headers, String body, long delayMillis, List<String> stream) {
    static Reply text(String text, int in, int out) {
      return new Reply(200, Map.of(), completion(text, in, out), 0, null);
    }

    static Reply error(int status, String message, Map<String, String> headers) {
      return new Reply(
          status,
          headers,
          Json.write(Map.of("error", Map.of("message", message, "type", "test_error"))),
          0,
          null);
    }

    static Reply slow(long millis, String text) {
      return new Reply(200, Map.of(), completion(text, 1, 1), millis, null);
    }

    static Reply stream(List<String> tokens) {
      return new Reply(200, Map.of(), null, 0, tokens);
    }
  }

  ChatCompletionsFixture() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  /** The base URL to give a model, ending in {@code /v1}. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  ChatCompletionsFixture then(Reply reply) {
    script.add(reply);
    return this;
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    handlers.add(Thread.currentThread());
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      requests.add(
          new Request(
              exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()), body));
      Reply reply = script.poll();
      if (reply == null) {
        reply = Reply.error(500, "no scripted reply left", Map.of());
      }
      if (reply.delayMillis() > 0) {
        try {
          Thread.sleep(reply.delayMillis());
        } catch (InterruptedException e) {
          return;
        }
      }
      reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      if (reply.stream() != null) {
        stream(exchange, reply.stream());
        return;
      }
      byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(reply.status(), bytes.length);
      exchange.getResponseBody().write(bytes);
    } finally {
      handlers.remove(Thread.currentThread());
    }
  }

  private static void stream(HttpExchange exchange, List<String> tokens) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    for (String t : tokens) {
      Map<String, Object> chunk =
          Map.of(
              "id", "chatcmpl-1",
              "object", "chat.completion.chunk",
              "created", 1,
              "model", "gpt-4o-mini",
              "choices", List.of(Map.of("index", 0, "delta", Map.of("content", t))));
      out.write(("data: " + Json.write(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8));
    }
    List<Object> last = new ArrayList<>();
    last.add(Map.of("index", 0, "delta", Map.of(), "finish_reason", "stop"));
    Map<String, Object> end =
        Map.of(
            "id",
            "chatcmpl-1",
            "object",
            "chat.completion.chunk",
            "created",
            1,
            "model",
            "gpt-4o-mini",
            "choices",
            last,
            "usage",
            Map.of(
                "prompt_tokens",
                7,
                "completion_tokens",
                tokens.size(),
                "total_tokens",
                7 + tokens.size()));
    out.write(
        ("data: " + Json.write(end) + "\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static String completion(String text, int in, int out) {
    return Json.write(
        Map.of(
            "id",
            "chatcmpl-1",
            "object",
            "chat.completion",
            "created",
            1,
            "model",
            "gpt-4o-mini",
            "choices",
            List.of(
                Map.of(
                    "index",
                    0,
                    "message",
                    Map.of("role", "assistant", "content", text),
                    "finish_reason",
                    "stop")),
            "usage",
            Map.of("prompt_tokens", in, "completion_tokens", out, "total_tokens", in + out)));
  }

  @Override
  public void close() {
    server.stop(0);
    handlers.forEach(Thread::interrupt);
  }
}
