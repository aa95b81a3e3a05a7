package dev.kodo.node;

import dev.kodo.client.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/** HTTP to one node with a bearer token (or none), for the tests of who may do what. */
final class AuthHttp {
  private final String base;

  AuthHttp(String base) {
    this.base = base;
  }

  String base() {
    return base;
  }

  HttpResponse<String> call(String method, String path, String token, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (token != null) b.header("Authorization", "Bearer " + token);
    if (body != null) {
      b.header("Content-Type", "application/json").header("X-Kodo-Client", "test");
      b.method(method, HttpRequest.BodyPublishers.ofString(body));
    } else if (!method.equals("GET")) {
      b.header("X-Kodo-Client", "test").method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.GET();
    }
    return NodeTestSupport.send(b.build());
  }

  HttpResponse<String> get(String path, String token) {
    return call("GET", path, token, null);
  }

  /** Launches a flow as {@code token}'s caller; its fid (fails unless 201). */
  String launch(String token, String flow, String inputs) {
    HttpResponse<String> r =
        call("POST", "/api/runs", token, "{\"flow\":\"" + flow + "\",\"inputs\":" + inputs + "}");
    if (r.statusCode() != 201) {
      throw new AssertionError("launch of " + flow + ": " + r.statusCode() + " " + r.body());
    }
    return Json.read(r.body()).path("fid").asString();
  }

  /** Polls the run (as {@code token}'s caller) until {@code condition} holds, for 30 s at most. */
  JsonNode await(String fid, String token, Predicate<JsonNode> condition) throws Exception {
    return NodeTestSupport.await(
        "run " + fid,
        () -> {
          HttpResponse<String> r = get("/api/runs/" + fid, token);
          if (r.statusCode() != 200) return null;
          JsonNode doc = Json.read(r.body());
          return condition.test(doc) ? doc : null;
        });
  }

  static boolean finished(JsonNode doc) {
    String s = doc.path("state").asString();
    return s.equals("done") || s.equals("error") || s.equals("killed");
  }

  static boolean locked(JsonNode doc) {
    return doc.path("state").asString().equals("locked") && doc.path("links").has("lock");
  }
}
