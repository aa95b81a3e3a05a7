package dev.kodo.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Consumer;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A client of one node's HTTP API (DESIGN §5). Thread-safe; one instance per node is enough.
 *
 * <pre>{@code
 * NodeClient node = NodeClient.connect("http://127.0.0.1:3370");
 * RunDocument run = node.launch("dev.kodo.examples.Countdown", Map.of("steps", 3));
 * node.stream(run.fid(), 0, event -> System.out.println(event.type()));
 * }</pre>
 */
public final class NodeClient {
  private final URI base;
  private final HttpClient http;

  private NodeClient(URI base, HttpClient http) {
    this.base = base;
    this.http = http;
  }

  public static NodeClient connect(String url) {
    Check.notBlank(url, "node url");
    String u = url.strip().replaceAll("/+$", "");
    URI uri;
    try {
      uri = URI.create(u);
    } catch (IllegalArgumentException e) {
      throw new KodoException("'" + url + "' is not a node URL: " + e.getMessage());
    }
    if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null
        || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new KodoException("'" + url + "' is not a node URL: expected http://host:port (optionally with a path prefix)");
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
    return new NodeClient(uri, http);
  }

  public URI url() {
    return base;
  }

  public JsonNode state() {
    return get("/api/state", JsonNode.class);
  }

  public Page<FlowInfo> flows() {
    return get("/api/flows?pp=1000", new TypeReference<Page<FlowInfo>>() {});
  }

  public FlowInfo flow(String path) {
    return get("/api/flows/" + encode(path), FlowInfo.class);
  }

  public RunDocument launch(String flow, Map<String, ?> inputs) {
    String body = Json.write(Map.of("flow", flow, "inputs", inputs));
    return send(post("/api/runs", body), RunDocument.class);
  }

  public RunDocument run(String fid) {
    return get("/api/runs/" + encode(fid), RunDocument.class);
  }

  /** Lists runs; {@code params} are the query parameters of DESIGN §5 ({@code state}, {@code flow}, {@code p}, …). */
  public Page<RunDocument> runs(Map<String, String> params) {
    StringJoiner q = new StringJoiner("&", "?", "");
    params.forEach((k, v) -> q.add(encode(k) + "=" + encode(v)));
    return get("/api/runs" + (params.isEmpty() ? "" : q), new TypeReference<Page<RunDocument>>() {});
  }

  public EventsPage events(String fid, long after, int limit) {
    return get("/api/runs/" + encode(fid) + "/events?after=" + after + "&limit=" + limit, EventsPage.class);
  }

