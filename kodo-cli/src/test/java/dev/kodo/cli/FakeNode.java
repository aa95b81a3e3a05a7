package dev.kodo.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for a node on a loopback port that answers each {@code METHOD /path} with scripted
 * answers, in turn (the last one repeats), and keeps the requests it received. For the answers a
 * real node gives only with effort (504, a race lost).
 */
final class FakeNode implements AutoCloseable {
  record Answer(int status, String body) {}

  /** A request as received; {@code authorization} is its Authorization header, or null. */
  record Request(String method, String path, String body, String authorization) {}

  private final HttpServer server;
  private final Map<String, Deque<Answer>> answers = new ConcurrentHashMap<>();
  final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

  FakeNode() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String key = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
          requests.add(
              new Request(
                  exchange.getRequestMethod(),
                  exchange.getRequestURI().getPath(),
                  body,
                  exchange.getRequestHeaders().getFirst("Authorization")));
          Deque<Answer> queue = answers.get(key);
          Answer a;
          synchronized (this) {
            a =
                queue == null
                    ? new Answer(
                        404, "{\"title\":\"not found\",\"status\":404,\"detail\":\"" + key + "\"}")
                    : queue.size() > 1 ? queue.poll() : queue.peek();
          }
          byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
          exchange
              .getResponseHeaders()
              .add(
                  "Content-Type",
                  a.status() >= 400 ? "application/problem+json" : "application/json");
          exchange.sendResponseHeaders(a.status(), a.status() == 204 ? -1 : bytes.length);
          if (a.status() != 204) {
            exchange.getResponseBody().write(bytes);
          }
          exchange.close();
        });
    server.start();
  }

  /** Answers {@code METHOD path} with these, one per request, the last one from then on. */
  FakeNode on(String method, String path, Answer... in) {
    answers.put(method + " " + path, new ArrayDeque<>(List.of(in)));
    return this;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The Authorization header of each {@code METHOD path} received, in order ("none" if absent). */
  List<String> authorizations(String method, String path) {
    synchronized (requests) {
      return requests.stream()
          .filter(r -> r.method().equals(method) && r.path().equals(path))
          .map(r -> r.authorization() == null ? "none" : r.authorization())
          .toList();
    }
  }

  List<String> bodies(String method, String path) {
    synchronized (requests) {
      return requests.stream()
          .filter(r -> r.method().equals(method) && r.path().equals(path))
          .map(Request::body)
          .toList();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
