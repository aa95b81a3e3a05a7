package dev.kodo.ui.security;

import dev.kodo.client.HttpClients;
import dev.kodo.web.security.PasswordLogin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A password login at a Kodo auth provider in another process (docs/ui.md#login): the page's
 * username and password go to the provider's {@code POST <issuer>/login}, a session's refresh to
 * {@code POST <issuer>/refresh}, over HTTP, with a deadline. The provider throttles failed logins
 * by name and by address; the address it sees is this process's. Neither the password nor a token
 * is logged. Thread-safe.
 */
final class ProviderLogin implements PasswordLogin {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern SECONDS = Pattern.compile("in (\\d+) s");

  private final String issuer;
  private final HttpClient http;

  /**
   * @param issuer the provider's issuer URL, which ends with {@code /auth}
   */
  ProviderLogin(String issuer) {
    this.issuer = issuer;
    this.http = HttpClients.plain(CONNECT_TIMEOUT);
  }

  /** Whether {@code issuer} is a Kodo auth provider's, whose password login this can call. */
  static boolean serves(String issuer) {
    return (issuer.startsWith("http://") || issuer.startsWith("https://"))
        && issuer.endsWith("/auth");
  }

  @Override
  public Tokens login(String username, String password, String address) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("username", username);
    body.put("password", password);
    HttpResponse<String> r = post("/login", body);
    return switch (r.statusCode()) {
      case 200 -> tokens(r.body());
      case 400, 401 -> throw new RefusedException("wrong username or password", 0);
      case 429 -> throw new RefusedException("too many failed logins", retryAfter(r));
      default -> throw unavailable("answered " + r.statusCode());
    };
  }

  @Override
  public Optional<Tokens> refresh(String refreshToken) {
    HttpResponse<String> r;
    try {
      r = post("/refresh", Map.of("refresh_token", refreshToken));
    } catch (Unavailable e) {
      return Optional.empty(); // the session logs in again
    }
    return r.statusCode() == 200 ? Optional.of(tokens(r.body())) : Optional.empty();
  }

  private HttpResponse<String> post(String path, Map<String, Object> body) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(issuer + path))
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw unavailable("did not answer (" + e.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("was not waited for (interrupted)");
    }
  }

  private Tokens tokens(String body) {
    try {
      JsonNode n = JSON.readTree(body);
      String access = n.path("access_token").asString("");
      String refresh = n.path("refresh_token").asString("");
      if (access.isEmpty() || refresh.isEmpty()) {
        throw unavailable("answered a login without tokens");
      }
      return new Tokens(access, refresh, n.path("expires_in").asLong(0));
    } catch (JacksonException e) {
      throw unavailable("answered a login that is not JSON");
    }
  }

  private static long retryAfter(HttpResponse<String> r) {
    Optional<String> header = r.headers().firstValue("Retry-After");
    try {
      if (header.isPresent()) return Math.max(1, Long.parseLong(header.get().strip()));
    } catch (NumberFormatException e) {
      // fall back to the detail's "in N s"
    }
    Matcher m = SECONDS.matcher(r.body());
    return m.find() ? Math.max(1, Long.parseLong(m.group(1))) : 60;
  }

  private Unavailable unavailable(String what) {
    return new Unavailable("the auth provider at " + issuer + " " + what);
  }

  /** The provider could not be asked, or answered something other than a login's outcome. */
  static final class Unavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unavailable(String message) {
      super(message);
    }
  }
}
