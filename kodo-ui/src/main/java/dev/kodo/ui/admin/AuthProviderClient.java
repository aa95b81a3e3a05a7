package dev.kodo.ui.admin;

import dev.kodo.ui.security.UiLogins;
import dev.kodo.ui.security.UiSession;
import dev.kodo.web.ApiException;
import dev.kodo.web.security.AuthProperties;
import dev.kodo.web.security.LocalIssuer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The administrators' pages speak to the auth provider through its own HTTP API ({@code /auth/*},
 * docs/http-api.md#auth) with the session's access token (docs/decisions.md): the provider's
 * validation, rules and answers, unchanged. The provider in this process ({@link LocalIssuer}) is
 * called at this process's own listener (an IP literal and the local port, never the issuer's
 * possibly public address); a Kodo provider in another process at its issuer URL ({@code
 * kodo.auth.issuer}, the address the login goes to, {@link UiLogins}); each call has a deadline of
 * {@value #SECONDS} seconds. Thread-safe.
 */
@Component
class AuthProviderClient {
  static final int SECONDS = 15;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Where the provider is, from the pages' point of view. */
  enum Where {
    /** Auth is off ({@code --no-auth}): there are no users, groups, grants or clients. */
    OFF,
    /** Auth is on, and its provider is not one these pages can call (an outside one). */
    ELSEWHERE,
    /** The provider runs in this process, or is a Kodo provider at {@code kodo.auth.issuer}. */
    HERE
  }

  private final boolean enabled;
  private final ObjectProvider<LocalIssuer> issuer;
  private final Environment env;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A Kodo provider's issuer URL when it runs in another process, else null. */
  private final String remote;

  AuthProviderClient(AuthProperties auth, ObjectProvider<LocalIssuer> issuer, Environment env) {
    this.enabled = auth.isEnabled();
    this.issuer = issuer;
    this.env = env;
    this.remote = UiLogins.kodoProvider(auth.getIssuer()) ? auth.getIssuer() : null;
  }

  Where where() {
    if (!enabled) return Where.OFF;
    return issuer.getIfAvailable() != null || remote != null ? Where.HERE : Where.ELSEWHERE;
  }

  /** {@code GET} of a provider path such as {@code /users?p=0}. */
  JsonNode get(HttpServletRequest request, String path) {
    return call(request, "GET", path, null);
  }

  /**
   * {@code POST}, {@code PUT} or {@code DELETE} with a JSON body (or none).
   *
   * @throws ProviderRefusal when the provider refuses (4xx)
   */
  JsonNode send(HttpServletRequest request, String method, String path, Object body) {
    return call(request, method, path, body);
  }

  /** One path segment, encoded. */
  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private JsonNode call(HttpServletRequest request, String method, String path, Object body) {
    if (where() != Where.HERE) {
      throw new ApiException(
          HttpStatus.NOT_FOUND, "Not found", "this node has no auth provider of its own", null);
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base() + path))
            .timeout(Duration.ofSeconds(SECONDS))
            .header("Accept", "application/json")
            // a DELETE has no JSON body: it names its client (docs/http-api.md, the browser guard)
            .header("X-Kodo-Client", "kodo-ui")
            .header("Authorization", "Bearer " + token(request));
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    }
    HttpResponse<String> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw unavailable();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable();
    }
    int status = r.statusCode();
    if (status >= 200 && status < 300) {
      return r.body() == null || r.body().isBlank()
          ? JsonNodeFactory.instance.nullNode()
          : JSON.readTree(r.body());
    }
    if (status >= 400 && status < 500) throw ProviderRefusal.of(status, r.body());
    throw unavailable();
  }

  /**
   * The provider's endpoints: on this process's own listener, {@code http://{ip}:{port}/auth}, or
   * the issuer URL of a provider elsewhere.
   */
  private String base() {
    if (issuer.getIfAvailable() == null) return remote;
    return "http://"
        + listener(env.getProperty("server.address", ""))
        + ":"
        + env.getProperty("local.server.port", env.getProperty("server.port", "8080"))
        + "/auth";
  }

  /** The address to reach a listener bound to {@code address}: loopback for a wildcard. */
  static String listener(String address) {
    String a = address.strip();
    if (a.isEmpty() || a.equals("0.0.0.0") || a.equals("::") || a.equals("[::]")) {
      return "127.0.0.1";
    }
    return a.contains(":") && !a.startsWith("[") ? "[" + a + "]" : a;
  }

  private static String token(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    Object token = session == null ? null : session.getAttribute(UiSession.ACCESS);
    if (token == null) {
      throw new ApiException(HttpStatus.UNAUTHORIZED, "Unauthorized", "log in first", null);
    }
    return token.toString();
  }

  private static ApiException unavailable() {
    return new ApiException(
        HttpStatus.BAD_GATEWAY, "Bad gateway", "the auth provider did not answer in time", null);
  }
}
