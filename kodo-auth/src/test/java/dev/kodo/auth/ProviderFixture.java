package dev.kodo.auth;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An auth provider ({@link AuthApplication}) on a free loopback port with its SQLite store in a
 * temporary directory, and a small HTTP client for the tests.
 */
final class ProviderFixture implements AutoCloseable {
  static final JsonMapper JSON = JsonMapper.builder().build();

  /** One answer: status, headers and the body as text. */
  record Answer(int status, java.net.http.HttpHeaders headers, String text) {
    JsonNode json() {
      return JSON.readTree(text);
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  final ConfigurableApplicationContext context;
  final String url;
  final int port;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  ProviderFixture(Path data, String... extra) {
    this.port = freePort();
    List<String> args = new ArrayList<>();
    args.add("--server.port=" + port);
    args.add("--kodo.auth.provider.data=" + data);
    args.add("--logging.level.root=WARN");
    args.addAll(List.of(extra));
    this.context = AuthApplication.start(args.toArray(String[]::new));
    this.url = "http://127.0.0.1:" + port;
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  Answer get(String path, String token) {
    return send(base(path, token).GET().build());
  }

  Answer delete(String path, String token) {
    return send(base(path, token).DELETE().build());
  }

  Answer post(String path, String token, String json) {
    return send(
        base(path, token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  Answer put(String path, String token, String json) {
    return send(
        base(path, token)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  /** A client-credentials token request with HTTP Basic. */
  Answer clientToken(String clientId, String secret) {
    String basic =
        Base64.getEncoder()
            .encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    return send(
        HttpRequest.newBuilder(URI.create(url + "/auth/oauth2/token"))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Basic " + basic)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
            .build());
  }

  /** Logs in and answers the access token; fails the test if login fails. */
  String login(String username, String password) {
    Answer a =
        post(
            "/auth/login",
            null,
            "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
    if (a.status() != 200) throw new AssertionError("login of " + username + ": " + a);
    return a.json().get("access_token").asString();
  }

  private HttpRequest.Builder base(String path, String token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url + path))
            .timeout(Duration.ofSeconds(10))
            .header("Accept", "application/json")
            .header("X-Kodo-Client", "test");
    if (token != null) b.header("Authorization", "Bearer " + token);
    return b;
  }

  private Answer send(HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.headers(), r.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    context.close();
    http.close();
  }
}
