package dev.kodo.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Consumer;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

/**
 * A client of one node's HTTP API (docs/http-api.md#node). Thread-safe; one instance per node is
 * enough.
 *
 * <pre>{@code
 * NodeClient node = NodeClient.connect("http://127.0.0.1:3370");
 * RunDocument run = node.launch("dev.kodo.examples.Countdown", Map.of("steps", 3));
 * node.stream(run.fid(), 0, event -> System.out.println(event.type()));
 * }</pre>
 */
public final class NodeClient {
  private final JsonHttp http;

  private NodeClient(JsonHttp http) {
    this.http = http;
  }

  /** A client of the node at {@code url} that sends no token (for a node with auth off). */
  public static NodeClient connect(String url) {
    return connect(url, TokenSupplier.none());
  }

  /**
   * A client of the node at {@code url} that sends the bearer token {@code tokens} gives; a 401 is
   * a {@link NotAuthenticatedException} (docs/security.md#the-command-line-and-its-tokens).
   */
  public static NodeClient connect(String url, TokenSupplier tokens) {
    return new NodeClient(JsonHttp.connect(url, "node", "is `koco serve` running?", tokens));
  }

  public URI url() {
    return http.base();
  }

  public JsonNode state() {
    return http.get("/api/state", JsonNode.class);
  }

  public Page<FlowInfo> flows() {
    return http.get("/api/flows?pp=1000", new TypeReference<Page<FlowInfo>>() {});
  }

  public FlowInfo flow(String path) {
    return http.get("/api/flows/" + encode(path), FlowInfo.class);
  }

  public RunDocument launch(String flow, Map<String, ?> inputs) {
    String body = Json.write(Map.of("flow", flow, "inputs", inputs));
    return http.send(http.post("/api/runs", body), RunDocument.class);
  }

  public RunDocument run(String fid) {
    return http.get("/api/runs/" + encode(fid), RunDocument.class);
  }

  /**
   * Lists runs; {@code params} are the query parameters of docs/http-api.md#runs ({@code state},
   * {@code flow}, {@code p}, …).
   */
  public Page<RunDocument> runs(Map<String, String> params) {
    StringJoiner q = new StringJoiner("&", "?", "");
    params.forEach((k, v) -> q.add(encode(k) + "=" + encode(v)));
    return http.get(
        "/api/runs" + (params.isEmpty() ? "" : q), new TypeReference<Page<RunDocument>>() {});
  }

  public EventsPage events(String fid, long after, int limit) {
    return http.get(
        "/api/runs/" + encode(fid) + "/events?after=" + after + "&limit=" + limit,
        EventsPage.class);
  }

