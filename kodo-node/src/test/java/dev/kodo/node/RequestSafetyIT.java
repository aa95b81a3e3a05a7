package dev.kodo.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Json;
import dev.kodo.client.NodeClient;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Requests that could hurt the node (issue 8, items 7, 10 and 11): searches built to make a
 * backtracking matcher run for ever, browsers made to talk to the node by pages of other sites (DNS
 * rebinding, cross-site form posts, cross-origin calls), and callers taking more than their share
 * (live streams, events added to one run). Each is refused or answered at once, with a problem that
 * names the reason. One real node on loopback with small limits.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RequestSafetyIT {
  private static final String RESEARCH = "dev.kodo.examples.ResearchSteps";
  private static final String SHORT_LOCK = "dev.kodo.node.testflows.ShortLock";

  /** The HTTP client gives up after this: far above what any answer needs, far below "for ever". */
  private static final Duration ANSWER_BOUND = Duration.ofSeconds(5);

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  static ConfigurableApplicationContext context;
  static String base;
  static int port;
  static NodeClient client;

  @BeforeAll
  static void start() {
    Path data = Path.of("target", "it-data", UUID.randomUUID().toString());
    context =
        NodeApplication.start(
            "--server.port=0",
            "--kodo.data=" + data,
            "--kodo.cluster.name=it-" + UUID.randomUUID(),
            "--kodo.flows=classpath:*," + SHORT_LOCK,
            "--kodo.cleanup.interval=0s",
            "--kodo.limits.streams-per-run=2",
            "--kodo.limits.streams=3",
            "--kodo.limits.caller-events-per-run=3");
    port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    base = "http://127.0.0.1:" + port;
    client = NodeClient.connect(base);
    for (int i = 0; i < 3; i++) {
      finished(
          client
              .launch(
                  RESEARCH,
                  Map.of("topic", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa " + i, "steps", 1, "pause", 0))
              .fid());
    }
  }

  @AfterAll
  static void stop() {
    if (context != null) context.close();
  }

  // ---- item 7: ReDoS ----------------------------------------------------------------------

  /**
   * Globs a backtracking matcher (a regular expression, a naive LIKE) needs exponential time for.
   */
  static Stream<String> evilGlobs() {
    return Stream.of(
        "*".repeat(100) + "~",
        "*a".repeat(99) + "~",
        "?*".repeat(90) + "!",
        "a*".repeat(99) + "b",
        "*" + "a*".repeat(60) + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab");
  }

  static Stream<Arguments> searchParameters() {
    List<Arguments> out = new ArrayList<>();
    evilGlobs()
        .forEach(
            glob -> {
              for (String list :
                  List.of("/api/flows", "/api/runs", "/api/runs?state=done&by=flow%20desc")) {
                out.add(Arguments.of(list, glob));
              }
            });
    return out.stream();
  }

  @ParameterizedTest
  @MethodSource("searchParameters")
  void evilSearchesAreAnsweredAtOnce(String list, String glob) throws Exception {
    String uri =
        base
            + list
            + (list.contains("?") ? "&" : "?")
            + "search="
            + URLEncoder.encode(glob, StandardCharsets.UTF_8);
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(uri)).timeout(ANSWER_BOUND).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(Json.read(r.body()).path("filtered").asLong()).isZero();
  }

  @Test
  void aGlobStillFindsWhatItDescribes() {
    assertThat(
            client
                .getJson(
                    "/api/flows?search=" + URLEncoder.encode("*research*", StandardCharsets.UTF_8))
                .path("filtered")
                .asLong())
        .as("ResearchSteps and AgenticResearch")
        .isEqualTo(2);
    assertThat(
            client.getJson("/api/flows?search=dev.kodo.examples.R*S?eps").path("filtered").asLong())
        .isEqualTo(1);
  }

  // ---- item 10: browsers ------------------------------------------------------------------

  @Test
  void anUnknownHostIsRefused() throws IOException {
    Raw r =
        raw(
            "GET /api/state HTTP/1.1\r\nHost: attacker.example:"
                + port
                + "\r\nConnection: close\r\n\r\n");
    assertThat(r.status).isEqualTo(421);
    assertThat(r.body)
        .contains("application/problem+json")
        .contains("attacker.example")
        .contains("kodo.http.allowed-hosts");
    for (String host :
        List.of(
            "127.0.0.1:" + port,
            "localhost:" + port,
            "LOCALHOST",
            "[::1]:" + port,
            "app.localhost")) {
      assertThat(
              raw("GET /api/state HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                  .status)
          .as(host)
          .isEqualTo(200);
    }
  }

  @Test
  void crossSiteFormPostsAndBodylessPostsWithoutTheClientHeaderAreRefused() {
    RunDocument live = client.launch(SHORT_LOCK, Map.of("millis", 60_000));
    String kill = base + "/api/runs/" + live.fid() + "/kill";
    // What a <form> can send: text/plain, urlencoded, multipart — or nothing at all.
    for (String type :
        List.of(
            "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x")) {
      HttpResponse<String> r =
          send(
              HttpRequest.newBuilder(URI.create(kill))
                  .header("Content-Type", type)
                  .POST(HttpRequest.BodyPublishers.ofString("a=b"))
                  .build());
      assertThat(r.statusCode()).as(type).isIn(403, 415);
      assertThat(r.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/problem+json");
    }
    for (String path :
        List.of(
            "/api/runs/" + live.fid() + "/kill",
            "/api/flows/reload",
            "/api/cleanup",
            "/api/runs/" + live.fid() + "/ack")) {
      HttpResponse<String> r =
          send(
              HttpRequest.newBuilder(URI.create(base + path))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build());
      assertThat(r.statusCode()).as(path).isEqualTo(403);
      assertThat(Json.read(r.body()).path("detail").asString()).contains("X-Kodo-Client");
    }
    HttpResponse<String> delete =
        send(HttpRequest.newBuilder(URI.create(base + "/api/runs/" + live.fid())).DELETE().build());
    assertThat(delete.statusCode()).isEqualTo(403);
    assertThat(client.run(live.fid()).state()).as("nothing was killed").isEqualTo(RunState.LOCKED);

    // A client that says so (koco, NodeClient), or sends JSON, is answered.
    HttpResponse<String> ok =
        send(
            HttpRequest.newBuilder(URI.create(kill))
                .header("X-Kodo-Client", "test")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(client.run(live.fid()).state()).isEqualTo(RunState.KILLED);
  }

  @Test
  void requestsFromPagesOfOtherSitesAreRefused() {
    String self = "http://127.0.0.1:" + port;
    for (String origin :
        List.of(
            "http://attacker.example",
            "null",
            "http://127.0.0.1:" + (port + 1),
            "http://localhost:" + port)) {
      HttpResponse<String> r =
          send(
              HttpRequest.newBuilder(URI.create(base + "/api/runs"))
                  .header("Origin", origin)
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"flow\":\"" + RESEARCH + "\",\"inputs\":{\"topic\":\"xx\"}}"))
                  .build());
      assertThat(r.statusCode()).as(origin).isEqualTo(403);
      assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
      HttpResponse<String> read =
          send(
              HttpRequest.newBuilder(URI.create(base + "/api/runs"))
                  .header("Origin", origin)
                  .GET()
                  .build());
      assertThat(read.statusCode()).as(origin).isEqualTo(403);
    }
    for (String site : List.of("cross-site", "same-site")) {
      HttpResponse<String> r =
          send(
              HttpRequest.newBuilder(URI.create(base + "/api/flows"))
                  .header("Sec-Fetch-Site", site)
                  .header("Sec-Fetch-Mode", "no-cors")
                  .GET()
                  .build());
      assertThat(r.statusCode()).as(site).isEqualTo(403);
      assertThat(Json.read(r.body()).path("title").asString())
          .isEqualTo("Cross-site request refused");
    }
    // The node's own pages, a link followed to it, and clients without these headers are answered.
    assertThat(
            send(HttpRequest.newBuilder(URI.create(base + "/api/flows"))
                    .header("Origin", self)
                    .GET()
                    .build())
                .statusCode())
        .isEqualTo(200);
    assertThat(
            send(HttpRequest.newBuilder(URI.create(base + "/api/flows"))
                    .header("Sec-Fetch-Site", "same-origin")
                    .header("Sec-Fetch-Mode", "cors")
                    .GET()
                    .build())
                .statusCode())
        .isEqualTo(200);
    assertThat(
            send(HttpRequest.newBuilder(URI.create(base + "/api/state"))
                    .header("Sec-Fetch-Site", "cross-site")
                    .header("Sec-Fetch-Mode", "navigate")
                    .GET()
                    .build())
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void noPreflightIsGrantedAndNoAnswerAllowsOtherOrigins() {
    HttpResponse<String> preflight =
        send(
            HttpRequest.newBuilder(URI.create(base + "/api/runs"))
                .header("Origin", "http://attacker.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,x-kodo-client")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(preflight.statusCode()).isEqualTo(403);
    assertThat(preflight.headers().map().keySet())
        .noneMatch(h -> h.toLowerCase().startsWith("access-control-allow"));
    HttpResponse<String> plain =
        send(HttpRequest.newBuilder(URI.create(base + "/api/state")).GET().build());
    assertThat(plain.headers().map().keySet())
        .noneMatch(h -> h.toLowerCase().startsWith("access-control-allow"));
  }

  // ---- item 11: caps ----------------------------------------------------------------------

  @Test
  void liveStreamsAreCappedPerRunAndPerNode() throws Exception {
    RunDocument a = locked(client.launch(SHORT_LOCK, Map.of("millis", 60_000)).fid());
    RunDocument b = locked(client.launch(SHORT_LOCK, Map.of("millis", 60_000)).fid());
    RunDocument c = locked(client.launch(SHORT_LOCK, Map.of("millis", 60_000)).fid());
    List<Raw> open = new ArrayList<>();
    try {
      open.add(stream(a.fid()));
      open.add(stream(a.fid()));
      assertThat(open).allSatisfy(r -> assertThat(r.status).isEqualTo(200));
      Raw third = stream(a.fid());
      assertThat(third.status).isEqualTo(429);
      assertThat(third.body).contains("kodo.limits.streams-per-run");
      open.add(stream(b.fid()));
      assertThat(open.getLast().status).isEqualTo(200);
      Raw fourth = stream(c.fid());
      assertThat(fourth.status).isEqualTo(429);
      assertThat(fourth.body).contains("kodo.limits.streams");

      // Streams end with their run, and their places are free again.
      client.kill(a.fid());
      Raw again =
          NodeTestSupport.await(
              "a stream place freed by the end of run a",
              () -> {
                try {
                  Raw r = stream(c.fid());
                  if (r.status == 200) return r;
                  r.close();
                  return null;
                } catch (IOException e) {
                  throw new RuntimeException(e);
                }
              });
      open.add(again);
    } finally {
      for (Raw r : open) r.close();
      client.kill(b.fid());
      client.kill(c.fid());
    }
  }

  @Test
  void eventsCallersAddToOneRunAreCapped() throws Exception {
    RunDocument shared =
        finished(client.launch(RESEARCH, Map.of("topic", "shared", "steps", 1, "pause", 0)).fid());
    for (int i = 0; i < 3; i++) {
      client.share(shared.fid(), List.of("user:u" + i), "basic", "r");
    }
    HttpResponse<String> fourth =
        NodeTestSupport.post(
            base,
            "/api/runs/" + shared.fid() + "/share",
            "application/json",
            "{\"subjects\":[\"user:u4\"],\"level\":\"basic\",\"mode\":\"r\"}");
    assertThat(fourth.statusCode()).isEqualTo(429);
    assertThat(Json.read(fourth.body()).path("detail").asString())
        .contains("kodo.limits.caller-events-per-run");

    RunDocument locked = locked(client.launch(SHORT_LOCK, Map.of("millis", 60_000)).fid());
    String lid = locked.lock().path("lid").asString();
    String answer = "/api/runs/" + locked.fid() + "/locks/" + lid;
    for (int i = 0; i < 3; i++) {
      assertThat(NodeTestSupport.post(base, answer, "application/json", "{}").statusCode())
          .as("denied answer " + i)
          .isEqualTo(422);
    }
    HttpResponse<String> more = NodeTestSupport.post(base, answer, "application/json", "{}");
    assertThat(more.statusCode()).isEqualTo(429);
    long candidates =
        client.events(locked.fid(), 0, 1000).items().stream()
            .filter(e -> e.type().equals("candidate"))
            .count();
    assertThat(candidates).isEqualTo(3);
    client.kill(locked.fid());
  }

  // ---- helpers ----------------------------------------------------------------------------

  static RunDocument finished(String fid) {
    try {
      return NodeTestSupport.await(
          "run " + fid + " to finish",
          () -> {
            RunDocument r = client.run(fid);
            return r.state().finished() ? r : null;
          });
    } catch (InterruptedException e) {
      throw new RuntimeException(e);
    }
  }

  static RunDocument locked(String fid) throws InterruptedException {
    return NodeTestSupport.await(
        "run " + fid + " to lock",
        () -> {
          RunDocument r = client.run(fid);
          return r.state() == RunState.LOCKED ? r : null;
        });
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

  /**
   * An answer read from a raw socket: its status and what was read of it (headers, maybe some
   * body).
   */
  static final class Raw implements AutoCloseable {
    final Socket socket;
    final int status;
    final String body;

    Raw(Socket socket, int status, String body) {
      this.socket = socket;
      this.status = status;
      this.body = body;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /** Opens a live stream and reads its head; the socket stays open (a listener) until closed. */
  static Raw stream(String fid) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(10_000);
    s.getOutputStream()
        .write(
            ("GET /api/runs/" + fid + "/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    InputStream in = s.getInputStream();
    StringBuilder head = new StringBuilder();
    byte[] buf = new byte[4096];
    while (!head.toString().contains("\r\n\r\n")) {
      int n = in.read(buf);
      if (n < 0) break;
      head.append(new String(buf, 0, n, StandardCharsets.UTF_8));
    }
    int status = Integer.parseInt(head.substring(9, 12));
    if (status != 200) {
      // A problem: read its body too (it is short and the answer says how long).
      s.setSoTimeout(2_000);
      try {
        int n;
        while (!head.toString().contains("}") && (n = in.read(buf)) > 0) {
          head.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
      } catch (IOException endOfAnswer) {
        // what arrived is enough
      }
    }
    return new Raw(s, status, head.toString());
  }

  static Raw raw(String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
      String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Raw(s, Integer.parseInt(all.substring(9, 12)), all);
    }
  }
}
