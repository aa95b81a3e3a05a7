package dev.kodo.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON-over-HTTP exchange that {@link NodeClient} and {@link RegistryClient} share: one base
 * URL, requests that accept JSON and name themselves ({@value #CLIENT_HEADER}), answers of 400 and
 * above turned into a {@link NodeException} carrying the service's problem document, and a refused
 * connection into a retryable {@link KodoException} that says which service is not there. A {@link
 * TokenSupplier} gives the bearer token each request carries; a 401 is renewed once (a refresh) and
 * then becomes a {@link NotAuthenticatedException} that says whether the token was missing, expired
 * or refused and what to do. Thread-safe.
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
  private final String what;
  private final TokenSupplier tokens;

  private JsonHttp(
      URI base, HttpClient http, String unreachable, String what, TokenSupplier tokens) {
    this.base = base;
    this.http = http;
    this.unreachable = unreachable;
    this.what = what;
    this.tokens = tokens;
  }

  /**
   * An exchange with the service at {@code url} ({@code http(s)://host:port}, optionally with a
   * path prefix; trailing slashes dropped).
   *
   * @param what the kind of service, for messages: {@code node}, {@code registry}
   * @param hint what to check when nothing answers, e.g. {@code is `koco serve` running?}
   */
  static JsonHttp connect(String url, String what, String hint) {
    return connect(url, what, hint, TokenSupplier.none());
  }

  /** {@link #connect(String, String, String)} sending the tokens {@code tokens} gives. */
  static JsonHttp connect(String url, String what, String hint, TokenSupplier tokens) {
    Check.notNull(tokens, "tokens");
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
    return new JsonHttp(
        uri, http, "no " + what + " answers at " + uri + " (" + hint + ")", what, tokens);
  }

  URI base() {
    return base;
  }

  <T> T get(String path, Class<T> type) {
    return read(body(request(path).GET().build()), type);
  }

  <T> T get(String path, TypeReference<T> type) {
    String json = body(request(path).GET().build());
    return read(() -> Json.mapper().readValue(json, type));
  }

  <T> T send(HttpRequest request, Class<T> type) {
    return read(body(request), type);
  }

  /**
   * {@code json}, an answer of the service, read as a {@code type}; an answer that is not one (not
   * JSON, a field missing or of another type) is said to be the service's, in one line, never a
   * parser's stack trace.
   */
  <T> T read(String json, Class<T> type) {
    return read(() -> Json.read(json, type));
  }

  private <T> T read(Supplier<T> parse) {
    try {
      return parse.get();
    } catch (JacksonException e) {
      throw unreadable(e);
    }
  }

  private KodoException unreadable(JacksonException e) {
    String said = e.getOriginalMessage();
    String at = e.getPathReference();
    return new KodoException(
        "the "
            + what
            + " at "
            + base
            + " answered with JSON that is not what Kodo expects ("
            + (said == null ? e.getClass().getSimpleName() : said.lines().findFirst().orElse(said))
            + (at == null || at.isBlank() ? "" : " at " + at)
            + "): is it a Kodo "
            + what
            + " of a compatible version?",
        e);
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
    return body(request, true);
  }

  /**
   * {@link #body(HttpRequest)}, with {@code authenticate} false for the calls that need no token
   * ({@code /auth/login}, {@code /auth/refresh}): none is sent and a 401 stays the service's own
   * answer.
   */
  String body(HttpRequest request, boolean authenticate) {
    HttpResponse<String> response =
        exchange(request, HttpResponse.BodyHandlers.ofString(), authenticate);
    if (response.statusCode() >= 400) {
      throw problem(response.statusCode(), response.body());
    }
    return response.body();
  }

  /**
   * Sends {@code request} with the current token; a 401 is retried once with a renewed token, and
   * if that is not to be had becomes a {@link NotAuthenticatedException}.
   */
  <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    return exchange(request, handler, true);
  }

  private <T> HttpResponse<T> exchange(
      HttpRequest request, HttpResponse.BodyHandler<T> handler, boolean authenticate) {
    if (!authenticate) {
      return send(request, handler);
    }
    Optional<String> token = tokens.token();
    HttpResponse<T> response = send(withToken(request, token), handler);
    if (response.statusCode() == 401 && token.isPresent()) {
      Optional<String> renewed = tokens.renew(token.get());
      if (renewed.isPresent() && !renewed.get().equals(token.get())) {
        discard(response);
        token = renewed;
        response = send(withToken(request, token), handler);
      }
    }
    if (response.statusCode() == 401) {
      throw notAuthenticated(token.isPresent(), response);
    }
    return response;
  }

  private static HttpRequest withToken(HttpRequest request, Optional<String> token) {
    if (token.isEmpty()) return request;
    return HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase("Authorization"))
        .header("Authorization", "Bearer " + token.get())
        .build();
  }

  /** What a 401 means for the caller: no token, an expired one, or one refused. */
  private NotAuthenticatedException notAuthenticated(boolean sent, HttpResponse<?> response) {
    String body = text(response);
    String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
    String said = detail(body);
    String url = base.toString();
    if (!sent) {
      return new NotAuthenticatedException(
          base,
          NotAuthenticatedException.Reason.MISSING,
          "the "
              + what
              + " at "
              + url
              + " needs a token, and there is none for it: log in with `koco login --url "
              + url
              + "` (or give one in $KODO_TOKEN)");
    }
    Optional<Instant> expires = tokens.expiresAt();
    boolean expired =
        tokens.expired() || (challenge + " " + said).toLowerCase(Locale.ROOT).contains("expired");
    Optional<String> problem = tokens.renewalProblem();
    if (expired) {
      return new NotAuthenticatedException(
          base,
          NotAuthenticatedException.Reason.EXPIRED,
          tokens.origin()
              + " for "
              + url
              + " has expired"
              + expires.map(e -> " (at " + Json.timestamp(e) + ")").orElse("")
              + " and could not be renewed"
              + problem.map(p -> " (" + p + ")").orElse("")
              + ": "
              + tokens.remedy(url));
    }
    return new NotAuthenticatedException(
        base,
        NotAuthenticatedException.Reason.REFUSED,
        "the "
            + what
            + " at "
            + url
            + " refused "
            + tokens.origin()
            + (said.isBlank() ? "" : " (" + said + ")")
            + problem.map(p -> "; renewing it failed: " + p).orElse("")
            + "; it may have been revoked or issued by another auth provider: "
            + tokens.remedy(url));
  }

  /** The detail (else the title) of a problem document, or nothing. */
  private static String detail(String body) {
    if (body == null || body.isBlank()) return "";
    try {
      JsonNode n = Json.read(body);
      String d = n.path("detail").asString("");
      return Shorten.to(d.isBlank() ? n.path("title").asString("") : d, 200);
    } catch (RuntimeException notJson) {
      return "";
    }
  }

  private static String text(HttpResponse<?> response) {
    Object body = response.body();
    if (body instanceof String s) return s;
    if (body instanceof InputStream in) {
      try (in) {
        return new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    }
    return "";
  }

  private static void discard(HttpResponse<?> response) {
    if (response.body() instanceof InputStream in) {
      try {
        in.close();
      } catch (IOException ignored) {
        // the connection is dropped either way
      }
    }
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
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
