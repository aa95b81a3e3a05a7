package dev.kodo.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Json;
import dev.kodo.registry.core.Registry;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A registry service started in this JVM on a loopback port, with the HTTP calls the tests make of
 * it. Auth is off ({@code kodo.auth.enabled=false}) unless the arguments set a {@code kodo.auth.*}
 * property.
 */
final class RegistryTestServer implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  final ConfigurableApplicationContext context;
  final String base;
  final String name;

  private RegistryTestServer(ConfigurableApplicationContext context, String name) {
    this.context = context;
    this.name = name;
    this.base =
        "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  /** A registry named {@code name} on data of its own; {@code extra} are more Spring arguments. */
  static RegistryTestServer start(String name, String... extra) throws IOException {
    String id = UUID.randomUUID().toString().substring(0, 8);
    Path data =
        Files.createDirectories(Path.of("target", "it-data", "registry-" + id)).toAbsolutePath();
    return start(data, name, extra);
  }

  static RegistryTestServer start(Path data, String name, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server.port=0", "--kodo.registry.data=" + data, "--kodo.registry.name=" + name));
    // Tests of what the registry does, not of who may: auth off unless a test turns it on.
    if (List.of(extra).stream().noneMatch(a -> a.startsWith("--kodo.auth.")))
      args.add("--kodo.auth.enabled=false");
    args.addAll(List.of(extra));
    return new RegistryTestServer(RegistryApplication.start(args.toArray(String[]::new)), name);
  }

  Registry registry() {
    return context.getBean(Registry.class);
  }

  HttpResponse<String> get(String path) {
    return send("GET", path, null);
  }

  /** A 200 answer's body. */
  JsonNode ok(String path) {
    HttpResponse<String> r = get(path);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return json(r);
  }

  HttpResponse<String> send(String method, String path, String body) {
    return send(method, path, body, null);
  }

  /** A request with {@code Authorization: Bearer {token}}, or none when {@code token} is null. */
  HttpResponse<String> send(String method, String path, String body, String token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(10))
            .header("X-Kodo-Client", "test");
    if (token != null) b.header("Authorization", "Bearer " + token);
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    return send(b.build());
  }

  static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new RuntimeException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeException(e);
    }
  }

  /** Asserts a problem+json answer with this status whose detail holds the text. */
  static void problem(HttpResponse<String> r, int status, String detailContains) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    assertThat(json(r).get("detail").asString()).as(r.body()).contains(detailContains);
  }

  static JsonNode json(HttpResponse<String> r) {
    return Json.read(r.body());
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asString()));
    return out;
  }

  /** The values of one field of a page's items. */
  static List<String> items(JsonNode page, String field) {
    List<String> out = new ArrayList<>();
    page.get("items").forEach(n -> out.add(n.get(field).isNull() ? null : n.get(field).asString()));
    return out;
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Polls until {@code condition} holds, for at most 30 s. */
  static void eventually(String what, Supplier<Boolean> condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.get()) {
      if (System.nanoTime() > deadline) throw new AssertionError("not within 30 s: " + what);
      Thread.sleep(100);
    }
  }

  @Override
  public void close() {
    context.close();
  }
}
