package dev.kodo.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON-over-HTTP exchange that {@link NodeClient} and {@link RegistryClient} share: one base
 * URL, requests that accept JSON and name themselves ({@value #CLIENT_HEADER}), answers of 400 and
 * above turned into a {@link NodeException} carrying the service's problem document, and a refused
 * connection into a retryable {@link KodoException} that says which service is not there.
 * Thread-safe.
 */
final class JsonHttp {
  /**
   * Sent with every request: Kodo services refuse a request that changes something without a JSON
   * body unless it carries this header, which no web page of another site can add.
   */
  static final String CLIENT_HEADER = "X-Kodo-Client";

  private final URI base;
  private final HttpClient http;
  private final String unreachable;

  private JsonHttp(URI base, HttpClient http, String unreachable) {
    this.base = base;
    this.http = http;
    this.unreachable = unreachable;
  }

  /**
   * An exchange with the service at {@code url} ({@code http(s)://host:port}, optionally with a
   * path prefix; trailing slashes dropped).
   *
   * @param what the kind of service, for messages: {@code node}, {@code registry}
   * @param hint what to check when nothing answers, e.g. {@code is `koco serve` running?}
   */
  static JsonHttp connect(String url, String what, String hint) {
    Check.notBlank(url, what + " url");
    String u = url.strip().replaceAll("/+$", "");
    URI uri;
    try {
      uri = URI.create(u);
    } catch (IllegalArgumentException e) {
      throw new KodoException("'" + url + "' is not a " + what + " URL: " + e.getMessage());
    }
    if (uri.getScheme() == null
        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
        || uri.getHost() == null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new KodoException(
          "'"
              + url
              + "' is not a "
              + what
              + " URL: expected http://host:port (optionally with a path prefix)");
    }
    HttpClient http = HttpClients.plain();
    return new JsonHttp(uri, http, "no " + what + " answers at " + uri + " (" + hint + ")");
  }

  URI base() {
    return base;
  }

  <T> T get(String path, Class<T> type) {
    return Json.mapper().readValue(body(request(path).GET().build()), type);
  }

  <T> T get(String path, TypeReference<T> type) {
    return Json.mapper().readValue(body(request(path).GET().build()), type);
  }

  <T> T send(HttpRequest request, Class<T> type) {
    return Json.mapper().readValue(body(request), type);
  }

  HttpRequest post(String path, String json) {
    return request(path)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  HttpRequest.Builder request(String path) {
    // Appended, not resolved: a service behind a path prefix (http://proxy/kodo) keeps its prefix.
    return HttpRequest.newBuilder(URI.create(base + path))
        .header("Accept", "application/json")
        .header(CLIENT_HEADER, "kodo-client/" + Kodo.version());
  }

  /** The body of a successful answer; a {@link NodeException} for 400 and above. */
  String body(HttpRequest request) {
    HttpResponse<String> response = exchange(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 400) {
      throw problem(response.statusCode(), response.body());
    }
    return response.body();
  }

  <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(request, handler);
    } catch (ConnectException e) {
      throw KodoException.retryable(unreachable, e);
    } catch (IOException e) {
      throw KodoException.retryable(
          request.method() + " " + request.uri() + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KodoException("interrupted while calling " + request.uri(), e);
    }
  }

  /**
   * An error answer as a {@link NodeException}: its problem document, or its text if it is none.
   */
  static NodeException problem(int status, String body) {
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

  /** A path segment or query value, percent-encoded (spaces as {@code %20}). */
  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
