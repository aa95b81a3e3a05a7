package dev.kodo.cli;

import dev.kodo.registry.RegistryApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real registry on a loopback port, in this JVM; nodes connect to it over HTTP as a node would.
 */
final class TestRegistry implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static final String NAME = "--kodo.registry.name=";

  private final ConfigurableApplicationContext context;
  final String url;

  /** Its {@code kodo.registry.name}, the name its peers know it by. */
  final String name;

  private TestRegistry(ConfigurableApplicationContext context) {
    this.context = context;
    this.url = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    this.name = context.getEnvironment().getProperty("kodo.registry.name");
  }

  /**
   * Starts a registry with its data in {@code data}; {@code extra} are more Spring arguments. It is
   * named {@code koco-it} unless {@code extra} names it ({@code --kodo.registry.name=eu}).
   */
  static TestRegistry start(Path data, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server.port=0",
                "--kodo.registry.data=" + data,
                "--spring.main.log-startup-info=false",
                "--logging.level.root=WARN"));
    // auth off unless a test sets kodo.auth.*: these tests are about the commands, not who may
    if (Arrays.stream(extra).noneMatch(a -> a.startsWith("--kodo.auth."))) {
      args.add("--kodo.auth.enabled=false");
    }
    if (Arrays.stream(extra).noneMatch(a -> a.startsWith(NAME))) {
      args.add(NAME + "koco-it");
    }
    args.addAll(List.of(extra));
    return new TestRegistry(RegistryApplication.start(args.toArray(String[]::new)));
  }

  /**
   * A node's handshake, {@code POST /registry/connect}, with {@code flows} (a JSON array); the
   * registry's answer.
   */
  String connect(String node, String nodeUrl, String flows) {
    return send(
        "POST",
        "/registry/connect",
        "{\"node\":\"" + node + "\",\"url\":\"" + nodeUrl + "\",\"flows\":" + flows + "}");
  }

  /** A node's goodbye, {@code POST /registry/disconnect}. */
  String disconnect(String node) {
    return send("POST", "/registry/disconnect", "{\"node\":\"" + node + "\"}");
  }

  private String send(String method, String path, String json) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url + path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(json))
            .build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new AssertionError(
            method + " " + path + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Runs {@code koco args --registry URL}. */
  Cli koco(String... args) {
    return Cli.runAt("--registry", url, args);
  }

  @Override
  public void close() {
    context.close();
  }
}
