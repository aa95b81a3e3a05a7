package dev.kodo.registry;

import static dev.kodo.registry.RegistryTestServer.enc;
import static dev.kodo.registry.RegistryTestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests that could hurt the registry (issue 8, items 7 and 10): searches and queries built to
 * make a backtracking matcher run for ever, work past the request deadline, and browsers made to
 * talk to the registry by pages of other sites. One real registry on loopback.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RegistryRequestSafetyIT {
  /** The HTTP client gives up after this: far above what any answer needs, far below "for ever". */
  private static final Duration ANSWER_BOUND = Duration.ofSeconds(5);

  static RegistryTestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = RegistryTestServer.start("safety");
    assertThat(
            server
                .send("POST", "/registry/register", "{\"node\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}")
                .statusCode())
        .isEqualTo(201);
    StringBuilder flows = new StringBuilder("[");
    for (int i = 0; i < 50; i++) {
      if (i > 0) flows.append(',');
      flows
          .append("{\"path\":\"aaaaaaaaaaaaaaaaaaaa/")
          .append(i)
          .append(".yaml\",\"name\":\"")
          .append("a".repeat(60))
          .append("\",\"description\":\"")
          .append("aa ".repeat(100))
          .append("\",\"release\":\"1.0.0\",\"tags\":[\"")
          .append("a".repeat(40))
          .append("\"]}");
    }
    flows.append(']');
    HttpResponse<String> r =
        server.send(
            "POST",
            "/registry/connect",
            "{\"node\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"url\":\"http://127.0.0.1:9\",\"flows\":"
                + flows
                + "}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  // ---- item 7: ReDoS ----------------------------------------------------------------------

  static Stream<String> evilRequests() {
    List<String> globs =
        List.of(
            "*".repeat(100) + "~",
            "*a".repeat(99) + "~",
            "?*".repeat(90) + "!",
            "a*".repeat(99) + "b",
            "*" + "a*".repeat(60) + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab");
    List<String> out = new ArrayList<>();
    for (String glob : globs) {
      for (String list : List.of("/registry/flows", "/registry/nodes")) {
        out.add(list + "?search=" + enc(glob));
        out.add(list + "?search=" + enc(glob) + "&hidden=true&by=" + enc("name desc"));
        out.add(list + "?query=" + enc("name ~ \"" + glob + "\""));
        String text = list.endsWith("flows") ? "description" : "url";
        out.add(
            list + "?query=" + enc("tags ~ \"" + glob + "\" or " + text + " ~ \"" + glob + "\""));
      }
    }
    return out.stream();
  }

  @ParameterizedTest
  @MethodSource("evilRequests")
  void evilSearchesAndQueriesAreAnsweredAtOnce(String pathAndQuery) {
    HttpResponse<String> r =
        RegistryTestServer.send(
            HttpRequest.newBuilder(URI.create(server.base + pathAndQuery))
                .timeout(ANSWER_BOUND)
                .GET()
                .build());
    assertThat(r.statusCode()).as(pathAndQuery + ": " + r.body()).isEqualTo(200);
    assertThat(json(r).get("filtered").asLong()).as(pathAndQuery).isZero();
  }

  static Stream<String> pagesFarPastTheEnd() {
    List<String> out = new ArrayList<>();
    for (String list : List.of("/registry/flows", "/registry/nodes")) {
      for (String page : List.of("p=2147483647&pp=2", "p=1431655765&pp=3", "p=2147483&pp=1000")) {
        for (String ask : List.of("", "&search=a", "&by=name", "&query=online", "&hidden=true")) {
          out.add(list + "?" + page + ask);
        }
      }
    }
    return out.stream();
  }

  /** Page × per page past an int's range is past the end: empty, never a page wrapped round. */
  @ParameterizedTest
  @MethodSource("pagesFarPastTheEnd")
  void aPageFarPastTheEndIsEmpty(String pathAndQuery) {
    HttpResponse<String> r = server.send("GET", pathAndQuery, null);
    assertThat(r.statusCode()).as(pathAndQuery + ": " + r.body()).isEqualTo(200);
    assertThat(json(r).get("items").size()).as(pathAndQuery).isZero();
  }

  @Test
  void workPastTheRequestDeadlineIsStoppedWith503() throws Exception {
    try (RegistryTestServer hurried =
        RegistryTestServer.start("hurried", "--kodo.http.request-timeout=1ns")) {
      hurried.send("POST", "/registry/register", "{\"node\":\"n1\"}");
      hurried.send(
          "POST",
          "/registry/connect",
          "{\"node\":\"n1\",\"url\":\"http://127.0.0.1:9\",\"flows\":"
              + "[{\"path\":\"a.yaml\",\"name\":\"A flow\",\"release\":\"1.0.0\"}]}");
      for (String path :
          List.of(
              "/registry/flows?search=" + enc("a f*"),
              "/registry/nodes?query=" + enc("name ~ \"n*\""))) {
        HttpResponse<String> r = hurried.get(path);
        RegistryTestServer.problem(r, 503, "kodo.http.request-timeout");
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
      }
      assertThat(hurried.get("/registry/state").statusCode())
          .as("work that needs no loop is done")
          .isEqualTo(200);
    }
  }

  // ---- item 10: browsers ------------------------------------------------------------------

  @Test
  void browserBorneRequestsAreRefused() throws IOException {
    URI base = URI.create(server.base);
    try (Socket s = new Socket(base.getHost(), base.getPort())) {
      s.setSoTimeout(10_000);
      s.getOutputStream()
          .write(
              ("GET /registry/state HTTP/1.1\r\nHost: attacker.example:"
                      + base.getPort()
                      + "\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer)
          .startsWith("HTTP/1.1 421")
          .contains("application/problem+json")
          .contains("kodo.http.allowed-hosts");
    }

    for (String path : List.of("/registry/cleanup", "/registry/peers/nobody/sync")) {
      HttpResponse<String> r = send(request(path).POST(HttpRequest.BodyPublishers.noBody()));
      RegistryTestServer.problem(r, 403, "X-Kodo-Client");
    }
    HttpResponse<String> form =
        send(
            request("/registry/register")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("node=evil")));
    assertThat(form.statusCode()).isIn(403, 415);
    HttpResponse<String> delete =
        send(request("/registry/register/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").DELETE());
    RegistryTestServer.problem(delete, 403, "X-Kodo-Client");
    HttpResponse<String> crossOrigin =
        send(
            request("/registry/register")
                .header("Origin", "http://attacker.example")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"node\":\"evil\"}")));
    assertThat(crossOrigin.statusCode()).isEqualTo(403);
    assertThat(crossOrigin.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    HttpResponse<String> crossSite =
        send(
            request("/registry/flows")
                .header("Sec-Fetch-Site", "cross-site")
                .header("Sec-Fetch-Mode", "no-cors")
                .GET());
    assertThat(crossSite.statusCode()).isEqualTo(403);

    assertThat(server.ok("/registry/nodes").get("filtered").asLong())
        .as("nothing was registered or removed")
        .isEqualTo(1);
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(server.base + path)).timeout(ANSWER_BOUND);
  }

  private static HttpResponse<String> send(HttpRequest.Builder b) {
    return RegistryTestServer.send(b.build());
  }
}
