package dev.kodo.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodeClientTest {

  @Nested
  class Connect {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "localhost:3370",
          "127.0.0.1:3370",
          "ftp://127.0.0.1:3370",
          "http://",
          "http:///api",
          "http://exa mple.org",
          "node",
          "http://127.0.0.1:3370/?x=1",
          "http://127.0.0.1:3370/#top",
          "file:///tmp/node"
        })
    void rejectsWhatIsNotANodeUrlNamingIt(String url) {
      assertThatThrownBy(() -> NodeClient.connect(url))
          .isInstanceOf(KodoException.class)
          .hasMessageContaining("'" + url + "' is not a node URL");
    }

    @Test
    void rejectsNothingAtAll() {
      assertThatThrownBy(() -> NodeClient.connect(null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("node url");
      assertThatThrownBy(() -> NodeClient.connect("  "))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("node url");
    }

    @Test
    void acceptsHttpAndHttpsAndDropsTrailingSlashes() {
      assertThat(NodeClient.connect("http://127.0.0.1:3370/").url())
          .hasToString("http://127.0.0.1:3370");
      assertThat(NodeClient.connect("https://kodo.example.org").url())
          .hasToString("https://kodo.example.org");
      assertThat(NodeClient.connect("http://proxy:8080/kodo//").url())
          .hasToString("http://proxy:8080/kodo");
    }

    @Test
    void aNodeThatIsNotThereIsARetryableErrorThatSaysSo() throws IOException {
      int port;
      try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = probe.getLocalPort();
      }
      NodeClient node = NodeClient.connect("http://127.0.0.1:" + port);

      KodoException e = catchThrowableOfType(KodoException.class, node::state);

      assertThat(e.retryable()).isTrue();
      assertThat(e).hasMessageContaining("no node answers at http://127.0.0.1:" + port);
    }
  }

  // ---- against a scripted node on loopback ----

  private record Reply(int status, String contentType, String body) {}

  private static HttpServer server;
  private static final Map<String, Reply> replies = new ConcurrentHashMap<>();
  private static final List<String> requests = new ArrayList<>();
  private static final Map<String, String> lastHeaders = new ConcurrentHashMap<>();

  @BeforeAll
  static void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", NodeClientTest::answer);
    server.start();
  }

  @AfterAll
  static void stopServer() {
    server.stop(0);
  }

  @BeforeEach
  void reset() {
    replies.clear();
    synchronized (requests) {
      requests.clear();
    }
    lastHeaders.clear();
  }

  private static void answer(HttpExchange x) throws IOException {
    String target =
        x.getRequestURI().getRawPath()
            + (x.getRequestURI().getRawQuery() == null
                ? ""
                : "?" + x.getRequestURI().getRawQuery());
    String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    synchronized (requests) {
      requests.add(x.getRequestMethod() + " " + target + (body.isEmpty() ? "" : " " + body));
    }
    x.getRequestHeaders().forEach((k, v) -> lastHeaders.put(k.toLowerCase(), String.join(",", v)));
    Reply r =
        replies.getOrDefault(
            x.getRequestURI().getRawPath(),
            new Reply(404, "text/plain", "no script for " + target));
    byte[] bytes = r.body().getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", r.contentType());
    x.sendResponseHeaders(r.status(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static NodeClient node() {
    return NodeClient.connect("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private static List<String> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  private static final String PROBLEM = "application/problem+json";

  @Nested
  class Errors {
    @Test
    void aProblemBecomesANodeExceptionWithStatusDetailAndFieldErrors() {
      replies.put(
          "/api/runs",
          new Reply(
              400,
              PROBLEM,
              """
          {"type":"about:blank","title":"Invalid inputs","status":400,"detail":"the inputs name, times are invalid",
           "instance":"/api/runs","errors":[{"field":"name","message":"is required"},
           {"field":"times","message":"must be at most 5"}]}"""));

      NodeException e =
          catchThrowableOfType(
              NodeException.class, () -> node().launch("demo.Hello", Map.of("times", 9)));

      assertThat(e.status()).isEqualTo(400);
      assertThat(e.retryable()).isFalse();
      assertThat(e.problem().title()).isEqualTo("Invalid inputs");
      assertThat(e.problem().detail()).isEqualTo("the inputs name, times are invalid");
      assertThat(e.problem().instance()).isEqualTo("/api/runs");
      assertThat(e.problem().errors())
          .containsExactly(
              new Problem.FieldError("name", "is required"),
              new Problem.FieldError("times", "must be at most 5"));
      assertThat(e)
          .hasMessage(
              "400 Invalid inputs: the inputs name, times are invalid\n  name: is required\n  times: must be at most 5");
    }

    @Test
    void aProblemWithoutStatusTakesTheHttpStatus() {
      replies.put(
          "/api/runs/0190b2f4-6a3e-7c1d-8e2f-123456789abc",
          new Reply(
              404,
              PROBLEM,
              "{\"title\":\"Not Found\",\"detail\":\"no run 0190b2f4-6a3e-7c1d-8e2f-123456789abc\"}"));

      NodeException e =
          catchThrowableOfType(
              NodeException.class, () -> node().run("0190b2f4-6a3e-7c1d-8e2f-123456789abc"));

      assertThat(e.status()).isEqualTo(404);
      assertThat(e.problem().errors()).isEmpty();
      assertThat(e).hasMessage("404 Not Found: no run 0190b2f4-6a3e-7c1d-8e2f-123456789abc");
    }

    @Test
    void aSuccessfulAnswerThatIsNotWhatKodoExpectsIsSaidInOneLine() {
      // a proxy's page, another service on the port, an incompatible version: never a parser's
      // exception for koco to print as an unexpected error
      String json = "application/json";
      replies.put("/api/flows", new Reply(200, json, "{\"total\": null, \"items\": []}"));
      replies.put("/api/runs/r1", new Reply(200, "text/html", "<html>Welcome to nginx</html>"));
      replies.put("/api/runs/r2/stream", new Reply(200, "text/event-stream", "data: [1,2]\n\n"));

      KodoException flows = catchThrowableOfType(KodoException.class, () -> node().flows());
      KodoException run = catchThrowableOfType(KodoException.class, () -> node().run("r1"));
      KodoException stream =
          catchThrowableOfType(KodoException.class, () -> node().stream("r2", 0, e -> {}));

      for (KodoException e : List.of(flows, run, stream)) {
        assertThat(e)
            .isNotInstanceOf(NodeException.class)
            .hasMessageStartingWith("the node at http://127.0.0.1:")
            .hasMessageContaining("answered with JSON that is not what Kodo expects")
            .hasMessageEndingWith("is it a Kodo node of a compatible version?");
        assertThat(e.getMessage()).doesNotContain("\n");
      }
      assertThat(flows).hasMessageContaining("total");
    }

    @Test
    void aBodyThatIsNotJsonBecomesTheDetail() {
      replies.put(
          "/api/state", new Reply(502, "text/html", "<html><body>Bad Gateway</body></html>"));

      NodeException e = catchThrowableOfType(NodeException.class, () -> node().state());

      assertThat(e.status()).isEqualTo(502);
      assertThat(e.retryable()).isTrue();
      assertThat(e.problem().title()).isEqualTo("HTTP 502");
      assertThat(e.problem().detail()).isEqualTo("<html><body>Bad Gateway</body></html>");
      assertThat(e).hasMessageContaining("502").hasMessageContaining("Bad Gateway");
    }

    @Test
    void jsonThatIsNotAProblemIsKeptAsTheDetail() {
      replies.put(
          "/api/state",
          new Reply(
              500,
              "application/json",
              "{\"timestamp\":\"2026-11-27T11:12:13.456Z\",\"status\":500,\"error\":\"Internal Server Error\"}"));

      NodeException e = catchThrowableOfType(NodeException.class, () -> node().state());

      assertThat(e.status()).isEqualTo(500);
      assertThat(e).hasMessageContaining("Internal Server Error");
    }

    @Test
    void anEmptyErrorBodyStillGivesTheStatus() {
      replies.put("/api/flows", new Reply(503, "text/plain", ""));

      NodeException e = catchThrowableOfType(NodeException.class, () -> node().flows());

      assertThat(e.status()).isEqualTo(503);
      assertThat(e.retryable()).isTrue();
      assertThat(e).hasMessageStartingWith("503");
    }

    @Test
    void tooManyRequestsIsRetryableAndAConflictIsNot() {
      replies.put(
          "/api/state",
          new Reply(429, PROBLEM, "{\"title\":\"Too Many Requests\",\"status\":429}"));
      assertThat(catchThrowableOfType(NodeException.class, () -> node().state()).retryable())
          .isTrue();

      replies.put("/api/state", new Reply(409, PROBLEM, "{\"title\":\"Conflict\",\"status\":409}"));
      assertThat(catchThrowableOfType(NodeException.class, () -> node().state()).retryable())
          .isFalse();
    }
  }

  @Nested
  class Calls {
    @Test
    void launchPostsFlowAndInputsAndReadsTheRunDocument() {
      replies.put(
          "/api/runs",
          new Reply(
              201,
              "application/json",
              """
          {"fid":"0190b2f4-6a3e-7c1d-8e2f-123456789abc","flow":"demo.Hello","state":"pending",
           "progress":{"value":0.0,"message":null},"inputs":{"name":"Ada"},"created":"2026-11-27T11:12:13.456Z",
           "acknowledged":false,"events":3,"links":{"stream":"/api/runs/0190b2f4-6a3e-7c1d-8e2f-123456789abc/stream"},
           "somethingNew":true}"""));

      RunDocument run = node().launch("demo.Hello", Map.of("name", "Ada"));

      assertThat(run.fid()).isEqualTo("0190b2f4-6a3e-7c1d-8e2f-123456789abc");
      assertThat(run.state()).isEqualTo(RunState.PENDING);
      assertThat(run.inputs().path("name").asString()).isEqualTo("Ada");
      assertThat(run.events()).isEqualTo(3);
      assertThat(run.links()).containsKey("stream");
      String request = requests().getFirst();
      assertThat(request).startsWith("POST /api/runs ");
      assertThat(Json.read(request.substring("POST /api/runs ".length())))
          .isEqualTo(Json.read("{\"flow\":\"demo.Hello\",\"inputs\":{\"name\":\"Ada\"}}"));
      assertThat(lastHeaders.get("content-type")).isEqualTo("application/json");
    }

    @Test
    void encodesFlowPathsAndQueryParameters() {
      replies.put(
          "/api/flows/crews%2Fresearch%20team.yaml",
          new Reply(
              200,
              "application/json",
              "{\"path\":\"crews/research team.yaml\",\"name\":\"Research\",\"tags\":[\"a\"]}"));
      replies.put(
          "/api/runs",
          new Reply(
              200,
              "application/json",
              "{\"total\":0,\"filtered\":0,\"p\":0,\"pp\":50,\"items\":[]}"));

      assertThat(node().flow("crews/research team.yaml").name()).isEqualTo("Research");
      assertThat(node().runs(Map.of("search", "a&b c")).items()).isEmpty();

      assertThat(requests())
          .containsExactly(
              "GET /api/flows/crews%2Fresearch%20team.yaml", "GET /api/runs?search=a%26b%20c");
    }

    @Test
    void keepsThePathPrefixOfANodeBehindAProxy() {
      replies.put(
          "/kodo/api/state", new Reply(200, "application/json", "{\"name\":\"behind-proxy\"}"));

      NodeClient node =
          NodeClient.connect("http://127.0.0.1:" + server.getAddress().getPort() + "/kodo/");

      assertThat(node.state().path("name").asString()).isEqualTo("behind-proxy");
    }

    @Test
    void readsAPageOfEventsWithRawData() {
      replies.put(
          "/api/runs/f1/events",
          new Reply(
              200,
              "application/json",
              """
          {"fid":"f1","items":[
            {"fid":"f1","seq":4,"ts":"2026-11-27T11:12:13.456Z","kind":"process","type":"progress","data":{"value":0.5,"message":"half"}},
            {"fid":"f1","seq":5,"ts":"2026-11-27T11:12:13.457Z","kind":"process","type":"result","data":{"format":"json","body":{"n":1.50}}}],
           "last":9,"more":true}"""));

      EventsPage page = node().events("f1", 3, 2);

      assertThat(page.items()).extracting(Event::seq).containsExactly(4L, 5L);
      assertThat(page.items().get(1).data())
          .isEqualTo("{\"format\":\"json\",\"body\":{\"n\":1.50}}");
      assertThat(page.last()).isEqualTo(9);
      assertThat(page.more()).isTrue();
      assertThat(requests()).containsExactly("GET /api/runs/f1/events?after=3&limit=2");
    }
  }

  @Nested
  class Stream {
    private static String event(long seq, String type, String data) {
      return "{\"fid\":\"f1\",\"seq\":"
          + seq
          + ",\"ts\":\"2026-11-27T11:12:13.456Z\",\"kind\":\""
          + EventType.require(type).kind()
          + "\",\"type\":\""
          + type
          + "\",\"data\":"
          + data
          + "}";
    }

    @Test
    void handsEventsInOrderAcrossMultiLineFramingAndCommentsAndReturnsTheLastSeq() {
      String progress = event(3, "progress", "{\"value\":0.5,\"message\":\"a: b\"}");
      String result = event(4, "result", "{\"format\":\"markdown\",\"body\":\"line 1\\nline 2\"}");
      String fin =
          event(
              5,
              "final",
              "{\"result\":{\"format\":\"markdown\",\"body\":\"done\"},\"runtime\":1.5}");
      int cut = result.indexOf(",\"kind\"");
      String sse =
          "retry: 2000\n\n"
              + ": keep-alive\n\n"
              + "id: 3\nevent: progress\ndata: "
              + progress
              + "\n\n"
              + ": a comment between events\n"
              + "id: 4\r\nevent: result\r\ndata:"
              + result.substring(0, cut)
              + "\r\ndata: "
              + result.substring(cut)
              + "\r\n\r\n"
              + "id: 5\nevent: final\n: a comment inside an event\ndata: "
              + fin
              + "\n\n";
      replies.put("/api/runs/f1/stream", new Reply(200, "text/event-stream", sse));
      List<Event> seen = new ArrayList<>();

      long last = node().stream("f1", 2, seen::add);

      assertThat(seen).extracting(Event::seq).containsExactly(3L, 4L, 5L);
      assertThat(seen).extracting(Event::type).containsExactly("progress", "result", "final");
      assertThat(seen.get(0).dataNode().path("message").asString()).isEqualTo("a: b");
      assertThat(seen.get(1).dataNode().path("body").asString()).isEqualTo("line 1\nline 2");
      assertThat(seen.get(2).terminal()).isTrue();
      assertThat(last).isEqualTo(5);
      assertThat(lastHeaders.get("last-event-id")).isEqualTo("2");
      assertThat(lastHeaders.get("accept")).isEqualTo("text/event-stream");
    }

    @Test
    void anEmptyStreamReturnsWhereItStarted() {
      replies.put(
          "/api/runs/f1/stream",
          new Reply(200, "text/event-stream", "retry: 2000\n\n: keep-alive\n\n"));
      List<Event> seen = new ArrayList<>();

      assertThat(node().stream("f1", 7, seen::add)).isEqualTo(7);
      assertThat(seen).isEmpty();
    }

    @Test
    void aStreamCutBeforeItsBlankLineDropsTheUnfinishedEvent() {
      replies.put(
          "/api/runs/f1/stream",
          new Reply(
              200,
              "text/event-stream",
              "data: "
                  + event(1, "progress", "{}")
                  + "\n\ndata: "
                  + event(2, "progress", "{}")
                  + "\n"));
      List<Event> seen = new ArrayList<>();

      assertThat(node().stream("f1", 0, seen::add)).isEqualTo(1);
      assertThat(seen).extracting(Event::seq).containsExactly(1L);
    }

    @Test
    void anUnknownRunIsANodeException() {
      replies.put(
          "/api/runs/nope/stream",
          new Reply(
              404, PROBLEM, "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"no run nope\"}"));

      NodeException e =
          catchThrowableOfType(NodeException.class, () -> node().stream("nope", 0, ev -> {}));

      assertThat(e.status()).isEqualTo(404);
      assertThat(e.problem().detail()).isEqualTo("no run nope");
    }
  }
}
