package dev.kodo.node;

import static dev.kodo.node.NodeTestSupport.get;
import static dev.kodo.node.NodeTestSupport.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Event;
import dev.kodo.client.Json;
import dev.kodo.client.NodeClient;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import dev.kodo.node.runs.NodeInternals;
import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Result;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Whatever comes from outside gets a precise 4xx problem+json (RFC 9457: type, title, status,
 * detail, and per-field errors where they apply): never a 500, a stack trace, an HTML page, or a
 * run started for a caller who then gets an error. Probes one real node over HTTP, with raw sockets
 * where a well-behaved client would refuse to send the request.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class NodeEdgeCasesIT {
  private static final String RESEARCH = "dev.kodo.examples.ResearchSteps";
  private static final String CHATTY = Chatty.class.getName();

  /**
   * Keeps printing for a while whatever happens, a kill included: a flow that does not check for
   * cancellation.
   */
  public static final class Chatty implements Flow {
    @Override
    public FlowSpec spec() {
      return FlowSpec.builder("Chatty").description("prints for 1.5 s and ignores kills").build();
    }

    @Override
    public Result run(FlowContext ctx) {
      long end = System.nanoTime() + 1_500_000_000L;
      for (int i = 0; System.nanoTime() < end; i++) {
        System.out.println("still talking " + i);
        try {
          Thread.sleep(20);
        } catch (InterruptedException ignored) {
          // deaf to kills on purpose
        }
      }
      return Result.markdown("done talking");
    }
  }

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
            "--kodo.flows=classpath:*," + CHATTY);
    port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    base = "http://127.0.0.1:" + port;
    client = NodeClient.connect(base);
  }

  @AfterAll
  static void stop() {
    context.close();
  }

  // ---- POST /api/runs: bodies -------------------------------------------------------------

  static Stream<Arguments> wrongJsonTypes() {
    return Stream.of(
        Arguments.of("{\"flow\":1,\"inputs\":{}}", "flow", "must be a string, not a number"),
        Arguments.of("{\"flow\":2.5}", "flow", "must be a string, not a number"),
        Arguments.of("{\"flow\":true}", "flow", "must be a string, not a boolean"),
        Arguments.of(
            "{\"flow\":{\"path\":\"" + RESEARCH + "\"}}",
            "flow",
            "must be a string, not an object"),
        Arguments.of("{\"flow\":[\"" + RESEARCH + "\"]}", "flow", "must be a string, not an array"),
        Arguments.of(
            "{\"flow\":\"" + RESEARCH + "\",\"inputs\":[1,2]}",
            "inputs",
            "must be an object, not an array"),
        Arguments.of(
            "{\"flow\":\"" + RESEARCH + "\",\"inputs\":\"topic=x\"}",
            "inputs",
            "must be an object, not a string"),
        Arguments.of(
            "{\"flow\":\"" + RESEARCH + "\",\"inputs\":42}",
            "inputs",
            "must be an object, not a number"),
        Arguments.of(
            "{\"flow\":\"" + RESEARCH + "\",\"inputs\":{\"topic\":\"ab\",\"topic\":\"cd\"}}",
            "inputs.topic",
            "is given more than once"),
        Arguments.of(
            "{\"flow\":\"no.such.Flow\",\"flow\":\""
                + RESEARCH
                + "\",\"inputs\":{\"topic\":\"ab\"}}",
            "flow",
            "is given more than once"),
        Arguments.of("{}", "flow", "is required"),
        Arguments.of("{\"flow\":null,\"inputs\":{}}", "flow", "is required"),
        Arguments.of(
            "{\"flow\":\"" + RESEARCH + "\",\"inputs\":{\"topic\":\"ab\",\"steps\":1e400}}",
            "steps",
            "finite"),
        Arguments.of(
            "{\"flow\":\""
                + RESEARCH
                + "\",\"inputs\":{\"topic\":\"ab\",\"steps\":123456789012345678901234567890}}",
            "steps",
            "at most"),
        Arguments.of(
            "{\"flow\":\"" + RESEARCH + "\",\"inputs\":{\"topic\":{\"a\":1},\"steps\":1.5}}",
            "topic",
            "must be text"));
  }

  @ParameterizedTest
  @MethodSource("wrongJsonTypes")
  void wrongJsonTypesAre400NamingTheField(String body, String field, String message) {
    JsonNode p = problem(postJson(body), 400);
    assertThat(p.path("errors").findValuesAsString("field")).as(body).contains(field);
    assertThat(p.path("errors").toString()).as(body).contains(message);
  }

  static Stream<Arguments> malformedBodies() {
    String deep =
        "{\"flow\":\""
            + RESEARCH
            + "\",\"inputs\":{\"topic\":"
            + "[".repeat(10_000)
            + "]".repeat(10_000)
            + "}}";
    String deepObjects = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
    return Stream.of(
        Arguments.of(deep, "nesting depth"),
        Arguments.of(deepObjects, "nesting depth"),
        Arguments.of(
            "{\"flow\":\"" + RESEARCH + "\",\"inputs\":{\"topic\":\"ab\",\"steps\":NaN}}", "NaN"),
        Arguments.of(
            "{\"flow\":\"" + RESEARCH + "\",\"inputs\":{\"topic\":\"ab\"}} trailing",
            "line 1, column"),
        Arguments.of(
            "{\"flow\":\"" + RESEARCH + "\",\"inputs\":{\"topic\":\"ab\"}}{\"flow\":\"x\"}",
            "more content follows"),
        Arguments.of("{\"flow\": \"x\",\n \"inputs\": {oops}}", "line 2"),
        Arguments.of("null", "JSON object"),
        Arguments.of("", "JSON object"),
        Arguments.of("[1,2]", "must be an object, not an array"),
        Arguments.of("\"" + RESEARCH + "\"", "must be an object, not a string"),
        Arguments.of("{\"flow\":\"" + RESEARCH + "\"", "end-of-input"));
  }

  @ParameterizedTest
  @MethodSource("malformedBodies")
  void malformedJsonIs400WithWhereAndWhat(String body, String fragment) {
    JsonNode p = problem(postJson(body), 400);
    assertThat(p.path("detail").asString())
        .as(body.length() > 200 ? body.substring(0, 200) : body)
        .contains(fragment);
  }

  @Test
  void invalidUtf8IsRefusedNotMangled() {
    byte[] prefix =
        ("{\"flow\":\"" + RESEARCH + "\",\"inputs\":{\"topic\":\"a")
            .getBytes(StandardCharsets.UTF_8);
    for (byte[] bad :
        List.of(
            new byte[] {(byte) 0xff, (byte) 0xfe},
            new byte[] {(byte) 0xc3},
            new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80})) {
      byte[] body =
          concat(prefix, bad, "b\",\"pause\":0,\"steps\":1}}".getBytes(StandardCharsets.UTF_8));
      JsonNode p = problem(postBytes("application/json", body), 400);
      assertThat(p.path("detail").asString()).contains("UTF-8").contains("inputs.topic");
    }
  }

  @Test
  void declaredCharsetsAreHonouredAndNothingIsLost() {
    String topic = "café ☕ " + UUID.randomUUID();
    String body =
        "{\"flow\":\""
            + RESEARCH
            + "\",\"inputs\":{\"topic\":\""
            + topic.replace("☕", "\\u2615")
            + "\",\"pause\":0,\"steps\":1}}";
    for (Charset cs :
        List.of(
            StandardCharsets.UTF_8,
            StandardCharsets.ISO_8859_1,
            StandardCharsets.UTF_16LE,
            StandardCharsets.UTF_16BE)) {
      HttpResponse<String> r =
          postBytes("application/json; charset=" + cs.name(), body.getBytes(cs));
      assertThat(r.statusCode()).as(cs + ": " + r.body()).isEqualTo(201);
      assertThat(Json.read(r.body()).path("inputs").path("topic").asString())
          .as(cs.name())
          .isEqualTo(topic);
    }
    byte[] bom =
        concat(
            new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf},
            body.getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> r = postBytes("application/json", bom);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(Json.read(r.body()).path("inputs").path("topic").asString()).isEqualTo(topic);
  }

  static Stream<Arguments> unsupportedContentTypes() {
    return Stream.of(
        Arguments.of("text/plain", "application/json"),
        Arguments.of("application/x-www-form-urlencoded", "application/json"),
        Arguments.of("application/yaml", "application/json"),
        Arguments.of("application/json; charset=bogus-charset", "charset"),
        Arguments.of("not a media type", "application/json"));
  }

  @ParameterizedTest
  @MethodSource("unsupportedContentTypes")
  void otherContentTypesAre415SayingWhatIsTaken(String contentType, String fragment) {
    JsonNode p =
        problem(postBytes(contentType, "{\"flow\":\"x\"}".getBytes(StandardCharsets.UTF_8)), 415);
    assertThat(p.path("detail").asString()).contains(fragment);
  }

  @Test
  void aBodyWithoutContentTypeIs415() throws IOException {
    Raw r =
        raw(
            "POST /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 12\r\nConnection: close\r\n\r\n{\"flow\":\"x\"}");
    assertThat(rawProblem(r, 415).path("detail").asString()).contains("no Content-Type");
  }

  @Test
  void compressedBodiesAre415WithAcceptEncoding() throws IOException {
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
      gz.write(
          ("{\"flow\":\"" + RESEARCH + "\",\"inputs\":{\"topic\":\"gz\"}}")
              .getBytes(StandardCharsets.UTF_8));
    }
    HttpResponse<String> r =
        NodeTestSupport.send(
            HttpRequest.newBuilder(URI.create(base + "/api/runs"))
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(zipped.toByteArray()))
                .build());
    assertThat(problem(r, 415).path("detail").asString()).contains("Content-Encoding 'gzip'");
    assertThat(r.headers().firstValue("Accept-Encoding")).contains("identity");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../../etc/passwd",
        "..\\..\\windows",
        "dev/kodo/../../examples",
        "a\u0000b\u001b[31m",
        "流れ/😀",
        "%2e%2e%2f",
        "'; DROP TABLE runs;--"
      })
  void oddFlowPathsAre404ForThatPath(String flow) {
    JsonNode p = problem(postJson("{\"flow\":" + Json.quote(flow) + ",\"inputs\":{}}"), 404);
    assertThat(p.path("detail").asString()).isEqualTo("no flow '" + flow + "'");
  }

  @Test
  void aVeryLongFlowPathIsNotEchoedInFull() {
    String flow = "x".repeat(100_000);
    JsonNode p = problem(postJson("{\"flow\":\"" + flow + "\"}"), 404);
    assertThat(p.path("detail").asString()).hasSizeLessThan(400).contains("100000 characters");
  }

  @Test
  void refusedLaunchesStartNoRun() {
    String topic = "refused-" + UUID.randomUUID();
    String body =
        "{\"flow\":\""
            + RESEARCH
            + "\",\"inputs\":{\"topic\":\""
            + topic
            + "\",\"pause\":0,\"steps\":1}}";
    for (String accept : List.of("application/xml", "text/html", "text/event-stream")) {
      HttpResponse<String> r =
          NodeTestSupport.send(
              HttpRequest.newBuilder(URI.create(base + "/api/runs"))
                  .header("Content-Type", "application/json")
                  .header("Accept", accept)
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build());
      assertThat(problem(r, 406).path("detail").asString())
          .contains("application/json")
          .contains(accept);
    }
    problem(postJson(body.replace("\"steps\":1", "\"steps\":1,\"steps\":2")), 400);
    problem(
        postBytes(
            "application/yaml",
            ("flow: " + RESEARCH + "\ninputs: {topic: " + topic + "}")
                .getBytes(StandardCharsets.UTF_8)),
        415);
    assertThat(allRunTopics()).doesNotContain(topic);
    HttpResponse<String> ok =
        NodeTestSupport.send(
            HttpRequest.newBuilder(URI.create(base + "/api/runs"))
                .header("Content-Type", "application/json")
                .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
    assertThat(allRunTopics()).containsOnlyOnce(topic);
  }

  // ---- run management: refused before anything happens -----------------------------------

  @Test
  void managementRequestsThatCannotBeAnsweredChangeNothing() {
    RunDocument done = launchAndFinish("managed-" + UUID.randomUUID());
    String runPath = "/api/runs/" + done.fid();
    int runsBefore = allRunTopics().size();
    for (String action : List.of("/restart", "/ack", "/kill")) {
      HttpResponse<String> r =
          NodeTestSupport.send(
              HttpRequest.newBuilder(URI.create(base + runPath + action))
                  .header("Accept", "text/html")
                  .header("X-Kodo-Client", "test")
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build());
      assertThat(problem(r, 406).path("detail").asString()).as(action).contains("application/json");
    }
    assertThat(allRunTopics()).as("no restart happened").hasSize(runsBefore);
    assertThat(client.run(done.fid()).acknowledged()).as("no acknowledgement happened").isFalse();

    RunDocument live =
        client.launch(RESEARCH, Map.of("topic", "not-killed", "steps", 2, "pause", 300));
    HttpResponse<String> kill =
        NodeTestSupport.send(
            HttpRequest.newBuilder(URI.create(base + "/api/runs/" + live.fid() + "/kill"))
                .header("Accept", "application/xml")
                .header("X-Kodo-Client", "test")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    problem(kill, 406);
    List<Event> events = new ArrayList<>();
    client.stream(live.fid(), 0, events::add);
    assertThat(events.getLast().type()).as("the refused kill did not kill").isEqualTo("final");
  }

  static Stream<Arguments> badShares() {
    return Stream.of(
        Arguments.of(
            "application/json",
            "{\"subjects\":\"bob\",\"level\":\"basic\",\"mode\":\"r\"}",
            400,
            "subjects",
            "must be an array, not a string"),
        Arguments.of(
            "application/json",
            "{\"subjects\":[\"bob\"],\"level\":1,\"mode\":\"r\"}",
            400,
            "level",
            "must be a string, not a number"),
        Arguments.of(
            "application/json",
            "{\"subjects\":[\"bob\"],\"level\":\"full\",\"level\":\"basic\",\"mode\":\"r\"}",
            400,
            "level",
            "more than once"),
        Arguments.of(
            "application/json",
            "{\"subjects\":[{\"name\":\"bob\"}],\"level\":\"basic\",\"mode\":\"r\"}",
            400,
            "subjects[0]",
            "must be a string, not an object"),
        Arguments.of(
            "application/yaml",
            "subjects: [bob]\nlevel: basic\nmode: r\n",
            415,
            null,
            "application/json"),
        Arguments.of("text/plain", "bob", 415, null, "application/json"));
  }

  @ParameterizedTest
  @MethodSource("badShares")
  void badShareBodiesAreRefusedAndShareNothing(
      String contentType, String body, int status, String field, String fragment) {
    RunDocument run = launchAndFinish("share-" + UUID.randomUUID());
    HttpResponse<String> r =
        NodeTestSupport.send(
            HttpRequest.newBuilder(URI.create(base + "/api/runs/" + run.fid() + "/share"))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    JsonNode p = problem(r, status);
    if (field != null) {
      assertThat(p.path("errors").findValuesAsString("field")).containsExactly(field);
    }
    assertThat(p.toString()).contains(fragment);
    assertThat(
            client
                .getJson("/api/runs/" + run.fid() + "/events?pp=1000")
                .path("items")
                .findValuesAsString("type"))
        .doesNotContain("share");
  }

  @Test
  void lockAnswersMustBeJsonObjects() {
    RunDocument run = launchAndFinish("lock-body");
    String path = "/api/runs/" + run.fid() + "/locks/some-lock";
    assertThat(problem(post(base, path, "application/json", "[1]"), 400).path("detail").asString())
        .contains("must be an object, not an array");
    problem(post(base, path, "application/json", "{\"ok\":true,\"ok\":false}"), 400);
    problem(post(base, path, "application/x-www-form-urlencoded", "ok=true"), 415);
  }

  @Test
  void aKilledRunThatKeepsTalkingIsLetGoByTheJournal() throws Exception {
    RunDocument run = client.launch(CHATTY, Map.of());
    awaitTrue(Duration.ofSeconds(10), () -> client.run(run.fid()).events() > 6);
    HttpResponse<String> kill =
        post(base, "/api/runs/" + run.fid() + "/kill", "application/json", "");
    assertThat(kill.statusCode()).as(kill.body()).isEqualTo(200);
    long atKill = client.run(run.fid()).events();
    Thread.sleep(
        2_000); // the flow talks on for a while after its kill; the journal drops what it says
    assertThat(client.run(run.fid()).events())
        .as("nothing is appended after kill")
        .isEqualTo(atKill);
    assertThat(client.run(run.fid()).state()).isEqualTo(RunState.KILLED);
    awaitTrue(Duration.ofSeconds(15), () -> openRuns() == 0);
  }

  // ---- GET paths ------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/runs/abc%2Fdef",
        "/api/runs/%2e%2e%2fstate",
        "/api/runs/abc%00def",
        "/api/runs/a%5Cb",
        "/api/flows/%2e%2e%2f",
        "/api/flows/dev.kodo%2Fexamples",
        "/api/runs/%zz",
        "/api/flows/abc%",
        "/api/runs/a%ff%fe"
      })
  void pathsTomcatRefusesAre400ProblemsNotHtml(String path) throws IOException {
    Raw r =
        raw(
            "GET "
                + path
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\nConnection: close\r\n\r\n");
    assertThat(rawProblem(r, 400).path("detail").asString()).contains("not valid HTTP");
  }

  @Test
  void aTenKilobyteFidIs400Or404ProblemNotHtml() throws IOException {
    Raw r =
        raw(
            "GET /api/runs/"
                + "a".repeat(10_240)
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertThat(r.status).isIn(400, 404, 414);
    rawProblem(r, r.status);
    JsonNode p = problem(get(base, "/api/runs/" + "a".repeat(4_000)), 404);
    assertThat(p.path("detail").asString()).hasSizeLessThan(400);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/runs/not-a-fid",
        "/api/runs/01A21D08-97F1-7699-A71B-A9EE2A417448",
        "/api/runs/00000000-0000-0000-0000-000000000000/events",
        "/api/runs/%E2%80%AE/stream",
        "/api/flows/no.such.Flow",
        "/api/flows/%2e%2e/%2e%2e/etc/passwd",
        "/api/flows/a+b",
        "/api/runs/",
        "/api/nothing",
        "/error"
      })
  void unknownThingsAre404Problems(String path) {
    JsonNode p = problem(get(base, path), 404);
    if (path.endsWith("a+b")) {
      assertThat(p.path("detail").asString()).contains("'a+b'");
    }
  }

  static Stream<Arguments> badQueries() {
    String fid = "/api/runs/" + launchAndFinish("queries").fid();
    return Stream.of(
        Arguments.of("/api/runs?p=1&p=2", "p", "given 2 times"),
        Arguments.of("/api/runs?pp=10&pp=20", "pp", "given 2 times"),
        Arguments.of("/api/flows?search=a&search=b", "search", "given 2 times"),
        Arguments.of("/api/runs?flow=a&flow=b", "flow", "given 2 times"),
        Arguments.of(fid + "/events?after=1&after=2", "after", "given 2 times"),
        Arguments.of(fid + "/stream?after=1&after=2", "after", "given 2 times"),
        Arguments.of("/api/runs?p=-1", "p", "between 0 and"),
        Arguments.of("/api/runs?p=1.5", "p", "whole number"),
        Arguments.of("/api/runs?p=99999999999999999999", "p", "whole number"),
        Arguments.of("/api/runs?p=%D9%A1", "p", "whole number"),
        Arguments.of("/api/runs?p=0x10", "p", "whole number"),
        Arguments.of("/api/flows?pp=0", "pp", "between 1 and 1000"),
        Arguments.of("/api/flows?pp=1001", "pp", "between 1 and 1000"),
        Arguments.of("/api/runs?pp=1e3", "pp", "whole number"),
        Arguments.of(fid + "/events?after=-1", "after", "0 or more"),
        Arguments.of(fid + "/events?after=99999999999999999999", "after", "whole number"),
        Arguments.of(fid + "/events?after=2.5", "after", "whole number"),
        Arguments.of(fid + "/events?limit=0", "limit", "between 1 and 10000"),
        Arguments.of(fid + "/events?limit=10001", "limit", "between 1 and 10000"),
        Arguments.of(fid + "/events?limit=99999999999", "limit", "whole number"),
        Arguments.of(
            "/api/runs?by=created;drop%20table%20runs",
            "by", "sortable fields: created, fid, finished, flow, state"),
        Arguments.of("/api/runs?by=created%20desc,(select%201)", "by", "cannot sort by '(select'"),
        Arguments.of("/api/runs?by=created%20sideways", "by", "asc or desc"),
        Arguments.of("/api/runs?by=created%20desc%20nulls%20first", "by", "field asc|desc"),
        Arguments.of("/api/flows?by=" + "x".repeat(3000), "by", "3000 characters"),
        Arguments.of("/api/runs?state=sleeping", "state", "pending, locked, done, error, killed"),
        Arguments.of("/api/runs?state=done,%27%20OR%201=1", "state", "unknown run state"),
        Arguments.of("/api/runs?search=" + "a".repeat(1000), "search", "at most 200"),
        Arguments.of("/api/flows?search=a%00b", "search", "control characters"),
        Arguments.of("/api/runs?search=%0d%0aX-Injected:%201", "search", "control characters"));
  }

  @ParameterizedTest
  @MethodSource("badQueries")
  void badQueryParametersAre400NamingTheParameter(
      String pathAndQuery, String parameter, String fragment) {
    JsonNode p = problem(get(base, pathAndQuery), 400);
    assertThat(p.path("errors").findValuesAsString("field"))
        .as(pathAndQuery)
        .containsExactly(parameter);
    assertThat(p.path("detail").asString()).as(pathAndQuery).contains(fragment);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/runs?p=%zz", "/api/runs?search=%ff", "/api/flows?search=%e2%82"})
  void undecodableQueriesAre400NamingTheParameter(String pathAndQuery) throws IOException {
    Raw r =
        raw("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    JsonNode p = rawProblem(r, 400);
    assertThat(p.path("detail").asString()).contains("%-encoded UTF-8");
  }

  @Test
  void lenientButMeaningfulQueriesAreAnswered() {
    launchAndFinish("lenient");
    for (String q :
        List.of(
            "/api/runs?state=",
            "/api/runs?state=,",
            "/api/runs?state=done,,",
            "/api/runs?state=,done",
            "/api/runs?state=done&state=error",
            "/api/runs?by=created,",
            "/api/runs?by=%20created%20desc",
            "/api/runs?p=%2B0",
            "/api/runs?p=2147483647&pp=1000",
            "/api/flows?p=2147483647&pp=1000",
            "/api/runs?limit=5")) {
      HttpResponse<String> r = get(base, q);
      assertThat(r.statusCode()).as(q + " " + r.body()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    }
    assertThat(
            Json.read(get(base, "/api/runs?state=done&state=error&pp=1000").body())
                .path("filtered")
                .asLong())
        .isEqualTo(
            Json.read(get(base, "/api/runs?state=done,error&pp=1000").body())
                .path("filtered")
                .asLong())
        .isPositive();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"%25", "_", "%5C", "%27", "%22", "%5B", "%5Ba-z%5D", "%25%25%25", "%5C%25", "%60"})
  void searchMetacharactersMatchThemselves(String search) {
    launchAndFinish("metachars");
    for (String list : List.of("/api/runs", "/api/flows")) {
      HttpResponse<String> r = get(base, list + "?search=" + search);
      assertThat(r.statusCode()).as(list + search).isEqualTo(200);
      assertThat(Json.read(r.body()).path("filtered").asLong())
          .as(list + "?search=" + search)
          .isZero();
    }
  }

  // ---- methods and content negotiation ---------------------------------------------------

  static Stream<Arguments> readOnlyPaths() {
    String fid = "/api/runs/" + UUID.randomUUID();
    List<Arguments> out = new ArrayList<>();
    for (String method : List.of("PUT", "DELETE", "PATCH")) {
      for (String path :
          List.of(
              "/api/state",
              "/api/flows",
              "/api/flows/" + RESEARCH,
              "/api/runs",
              fid + "/events",
              fid + "/stream")) {
        out.add(Arguments.of(method, path));
      }
    }
    out.add(Arguments.of("PUT", fid));
    out.add(Arguments.of("PATCH", fid));
    out.add(Arguments.of("POST", "/api/state"));
    out.add(Arguments.of("POST", "/api/flows"));
    out.add(Arguments.of("FROB", "/api/state"));
    return out.stream();
  }

  @ParameterizedTest
  @MethodSource("readOnlyPaths")
  void otherMethodsAre405WithAllow(String method, String path) {
    HttpResponse<String> r =
        NodeTestSupport.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString("{}"))
                .build());
    JsonNode p = problem(r, 405);
    String allow = r.headers().firstValue("Allow").orElse("");
    assertThat(allow).contains("GET");
    assertThat(p.path("detail").asString()).contains(method).contains(path).contains("GET");
    if (path.equals("/api/runs")) {
      assertThat(allow).contains("POST");
    }
  }

  @Test
  void traceIs405Problem() throws IOException {
    Raw r = raw("TRACE /api/state HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    rawProblem(r, 405);
    assertThat(r.body).doesNotContain("TRACE /api/state HTTP/1.1");
  }

  @Test
  void headAndOptionsAreAnswered() {
    HttpResponse<String> head =
        NodeTestSupport.send(
            HttpRequest.newBuilder(URI.create(base + "/api/state"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    HttpResponse<String> options =
        NodeTestSupport.send(
            HttpRequest.newBuilder(URI.create(base + "/api/runs"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(options.statusCode()).isEqualTo(200);
    assertThat(options.headers().firstValue("Allow").orElse("")).contains("GET").contains("POST");
    HttpResponse<String> headMissing =
        NodeTestSupport.send(
            HttpRequest.newBuilder(URI.create(base + "/api/runs/" + UUID.randomUUID()))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(headMissing.statusCode()).isEqualTo(404);
  }

  @Test
  void headOnALiveStreamAnswersAtOnce() {
    RunDocument run = client.launch(RESEARCH, Map.of("topic", "head", "steps", 3, "pause", 1000));
    long t0 = System.nanoTime();
    HttpResponse<String> r =
        NodeTestSupport.send(
            HttpRequest.newBuilder(URI.create(base + "/api/runs/" + run.fid() + "/stream"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10))
                .build());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(2_500));
  }

  static Stream<Arguments> acceptHeaders() {
    String missing = "/api/runs/" + UUID.randomUUID();
    return Stream.of(
        Arguments.of("/api/state", "text/html", 406),
        Arguments.of("/api/state", "application/xml", 406),
        Arguments.of("/api/flows", "image/png", 406),
        Arguments.of(missing, "text/html", 404),
        Arguments.of(missing, "application/xml", 404),
        Arguments.of(missing + "/stream", "text/html", 406),
        Arguments.of("/api/runs?p=x", "text/html", 400),
        Arguments.of("/api/runs?p=x", "application/xml", 400),
        Arguments.of("/api/state", "garbage", 400),
        Arguments.of("/api/state", "text/html;q=abc", 400),
        Arguments.of("/api/nothing", "text/html", 404));
  }

  @ParameterizedTest
  @MethodSource("acceptHeaders")
  void errorsAreProblemJsonWhateverIsAccepted(String path, String accept, int status) {
    HttpResponse<String> r =
        NodeTestSupport.send(
            HttpRequest.newBuilder(URI.create(base + path)).header("Accept", accept).GET().build());
    JsonNode p = problem(r, status);
    if (status == 406) {
      assertThat(p.path("detail").asString()).contains(accept);
    }
  }

  // ---- malformed HTTP (raw sockets) ------------------------------------------------------

  static Stream<Arguments> malformedHttp() {
    String body =
        "{\"flow\":\"" + RESEARCH + "\",\"inputs\":{\"topic\":\"raw\",\"pause\":0,\"steps\":1}}";
    return Stream.of(
        Arguments.of("HELLO\r\n\r\n", 400),
        Arguments.of("GET /api/state HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n", 505),
        Arguments.of("GET /api/state HTTP/1.1\r\nConnection: close\r\n\r\n", 400),
        Arguments.of(
            "GET /api/state HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header: y\r\nConnection: close\r\n\r\n",
            400),
        Arguments.of(
            "GET /api/ru ns HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", 400),
        Arguments.of(
            "GET /api/runs/\u0001 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", 400),
        Arguments.of(
            "GET /api/state#frag HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", 400),
        Arguments.of(
            "GET /api/state HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
                + "a".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n",
            400),
        Arguments.of(
            "POST /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n"
                + body,
            400),
        Arguments.of(
            "POST /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: -5\r\n\r\n"
                + body,
            400),
        Arguments.of(
            "POST /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length()
                + "\r\nContent-Length: 5\r\n\r\n"
                + body,
            400),
        Arguments.of(
            "POST /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\nzz\r\n"
                + body
                + "\r\n0\r\n\r\n",
            400),
        Arguments.of(
            "POST /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\n"
                + "Connection: close\r\n\r\n5\r\nabcde\r\n0\r\n\r\n",
            501),
        Arguments.of(
            "POST /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nExpect: teapot\r\nContent-Length: "
                + body.length()
                + "\r\nConnection: close\r\n\r\n"
                + body,
            417),
        Arguments.of(
            "POST /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 20\r\n"
                + "Connection: close\r\n\r\n"
                + body,
            400));
  }

  @ParameterizedTest
  @MethodSource("malformedHttp")
  void malformedHttpGetsAProblemNotAnHtmlPage(String request, int status) throws IOException {
    rawProblem(raw(request), status);
  }

  // ---- SSE ------------------------------------------------------------------------------

  static Stream<Arguments> badResumePositions() {
    return Stream.of(
        Arguments.of("abc", null, "Last-Event-ID"),
        Arguments.of("-5", null, "Last-Event-ID"),
        Arguments.of("99999999999999999999999", null, "Last-Event-ID"),
        Arguments.of("3.0", null, "Last-Event-ID"),
        Arguments.of("0x10", null, "Last-Event-ID"),
        Arguments.of(null, "x", "after"),
        Arguments.of(null, "-1", "after"),
        Arguments.of(null, "1e3", "after"));
  }

  @ParameterizedTest
  @MethodSource("badResumePositions")
  void badResumePositionsAre400NamingTheirSource(String lastEventId, String after, String field) {
    RunDocument run = launchAndFinish("resume-junk");
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create(
                    base
                        + "/api/runs/"
                        + run.fid()
                        + "/stream"
                        + (after == null ? "" : "?after=" + after)))
            .GET();
    if (lastEventId != null) b.header("Last-Event-ID", lastEventId);
    JsonNode p = problem(NodeTestSupport.send(b.build()), 400);
    assertThat(p.path("errors").findValuesAsString("field")).containsExactly(field);
  }

  @Test
  void resumeEdgesEndCleanly() {
    RunDocument run = launchAndFinish("resume-edges");
    long n = client.run(run.fid()).events();
    for (String lastEventId :
        List.of(String.valueOf(n), String.valueOf(n + 500), String.valueOf(Long.MAX_VALUE))) {
      HttpResponse<String> r =
          NodeTestSupport.send(
              HttpRequest.newBuilder(URI.create(base + "/api/runs/" + run.fid() + "/stream"))
                  .header("Last-Event-ID", lastEventId)
                  .timeout(Duration.ofSeconds(10))
                  .GET()
                  .build());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).as(lastEventId).startsWith("retry:").doesNotContain("id:");
    }
    HttpResponse<String> wins =
        NodeTestSupport.send(
            HttpRequest.newBuilder(
                    URI.create(base + "/api/runs/" + run.fid() + "/stream?after=junk"))
                .header("Last-Event-ID", String.valueOf(n - 1))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build());
    assertThat(wins.statusCode()).isEqualTo(200);
    assertThat(wins.body()).contains("id: " + n + "\n").doesNotContain("id: " + (n - 1) + "\n");
  }

  @Test
  void abandonedStreamsDoNotLeaveThreadsBehind() throws Exception {
    RunDocument run =
        client.launch(RESEARCH, Map.of("topic", "abandoned", "steps", 8, "pause", 1_500));
    int before = liveStreams();
    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Socket s = new Socket("127.0.0.1", port);
      s.setSoTimeout(10_000);
      s.getOutputStream()
          .write(
              ("GET /api/runs/" + run.fid() + "/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      readUntil(s.getInputStream(), "id: 3\n");
      sockets.add(s);
    }
    assertThat(liveStreams())
        .as("the streams are being served")
        .isGreaterThanOrEqualTo(before + 50);
    for (Socket s : sockets) {
      s.setSoLinger(true, 0); // reset, as a client that goes away does
      s.close();
    }
    awaitTrue(Duration.ofSeconds(9), () -> liveStreams() <= before);
    assertThat(client.run(run.fid()).state())
        .as("the run outlived its abandoned followers")
        .isEqualTo(RunState.PENDING);
    List<Event> events = new ArrayList<>();
    long last = client.stream(run.fid(), 0, events::add);
    assertThat(NodeTestSupport.seqs(events))
        .containsExactlyElementsOf(LongStream.rangeClosed(1, last).boxed().toList());
    assertThat(events.getLast().type()).isEqualTo("final");
  }

  @Test
  void followersJoiningAtAnyMomentSeeTheWholeLogOnce() throws Exception {
    RunDocument run =
        client.launch(RESEARCH, Map.of("topic", "followers", "steps", 6, "pause", 150));
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    try {
      List<Future<List<Long>>> followers = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        long after = i % 4;
        Thread.sleep(15);
        followers.add(
            pool.submit(
                () -> {
                  List<Event> events = new ArrayList<>();
                  client.stream(run.fid(), after, events::add);
                  return NodeTestSupport.seqs(events);
                }));
      }
      for (Future<List<Long>> f : followers) {
        f.get(); // each ends after final
      }
      long last = client.run(run.fid()).events();
      for (int i = 0; i < followers.size(); i++) {
        long after = i % 4;
        assertThat(followers.get(i).get())
            .as("follower %d after %d", i, after)
            .containsExactlyElementsOf(LongStream.rangeClosed(after + 1, last).boxed().toList());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- helpers --------------------------------------------------------------------------

  /**
   * Asserts an RFC 9457 problem with the status, and a detail that speaks to the caller, not of the
   * node's insides.
   */
  static JsonNode problem(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .as(r.body())
        .startsWith("application/problem+json");
    return checkProblem(r.body(), status);
  }

  static JsonNode rawProblem(Raw r, int status) {
    assertThat(r.status).as(r.head + "\n" + r.body).isEqualTo(status);
    assertThat(r.header("content-type")).as(r.head).startsWith("application/problem+json");
    return checkProblem(r.body, status);
  }

  private static JsonNode checkProblem(String body, int status) {
    JsonNode p = Json.read(body);
    assertThat(p.path("type").asString()).as(body).isNotBlank();
    assertThat(p.path("title").asString()).as(body).isNotBlank();
    assertThat(p.path("status").asInt()).as(body).isEqualTo(status);
    assertThat(p.path("detail").asString())
        .as(body)
        .isNotBlank()
        .doesNotContain(
            "dev.kodo.node", "java.", "Exception", "jackson", "JsonToken", "<html", "\tat ");
    for (JsonNode e : p.path("errors")) {
      assertThat(e.path("field").asString()).as(body).isNotBlank();
      assertThat(e.path("message").asString()).as(body).isNotBlank();
    }
    return p;
  }

  static HttpResponse<String> postJson(String body) {
    return post(base, "/api/runs", "application/json", body);
  }

  static HttpResponse<String> postBytes(String contentType, byte[] body) {
    return NodeTestSupport.send(
        HttpRequest.newBuilder(URI.create(base + "/api/runs"))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build());
  }

  static RunDocument launchAndFinish(String topic) {
    RunDocument run = client.launch(RESEARCH, Map.of("topic", topic, "steps", 1, "pause", 0));
    client.stream(run.fid(), 0, e -> {});
    return run;
  }

  static List<String> allRunTopics() {
    List<String> topics = new ArrayList<>();
    for (int p = 0; ; p++) {
      JsonNode page = Json.read(get(base, "/api/runs?pp=1000&p=" + p).body());
      page.path("items").forEach(r -> topics.add(r.path("inputs").path("topic").asString()));
      if (page.path("items").size() < 1000) return topics;
    }
  }

  /** How many SSE streams the node is serving right now. */
  static int liveStreams() {
    return NodeInternals.liveStreams(context);
  }

  /** How many runs the node's journal holds a write position for (runs it still writes to). */
  static int openRuns() {
    return NodeInternals.openRuns(context);
  }

  static void awaitTrue(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met within %s", timeout).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static void readUntil(InputStream in, String marker) throws IOException {
    StringBuilder seen = new StringBuilder();
    while (seen.indexOf(marker) < 0) {
      int b = in.read();
      if (b < 0) throw new IOException("stream ended before '" + marker + "': " + seen);
      seen.append((char) b);
    }
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }

  /** One HTTP/1.1 exchange over a raw socket, for requests java.net.http refuses to send. */
  record Raw(int status, String head, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
    }
  }

  static Raw raw(String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(15_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
      while (!headBytes.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0)
          throw new AssertionError(
              "the node closed the connection without an answer: " + headBytes);
        headBytes.write(b);
      }
      String head = headBytes.toString(StandardCharsets.ISO_8859_1).strip();
      String[] lines = head.split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      if (status == 100) {
        return raw100(in, head);
      }
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0)
          headers.put(
              lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
              lines[i].substring(colon + 1).trim());
      }
      byte[] body;
      if (headers.containsKey("content-length")) {
        body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
      } else if (headers.getOrDefault("transfer-encoding", "").contains("chunked")) {
        body = dechunk(in);
      } else {
        body = in.readAllBytes();
      }
      return new Raw(status, head, headers, new String(body, StandardCharsets.UTF_8));
    }
  }

  private static Raw raw100(InputStream in, String head) {
    throw new AssertionError("unexpected 100 Continue: " + head);
  }

  private static byte[] dechunk(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      StringBuilder line = new StringBuilder();
      for (int b; (b = in.read()) != '\n'; ) {
        if (b < 0) return out.toByteArray();
        if (b != '\r') line.append((char) b);
      }
      int size = Integer.parseInt(line.toString().trim(), 16);
      if (size == 0) return out.toByteArray();
      out.write(in.readNBytes(size));
      in.readNBytes(2);
    }
  }
}
