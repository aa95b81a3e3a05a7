package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.CredentialStore;
import dev.kodo.client.Json;
import dev.kodo.client.NodeClient;
import dev.kodo.client.StoredTokenSupplier;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code koco serve} and {@code koco node} themselves: where they listen, which flows they offer by
 * default, and client commands once the node they started is gone.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ServeIT {
  private static final Pattern READY =
      Pattern.compile(
          "Kodo (?:node )?ready at (http://127\\.0\\.0\\.1:\\d+) — data (\\S+), (\\d+) flows?");
  private static final String EXAMPLES = "dev.kodo.examples.";

  @Test
  void serveSaysWhereItListensAndAnswersUntilStopped(@TempDir Path dir) throws Exception {
    Path config =
        Files.writeString(
            dir.resolve("kodo.yaml"),
            """
        kodo:
          cluster:
            name: serve-it-%s
          node:
            name: from-config
        """
                .formatted(UUID.randomUUID()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicInteger exit = new AtomicInteger(-1);
    Thread server =
        new Thread(
            () ->
                exit.set(
                    Koco.execute(
                        new PrintWriter(out),
                        new PrintWriter(err),
                        "serve",
                        "--port",
                        "0",
                        "--data",
                        dir.resolve("data").toString(),
                        "--config",
                        config.toString(),
                        "--flows",
                        "dev.kodo.examples.MarketReport,dev.kodo.examples.FailingFlow")));
    server.start();

    Matcher ready = awaitReady(out, err, server);
    String url = ready.group(1);
    assertThat(Path.of(ready.group(2))).isEqualTo(dir.resolve("data").toAbsolutePath());
    assertThat(ready.group(3)).isEqualTo("2");

    Cli flows = Cli.run("flows", "--node", url);
    assertThat(flows.out())
        .contains("dev.kodo.examples.MarketReport")
        .doesNotContain("ResearchSteps");
    assertThat(client(url).state().get("name").asString()).isEqualTo("from-config");

    server.interrupt();
    server.join(Duration.ofSeconds(30));
    assertThat(server.isAlive()).isFalse();
    assertThat(exit.get()).isEqualTo(Exit.OK);

    Cli down = Cli.run("flows", "--node", url);
    assertThat(down.exitCode()).isEqualTo(Exit.UNREACHABLE);
    assertThat(down.err())
        .isEqualTo(
            "koco: no node answers at "
                + url
                + " (is `koco serve` running?)"
                + System.lineSeparator());
    Cli follow = Cli.run("follow", "some-fid", "--node", url);
    assertThat(follow.exitCode()).isEqualTo(Exit.UNREACHABLE);
    assertThat(follow.err()).startsWith("koco: no node answers at " + url);
  }

  @Test
  void serveOffersTheExamplesUnlessConfiguredOtherwise(@TempDir Path dir) throws Exception {
    try (Server serve =
        Server.start(
            "serve",
            "--port",
            "0",
            "--data",
            dir.resolve("default").toString(),
            "--config",
            config(dir, "default", "").toString())) {
      assertThat(serve.flows()).as("7 example classes, 2 example crews").isEqualTo(9);
      // koco composes the registry beside the node: on its port, named after the node, its data
      // beside the node's.
      HttpResponse<String> registry = get(serve.url + "/registry/state", token(serve.url));
      assertThat(registry.statusCode()).as(registry.body()).isEqualTo(200);
      String node = client(serve.url).state().get("name").asString();
      assertThat(Json.mapper().readTree(registry.body()).path("name").asString()).isEqualTo(node);
      assertThat(dir.resolve("default").resolve("registry.db")).exists();
      // ... and the node is registered with it and connected out of the box.
      assertThat(connectedToOwnRegistry(serve.url))
          .as("the node's registries in /api/state")
          .isTrue();
      assertThat(Cli.run("flows", "--node", serve.url).out())
          .contains(EXAMPLES + "MarketReport", EXAMPLES + "ResearchSteps", EXAMPLES + "FailingFlow")
          .contains("competitor-analysis", "research-desk");
      // Auth is on, and the README's client commands need no login on this machine: serve wrote
      // the local operator's token, owner-only, where koco finds it by the node's URL.
      Cli launch = Cli.run("launch", EXAMPLES + "FailingFlow", "--node", serve.url);
      assertThat(launch.exitCode()).as(launch.err()).isEqualTo(Exit.OK);
      Cli runs = Cli.run("runs", "--node", serve.url);
      assertThat(runs.out()).as(runs.err()).contains(EXAMPLES + "FailingFlow");
      Path tokenFile = dir.resolve("default").resolve("operator.token");
      assertThat(Files.getPosixFilePermissions(tokenFile))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      assertThat(Files.getPosixFilePermissions(CredentialStore.standard().file()))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      for (String path :
          List.of(
              "/api/flows",
              "/api/runs",
              "/api/state",
              "/registry/state",
              "/registry/flows",
              "/auth/users",
              "/auth/me")) {
        assertThat(get(serve.url + path, null).statusCode())
            .as("GET %s without a token", path)
            .isEqualTo(401);
      }
      for (String path :
          List.of(
              "/auth/.well-known/openid-configuration",
              "/auth/oauth2/jwks",
              "/api/actuator/health")) {
        assertThat(get(serve.url + path, null).statusCode())
            .as("GET %s without a token", path)
            .isEqualTo(200);
      }
    }
    try (Server serve =
        Server.start(
            "serve",
            "--port",
            "0",
            "--data",
            dir.resolve("configured").toString(),
            "--config",
            config(dir, "configured", "  flows: [ \"dev.kodo.examples.MarketReport\" ]\n")
                .toString())) {
      assertThat(serve.flows())
          .as("kodo.flows from --config wins over serve's default")
          .isEqualTo(1);
      assertThat(Cli.run("flows", "--node", serve.url).out())
          .contains(EXAMPLES + "MarketReport")
          .doesNotContain("FailingFlow");
    }
  }

  @Test
  void nodeOffersOnlyTheFlowsItsConfigurationNames(@TempDir Path dir) throws Exception {
    try (Server node =
        Server.start(
            "node",
            "--no-auth",
            "--port",
            "0",
            "--data",
            dir.resolve("default").toString(),
            "--config",
            config(dir, "default", "").toString())) {
      assertThat(node.flows())
          .as("no flows configured: none, though the examples are on koco's class path")
          .isZero();
      assertThat(get(node.url + "/registry/state", null).statusCode())
          .as("koco node serves no registry")
          .isEqualTo(404);
      assertThat(dir.resolve("default").resolve("registry.db")).doesNotExist();
      Cli flows = Cli.run("flows", "--node", node.url);
      assertThat(flows.exitCode()).isEqualTo(Exit.OK);
      assertThat(flows.out()).doesNotContain(EXAMPLES);
      Cli launch = Cli.run("launch", EXAMPLES + "FailingFlow", "--node", node.url);
      assertThat(launch.exitCode()).as(launch.err()).isEqualTo(Exit.NODE);
      assertThat(launch.err()).contains("404");
    }
  }

  /** Whether the node at {@code url} reports itself connected to the registry on its own port. */
  private static boolean connectedToOwnRegistry(String url) throws Exception {
    String port = url.substring(url.lastIndexOf(':'));
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      for (var link : client(url).state().path("registries")) {
        if (link.path("url").asString("").endsWith(port) && link.path("connected").asBoolean()) {
          return true;
        }
      }
      Thread.sleep(100);
    }
    return false;
  }

  /** A GET with {@code token} as its bearer ({@code null}: none). */
  private static HttpResponse<String> get(String url, String token) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  /** The token {@code koco serve} wrote for the local operator of the node at {@code url}. */
  private static String token(String url) {
    return CredentialStore.standard().find(url).orElseThrow().accessToken();
  }

  /** A client of the node at {@code url} with the local operator's token, as koco finds it. */
  private static NodeClient client(String url) {
    return NodeClient.connect(url, StoredTokenSupplier.of(CredentialStore.standard(), url));
  }

  /**
   * A kodo.yaml in {@code dir} naming a cluster of its own, with {@code more} lines under {@code
   * kodo:}.
   */
  private static Path config(Path dir, String name, String more) throws Exception {
    return Files.writeString(
        dir.resolve(name + ".yaml"),
        """
        kodo:
          cluster:
            name: serve-it-%s
        """
                .formatted(UUID.randomUUID())
            + more);
  }

  /** {@code koco args} running in a thread of this JVM until closed. */
  private record Server(Thread thread, Matcher ready, String url) implements AutoCloseable {
    static Server start(String... args) throws InterruptedException {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      Thread thread =
          new Thread(() -> Koco.execute(new PrintWriter(out), new PrintWriter(err), args));
      thread.start();
      Matcher ready = awaitReady(out, err, thread);
      return new Server(thread, ready, ready.group(1));
    }

    int flows() {
      return Integer.parseInt(ready.group(3));
    }

    @Override
    public void close() throws InterruptedException {
      thread.interrupt();
      thread.join(Duration.ofSeconds(30));
      assertThat(thread.isAlive()).as("koco stopped when interrupted").isFalse();
    }
  }

  private static Matcher awaitReady(StringWriter out, StringWriter err, Thread server)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    while (Instant.now().isBefore(deadline)) {
      Matcher m = READY.matcher(out.toString());
      if (m.find()) {
        return m;
      }
      if (!server.isAlive()) {
        throw new AssertionError("koco serve ended before it was ready: " + err);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("koco serve did not say it was ready within 90 s: " + out + err);
  }
}
