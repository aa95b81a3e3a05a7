package dev.kodo.agents.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.EventsPage;
import dev.kodo.client.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * A node's HTTP API as far as {@code kodo_flow} uses it (launch, events, lock answers, kill), on a
 * loopback port, with one sub-run whose log the test writes. Not a node: the real one is tested
 * between node processes by the integration tests.
 */
final class FakeNodeServer implements AutoCloseable {
  static final String FID = "0196f1c2-0000-7000-8000-000000000001";

  private final HttpServer server;
  private final List<Event> log = new CopyOnWriteArrayList<>();
  final List<String> requests = new CopyOnWriteArrayList<>();
  final List<String> launches = new CopyOnWriteArrayList<>();
  final List<String> registryQueries = new CopyOnWriteArrayList<>();
  volatile int launchStatus = 201;

  /** The {@code Authorization} header of each request, in order; {@code (none)} where absent. */
  final List<String> authorizations = new CopyOnWriteArrayList<>();

  /** When set, every request without {@code Authorization: Bearer <this>} is answered 401. */
  volatile String requiredToken;

  /** Counted down when the sub-run's events are first read. */
  final CountDownLatch followed = new CountDownLatch(1);

  /** Decides on an answer to a lock: null to accept it, else a 422 problem body. */
  volatile Function<Map<String, Object>, String> verdict = a -> null;

  FakeNodeServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Appends an event to the sub-run's log. */
  synchronized void append(EventType type, Object data) {
    log.add(Event.of(FID, log.size() + 1, Instant.now(), type, Json.write(data)));
  }

  private void handle(HttpExchange x) throws IOException {
    String path = x.getRequestURI().getPath();
    String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    requests.add(x.getRequestMethod() + " " + path);
    String authorization = x.getRequestHeaders().getFirst("Authorization");
    authorizations.add(authorization == null ? "(none)" : authorization);
    if (requiredToken != null && !("Bearer " + requiredToken).equals(authorization)) {
      send(x, 401, "{\"title\":\"Unauthorized\",\"status\":401}");
      return;
    }
    try {
      if (x.getRequestMethod().equals("POST") && path.equals("/api/runs")) {
        launches.add(body);
        if (launchStatus != 201) {
          send(
              x,
              launchStatus,
              "{\"title\":\"Refused\",\"status\":" + launchStatus + ",\"detail\":\"no\"}");
          return;
        }
        send(
            x,
            201,
            Json.write(Map.of("fid", FID, "flow", "x", "acknowledged", false, "events", 0)));
      } else if (path.equals("/api/runs/" + FID + "/events")) {
        long after = Long.parseLong(query(x, "after"));
        List<Event> items = new ArrayList<>();
        for (Event e : log) {
          if (e.seq() > after) {
            items.add(e);
          }
        }
        send(x, 200, Json.write(new EventsPage(FID, items, log.size(), false)));
        followed.countDown();
      } else if (path.startsWith("/api/runs/" + FID + "/locks/")) {
        String lid = path.substring(path.lastIndexOf('/') + 1);
        @SuppressWarnings("unchecked")
        Map<String, Object> answer = Json.read(body, Map.class);
        String denial = verdict.apply(answer);
        if (denial != null) {
          send(x, 422, denial);
          return;
        }
        Map<String, Object> unlock = new LinkedHashMap<>();
        unlock.put("lid", lid);
        unlock.put("cid", "c1");
        append(EventType.UNLOCK, unlock);
        append(
            EventType.FINAL,
            Map.of(
                "result",
                Map.of("format", "markdown", "body", "approved with " + answer),
                "runtime",
                1.0));
        send(x, 200, Json.write(Map.of("fid", FID, "lid", lid, "cid", "c1", "accepted", true)));
      } else if (path.equals("/registry/flows")) {
        registryQueries.add(x.getRequestURI().getQuery());
        send(
            x,
            200,
            Json.write(
                Map.of(
                    "total",
                    2,
                    "filtered",
                    2,
                    "p",
                    0,
                    "pp",
                    100,
                    "items",
                    List.of(
                        registryFlow("offline", "http://127.0.0.1:1", false),
                        registryFlow("beta", url(), true)))));
      } else if (path.equals("/api/runs/" + FID + "/kill")) {
        append(EventType.KILL, Map.of());
        send(
            x,
            200,
            Json.write(Map.of("fid", FID, "flow", "x", "acknowledged", false, "events", 0)));
      } else {
        send(x, 404, "{\"title\":\"Not found\",\"status\":404}");
      }
    } catch (RuntimeException e) {
      send(x, 500, "{\"title\":\"fake node failed\",\"status\":500,\"detail\":\"" + e + "\"}");
    }
  }

  private static Map<String, Object> registryFlow(String node, String url, boolean online) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("node", node);
    f.put("path", "examples.Report");
    f.put("name", "Report");
    f.put("hidden", false);
    f.put("online", online);
    f.put("url", url);
    return f;
  }

  private static String query(HttpExchange x, String name) {
    for (String part : x.getRequestURI().getRawQuery().split("&")) {
      if (part.startsWith(name + "=")) {
        return part.substring(name.length() + 1);
      }
    }
    return "0";
  }

  private static void send(HttpExchange x, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders()
        .set("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
    x.sendResponseHeaders(status, bytes.length);
    x.getResponseBody().write(bytes);
    x.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
