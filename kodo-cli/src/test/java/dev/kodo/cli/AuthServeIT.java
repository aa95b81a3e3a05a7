package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code koco auth} and the provider inside {@code koco serve} (docs/security.md#auth-provider):
 * each starts, serves discovery, JWKS and login under {@code /auth}, and {@code koco auth
 * rotate-key} rotates the key with an operator's token; {@code koco serve --no-auth} serves no
 * provider.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class AuthServeIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String PASSWORD = "serve-admin-password";

  private final HttpClient http = HttpClient.newHttpClient();
  private Thread server;

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) {
      server.interrupt();
      server.join(Duration.ofSeconds(30));
    }
    http.close();
  }

  @Test
  void kocoAuthServesTheProviderAndRotateKeyRotatesIt(@TempDir Path dir) throws Exception {
    Path config = config(dir);
    int port = freePort();
    String url =
        start(
            Pattern.compile(
                "Kodo auth provider ready at (http://127\\.0\\.0\\.1:\\d+) — data (\\S+) \\("),
            "auth",
            "--port",
            Integer.toString(port),
            "--data",
            dir.resolve("data").toString(),
            "--config",
            config.toString());
    assertThat(Files.exists(dir.resolve("data").resolve("auth.db"))).isTrue();
    JsonNode discovery = get(url + "/auth/.well-known/openid-configuration", null);
    assertThat(discovery.get("issuer").asString()).isEqualTo(url + "/auth");
    String token = login(url);

    // koco auth wrote the local operator's token where koco finds it by the provider's URL.
    Cli rotated = Cli.run("auth", "rotate-key", "--url", url);
    assertThat(rotated.exitCode()).as(rotated.err()).isEqualTo(Exit.OK);
    assertThat(rotated.out()).startsWith("new signing key ");
    assertThat(get(url + "/auth/oauth2/jwks", null).get("keys").size()).isEqualTo(2);
    Cli byToken = Cli.run("auth", "rotate-key", "--url", url, "--token", token);
    assertThat(byToken.exitCode()).as(byToken.err()).isEqualTo(Exit.OK);
    Cli refused = Cli.run("auth", "rotate-key", "--url", url, "--token", "not-a-token");
    assertThat(refused.exitCode()).isEqualTo(Exit.AUTH);
    assertThat(refused.err()).doesNotContain("not-a-token");
  }

  @Test
  void kocoServeRunsTheProviderUnderAuth(@TempDir Path dir) throws Exception {
    // a random port: the issuer (the node's URL + /auth) is known only once the server listens
    String url =
        start(
            Pattern.compile("Kodo ready at (http://127\\.0\\.0\\.1:\\d+) — "),
            "serve",
            "--port",
            "0",
            "--data",
            dir.resolve("data").toString(),
            "--config",
            config(dir).toString());
    assertThat(Files.exists(dir.resolve("data").resolve("auth.db"))).isTrue();
    JsonNode discovery = get(url + "/auth/.well-known/openid-configuration", null);
    assertThat(discovery.get("issuer").asString()).isEqualTo(url + "/auth");
    assertThat(discovery.get("jwks_uri").asString()).isEqualTo(url + "/auth/oauth2/jwks");
    String token = login(url);
    JsonNode me = get(url + "/auth/me", token);
    assertThat(me.get("subject").asString()).isEqualTo("user:admin");
    // the node in the same process verifies the provider's tokens with its keys
    assertThat(get(url + "/api/flows", token).has("items")).isTrue();
    HttpResponse<String> anonymous =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "/api/flows")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
  }

  @Test
  void kocoServeWithoutAuthServesNoProvider(@TempDir Path dir) throws Exception {
    int port = freePort();
    String url =
        start(
            Pattern.compile("Kodo ready at (http://127\\.0\\.0\\.1:\\d+) — "),
            "serve",
            "--port",
            Integer.toString(port),
            "--data",
            dir.resolve("data").toString(),
            "--no-auth");
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "/auth/.well-known/openid-configuration"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(Files.exists(dir.resolve("data").resolve("auth.db"))).isFalse();
  }

  private String login(String url) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "/auth/login"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(Map.of("username", "admin", "password", PASSWORD))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).get("access_token").asString();
  }

  private JsonNode get(String url, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    if (token != null) b.header("Authorization", "Bearer " + token);
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static Path config(Path dir) throws IOException {
    Path config = dir.resolve("kodo.properties");
    Files.writeString(config, "kodo.auth.provider.admin-password=" + PASSWORD + "\n");
    return config;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private String start(Pattern ready, String... args) throws InterruptedException {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicInteger exit = new AtomicInteger(-1);
    server =
        new Thread(() -> exit.set(Koco.execute(new PrintWriter(out), new PrintWriter(err), args)));
    server.start();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
    while (Instant.now().isBefore(deadline)) {
      Matcher m = ready.matcher(out.toString());
      if (m.find()) return m.group(1);
      if (!server.isAlive()) {
        throw new AssertionError("koco " + args[0] + " ended before it was ready: " + out + err);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("koco " + args[0] + " was not ready within 120 s: " + out + err);
  }
}