  /**
   * Follows a run's live stream, handing each event to {@code sink} in order, and returns when the
   * stream ends (after {@code final}, {@code fatal} or {@code kill}) with the last seq seen. Starts
   * after {@code after} (0 for the whole log).
   */
  public long stream(String fid, long after, Consumer<Event> sink) {
    HttpRequest request =
        http.request("/api/runs/" + encode(fid) + "/stream")
            .setHeader("Accept", "text/event-stream")
            .header("Last-Event-ID", Long.toString(after))
            .GET()
            .build();
    HttpResponse<InputStream> response =
        http.exchange(request, HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() >= 400) {
      try (InputStream in = response.body()) {
        throw JsonHttp.problem(
            response.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw KodoException.retryable("stream of run " + fid + " failed: " + e.getMessage(), e);
      }
    }
    long last = after;
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      // SSE framing: an event's data lines are joined with newlines and dispatched at a blank
      // line; comments (":…") and the other fields (id, event, retry) are not needed here.
      StringBuilder data = new StringBuilder();
      boolean hasData = false;
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isEmpty()) {
          if (hasData) {
            Event event = http.read(data.toString(), Event.class);
            data.setLength(0);
            hasData = false;
            last = event.seq();
            sink.accept(event);
          }
        } else if (line.startsWith("data:") || line.equals("data")) {
          if (hasData) {
            data.append('\n');
          }
          data.append(
              line.startsWith("data: ")
                  ? line.substring(6)
                  : line.substring(Math.min(5, line.length())));
          hasData = true;
        }
      }
    } catch (IOException e) {
      throw KodoException.retryable(
          "stream of run " + fid + " broke after seq " + last + ": " + e.getMessage(), e);
    }
    return last;
  }

  /**
   * The demand of a run's open lock (docs/events.md#locks): {@code {lid, demand:{title, markdown,
   * schema, form}, expires, fid, links}}. A {@link NodeException} with 404 once the lock is
   * released.
   */
  public JsonNode demand(String fid, String lid) {
    return http.get(lockPath(fid, lid), JsonNode.class);
  }

  /**
   * Answers a run's open lock with {@code values} and waits for the flow's verdict: returns {@code
   * {fid, lid, cid, accepted}} if the flow accepted the answer. Otherwise throws a {@link
   * NodeException}: 422 denied (the flow's reasons per field in {@link Problem#errors()}; the lock
   * stays open), 504 the flow did not answer in time, 404 unknown or closed lock, 409 the run is
   * not locked.
   */
  public JsonNode answer(String fid, String lid, Map<String, ?> values) {
    return http.send(http.post(lockPath(fid, lid), Json.write(values)), JsonNode.class);
  }

  /** Kills a pending or locked run and returns its document (409 if it has ended). */
  public RunDocument kill(String fid) {
    return http.send(http.post(runPath(fid) + "/kill", ""), RunDocument.class);
  }

  /** Launches a new run of the same flow with a copy of the run's inputs; returns the new run. */
  public RunDocument restart(String fid) {
    return http.send(http.post(runPath(fid) + "/restart", ""), RunDocument.class);
  }

  /** Acknowledges a finished run and returns its document (409 if it has not finished). */
  public RunDocument acknowledge(String fid) {
    return http.send(http.post(runPath(fid) + "/ack", ""), RunDocument.class);
  }

  /** Deletes a finished run and all its data (409 if it has not finished). */
  public void delete(String fid) {
    http.body(http.request(runPath(fid)).DELETE().build());
  }

  /**
   * Shares a run with users or groups at {@code level} ({@code basic}, {@code advanced}, {@code
   * full}) in {@code mode} ({@code r}, {@code x}); returns the run document with its {@code
   * shares}. A {@link NodeException} with 400 names each bad field.
   */
  public RunDocument share(String fid, List<String> subjects, String level, String mode) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("subjects", subjects);
    body.put("level", level);
    body.put("mode", mode);
    return http.send(http.post(runPath(fid) + "/share", Json.write(body)), RunDocument.class);
  }

  /**
   * The node's cleanup: with {@code apply} false, which finished runs it would remove now; with
   * {@code apply} true, removes them. Answers {@code {removed, acknowledgedAfter, finishedAfter,
   * count, items:[{fid, flow, state, finished, acknowledged, reason}]}}.
   */
  public JsonNode cleanup(boolean apply) {
    return apply
        ? http.send(http.post("/api/cleanup", ""), JsonNode.class)
        : http.get("/api/cleanup", JsonNode.class);
  }

  /**
   * Sends a GET to any path of the node and returns its answer read as a {@code type}; an answer
   * that is not one is a {@link KodoException} saying so.
   */
  public <T> T get(String pathAndQuery, TypeReference<T> type) {
    return http.get(pathAndQuery, type);
  }

  /** Sends a GET to any path of the node and returns the JSON it answers. */
  public JsonNode getJson(String pathAndQuery) {
    return http.get(pathAndQuery, JsonNode.class);
  }

  /** Sends a POST with a JSON body to any path of the node and returns the JSON it answers. */
  public JsonNode postJson(String path, Object body) {
    return http.send(http.post(path, Json.write(body)), JsonNode.class);
  }

  private static String runPath(String fid) {
    return "/api/runs/" + encode(fid);
  }

  private static String lockPath(String fid, String lid) {
    return runPath(fid) + "/locks/" + encode(lid);
  }

  private static String encode(String s) {
    return JsonHttp.encode(s);
  }
}