  /**
   * Follows a run's live stream, handing each event to {@code sink} in order, and returns when
   * the stream ends (after {@code final}, {@code fatal} or {@code kill}) with the last seq seen.
   * Starts after {@code after} (0 for the whole log).
   */
  public long stream(String fid, long after, Consumer<Event> sink) {
    HttpRequest request = request("/api/runs/" + encode(fid) + "/stream")
        .setHeader("Accept", "text/event-stream")
        .header("Last-Event-ID", Long.toString(after))
        .GET().build();
    HttpResponse<InputStream> response = exchange(request, HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() >= 400) {
      try (InputStream in = response.body()) {
        throw problem(response.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw KodoException.retryable("stream of run " + fid + " failed: " + e.getMessage(), e);
      }
    }
    long last = after;
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      // SSE framing: an event's data lines are joined with newlines and dispatched at a blank
      // line; comments (":…") and the other fields (id, event, retry) are not needed here.
      StringBuilder data = new StringBuilder();
      boolean hasData = false;
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isEmpty()) {
          if (hasData) {
            Event event = Json.read(data.toString(), Event.class);
            data.setLength(0);
            hasData = false;
            last = event.seq();
            sink.accept(event);
          }
        } else if (line.startsWith("data:") || line.equals("data")) {
          if (hasData) {
            data.append('\n');
          }
          data.append(line.startsWith("data: ") ? line.substring(6) : line.substring(Math.min(5, line.length())));
          hasData = true;
        }
      }
    } catch (IOException e) {
      throw KodoException.retryable("stream of run " + fid + " broke after seq " + last + ": " + e.getMessage(), e);
    }
    return last;
  }

  /**
   * The demand of a run's open lock (DESIGN §4): {@code {lid, demand:{title, markdown, schema,
   * form}, expires, fid, links}}. A {@link NodeException} with 404 once the lock is released.
   */
  public JsonNode demand(String fid, String lid) {
    return get(lockPath(fid, lid), JsonNode.class);
  }

  /**
   * Answers a run's open lock with {@code values} and waits for the flow's verdict: returns {@code
   * {fid, lid, cid, accepted}} if the flow accepted the answer. Otherwise throws a {@link
   * NodeException}: 422 denied (the flow's reasons per field in {@link Problem#errors()}; the lock
   * stays open), 504 the flow did not answer in time, 404 unknown or closed lock, 409 the run is
   * not locked.
   */
  public JsonNode answer(String fid, String lid, Map<String, ?> values) {
    return send(post(lockPath(fid, lid), Json.write(values)), JsonNode.class);
  }

  /** Kills a pending or locked run and returns its document (409 if it has ended). */
  public RunDocument kill(String fid) {
    return send(post(runPath(fid) + "/kill", ""), RunDocument.class);
  }

  /** Launches a new run of the same flow with a copy of the run's inputs; returns the new run. */
  public RunDocument restart(String fid) {
    return send(post(runPath(fid) + "/restart", ""), RunDocument.class);
  }

  /** Acknowledges a finished run and returns its document (409 if it has not finished). */
  public RunDocument acknowledge(String fid) {
    return send(post(runPath(fid) + "/ack", ""), RunDocument.class);
  }

  /** Deletes a finished run and all its data (409 if it has not finished). */
  public void delete(String fid) {
    body(request(runPath(fid)).DELETE().build());
  }

  /**
   * Shares a run with users or groups at {@code level} ({@code basic}, {@code advanced}, {@code
   * full}) in {@code mode} ({@code r}, {@code x}); returns the run document with its {@code
   * shares}. A {@link NodeException} with 400 names each bad field.
   */
  public RunDocument share(String fid, List<String> subjects, String level, String mode) {
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("subjects", subjects);
    body.put("level", level);
    body.put("mode", mode);
    return send(post(runPath(fid) + "/share", Json.write(body)), RunDocument.class);
  }

  /**
   * The node's cleanup: with {@code apply} false, which finished runs it would remove now; with
   * {@code apply} true, removes them. Answers {@code {removed, acknowledgedAfter, finishedAfter,
   * count, items:[{fid, flow, state, finished, acknowledged, reason}]}}.
   */
  public JsonNode cleanup(boolean apply) {
    return apply ? send(post("/api/cleanup", ""), JsonNode.class) : get("/api/cleanup", JsonNode.class);
  }

  /** Sends a GET to any path of the node and returns the JSON it answers. */
  public JsonNode getJson(String pathAndQuery) {
    return get(pathAndQuery, JsonNode.class);
  }

  /** Sends a POST with a JSON body to any path of the node and returns the JSON it answers. */
  public JsonNode postJson(String path, Object body) {
    return send(post(path, Json.write(body)), JsonNode.class);
  }

  private <T> T get(String path, Class<T> type) {
    return Json.mapper().readValue(body(request(path).GET().build()), type);
  }

  private <T> T get(String path, TypeReference<T> type) {
    return Json.mapper().readValue(body(request(path).GET().build()), type);
  }

  private <T> T send(HttpRequest request, Class<T> type) {
    return Json.mapper().readValue(body(request), type);
  }

  private HttpRequest post(String path, String json) {
    return request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build();
  }

  private HttpRequest.Builder request(String path) {
    // Appended, not resolved: a node behind a path prefix (http://proxy/kodo) keeps its prefix.
    return HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "application/json");
  }

  private String body(HttpRequest request) {
    HttpResponse<String> response = exchange(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 400) {
      throw problem(response.statusCode(), response.body());
    }
    return response.body();
  }

  private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(request, handler);
    } catch (ConnectException e) {
      throw KodoException.retryable("no node answers at " + base + " (is `koco serve` running?)", e);
    } catch (IOException e) {
      throw KodoException.retryable(request.method() + " " + request.uri() + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KodoException("interrupted while calling " + request.uri(), e);
    }
  }

  private static NodeException problem(int status, String body) {
    Problem p = null;
    try {
      JsonNode n = Json.read(body);
      if (n instanceof ObjectNode o && (o.has("title") || o.has("detail") || o.has("errors"))) {
        if (!o.path("status").isNumber()) {
          o.put("status", status);
        }
        p = Json.convert(o, Problem.class);
      }
    } catch (RuntimeException notAProblem) {
      // not JSON, or JSON that is no problem document: kept as text below
    }
    if (p == null) {
      // A proxy's or a framework's own error page: keep what it said.
      p = new Problem("about:blank", "HTTP " + status, status, body, null, List.of());
    }
    return new NodeException(p);
  }

  private static String runPath(String fid) {
    return "/api/runs/" + encode(fid);
  }

  private static String lockPath(String fid, String lid) {
    return runPath(fid) + "/locks/" + encode(lid);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
