package dev.kodo.auth.login;

import dev.kodo.client.access.Caller;
import dev.kodo.client.access.Role;
import dev.kodo.web.ApiException;
import dev.kodo.web.JsonBodies;
import dev.kodo.web.security.Callers;
import dev.kodo.web.security.PasswordLogin;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /auth/login}, {@code POST /auth/refresh} and {@code GET /auth/me}
 * (docs/http-api.md#auth): people exchange a password (or a refresh token) for a short-lived access
 * token and a new refresh token. A wrong password and an unknown user get the same 401; too many
 * failures for one name or one address get 429 with {@code Retry-After}. Passwords and tokens are
 * never logged or echoed.
 */
@RestController
class LoginController {
  private static final Set<String> LOGIN_FIELDS = Set.of("username", "password");
  private static final Set<String> REFRESH_FIELDS = Set.of("refresh_token");

  private final PasswordLogin logins;

  LoginController(PasswordLogin logins) {
    this.logins = logins;
  }

  @PostMapping(path = "/auth/login", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<?> login(@RequestBody JsonNode body, HttpServletRequest request) {
    JsonBodies.object(body, LOGIN_FIELDS);
    String username = JsonBodies.required(body, "username");
    String password = JsonBodies.required(body, "password");
    try {
      return ResponseEntity.ok(json(logins.login(username, password, request.getRemoteAddr())));
    } catch (PasswordLogin.RefusedException e) {
      if (e.retryAfterSeconds() > 0) return tooMany(e.retryAfterSeconds());
      throw wrongLogin();
    }
  }

  @PostMapping(path = "/auth/refresh", produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> refresh(@RequestBody JsonNode body) {
    JsonBodies.object(body, REFRESH_FIELDS);
    String token = JsonBodies.required(body, "refresh_token");
    return logins
        .refresh(token)
        .map(LoginController::json)
        .orElseThrow(
            () ->
                new ApiException(
                    HttpStatus.UNAUTHORIZED,
                    "Refresh failed",
                    "the refresh token is unknown, used or expired; log in again",
                    null));
  }

  @GetMapping(path = "/auth/me", produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> me() {
    Caller c = Callers.current();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("subject", c.subject());
    out.put("roles", c.roles().stream().map(Role::wire).sorted().toList());
    out.put("groups", c.groups().stream().sorted().toList());
    return out;
  }

  private static Map<String, Object> json(PasswordLogin.Tokens t) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("access_token", t.accessToken());
    out.put("token_type", "Bearer");
    out.put("expires_in", t.expiresIn());
    out.put("refresh_token", t.refreshToken());
    return out;
  }

  private static ApiException wrongLogin() {
    return new ApiException(
        HttpStatus.UNAUTHORIZED, "Login failed", "wrong username or password", null);
  }

  private static ResponseEntity<ProblemDetail> tooMany(long seconds) {
    ProblemDetail p = ProblemDetail.forStatus(HttpStatus.TOO_MANY_REQUESTS);
    p.setType(URI.create("about:blank"));
    p.setTitle("Too many failed logins");
    p.setDetail("too many failed logins for this user or address; try again in " + seconds + " s");
    return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
        .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(p);
  }
}
