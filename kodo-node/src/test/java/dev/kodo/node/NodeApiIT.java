package dev.kodo.node;

import static dev.kodo.node.NodeTestSupport.get;
import static dev.kodo.node.NodeTestSupport.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.client.Event;
import dev.kodo.client.FlowInfo;
import dev.kodo.client.Json;
import dev.kodo.client.NodeClient;
import dev.kodo.client.NodeException;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** The node's HTTP API (docs/http-api.md#node), against one real node on a loopback port. */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class NodeApiIT {
  static ConfigurableApplicationContext context;
  static String base;
  static NodeClient client;

  @BeforeAll
  static void start() {
    Path data = Path.of("target", "it-data", UUID.randomUUID().toString());
    context =
        NodeApplication.start(
            "--server.port=0",
            "--kodo.data=" + data,
            "--kodo.cluster.name=it-" + UUID.randomUUID(),
            "--kodo.flows=classpath:*");
    base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    client = NodeClient.connect(base);
  }

  @AfterAll
  static void stop() {
    context.close();
  }

  @Test
  void listsTheExampleFlowsWithTheirSchemas() {
    var flows = client.flows();
    assertThat(flows.items())
        .extracting(FlowInfo::path)
        .contains(
            "dev.kodo.examples.ResearchSteps",
            "dev.kodo.examples.MarketReport",
            "dev.kodo.examples.FailingFlow");
    FlowInfo research = client.flow("dev.kodo.examples.ResearchSteps");
    assertThat(research.schema().path("properties").path("topic").path("type").asString())
        .isEqualTo("string");
    assertThat(research.schema().path("required").toString()).contains("topic");
    assertThat(research.form().isArray()).isTrue();
  }

  /**
   * 201 with the run's Location, and the document in one piece of known length rather than in
   * chunks (docs/performance.md#launch--final).
   */
  @Test
  void aLaunchAnswers201WithTheRunsLocationAndADocumentOfKnownLength() {
    HttpResponse<String> launched =
        post(
            base,
            "/api/runs",
            "application/json",
            "{\"flow\":\"dev.kodo.examples.MarketReport\",\"inputs\":{\"company\":\"Sized\"}}");

    assertThat(launched.statusCode()).as(launched.body()).isEqualTo(201);
    RunDocument run = Json.read(launched.body(), RunDocument.class);
    assertThat(launched.headers().firstValue("location")).hasValue("/api/runs/" + run.fid());
    assertThat(launched.headers().firstValue("content-length"))
        .hasValue(
            String.valueOf(
                launched.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
    assertThat(launched.headers().firstValue("transfer-encoding")).isEmpty();
  }

  @Test
  void searchesFlowsByGlob() {
    assertThat(client.getJson("/api/flows?search=market*").path("items").size()).isEqualTo(1);
    assertThat(
            client.getJson("/api/flows?search=errors").path("items").get(0).path("path").asString())
        .isEqualTo("dev.kodo.examples.FailingFlow");
  }

  @Test
  void streamsARunFromInputsToFinalWithGaplessSeq() {
    RunDocument run =
        client.launch(
            "dev.kodo.examples.ResearchSteps", Map.of("topic", "tides", "steps", 3, "pause", 0));
    assertThat(run.state()).isEqualTo(RunState.PENDING);
    List<Event> events = new ArrayList<>();
    long last = client.stream(run.fid(), 0, events::add);
    assertThat(events.getFirst().type()).isEqualTo("inputs");
    assertThat(events.getLast().type()).isEqualTo("final");
    assertThat(events).extracting(Event::type).contains("progress", "result");
    assertThat(NodeTestSupport.seqs(events))
        .containsExactlyElementsOf(LongStream.rangeClosed(1, last).boxed().toList());
    RunDocument done = client.run(run.fid());
    assertThat(done.state()).isEqualTo(RunState.DONE);
    assertThat(done.result().path("result").path("format").asString()).isEqualTo("markdown");
    assertThat(done.result().path("result").path("body").asString()).contains("# Research: tides");
    assertThat(done.events()).isEqualTo(last);
  }

  @Test
  void resumesAfterLastEventId() {
    RunDocument run =
        client.launch(
            "dev.kodo.examples.ResearchSteps", Map.of("topic", "resume", "steps", 2, "pause", 0));
    List<Event> all = new ArrayList<>();
    long n = client.stream(run.fid(), 0, all::add);
    for (long k : new long[] {0, 1, 3, n - 1, n}) {
      List<Event> rest = new ArrayList<>();
      client.stream(run.fid(), k, rest::add);
      assertThat(NodeTestSupport.seqs(rest))
          .as("after %d", k)
          .containsExactlyElementsOf(LongStream.rangeClosed(k + 1, n).boxed().toList());
    }
    HttpResponse<String> viaQuery =
        get(base, "/api/runs/" + run.fid() + "/stream?after=" + (n - 1));
    assertThat(viaQuery.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/event-stream");
    assertThat(viaQuery.body()).contains("id: " + n + "\n").doesNotContain("id: " + (n - 1) + "\n");
  }

  @Test
  void aFailingFlowEndsInErrorWithItsMessage() {
    RunDocument run = client.launch("dev.kodo.examples.FailingFlow", Map.of());
    List<Event> events = new ArrayList<>();
    client.stream(run.fid(), 0, events::add);
    Event fatal = events.getLast();
    assertThat(fatal.type()).isEqualTo("fatal");
    assertThat(fatal.dataNode().path("message").asString())
        .contains("supplier database is unreachable");
    assertThat(events).extracting(Event::type).contains("stderr");
    assertThat(client.run(run.fid()).state()).isEqualTo(RunState.ERROR);
  }

  @Test
  void pagesEventsAfterASeq() {
    RunDocument run =
        client.launch(
            "dev.kodo.examples.ResearchSteps", Map.of("topic", "paging", "steps", 2, "pause", 0));
    long n = client.stream(run.fid(), 0, e -> {});
    var page = client.events(run.fid(), 2, 3);
    assertThat(NodeTestSupport.seqs(page.items())).containsExactly(3L, 4L, 5L);
    assertThat(page.last()).isEqualTo(n);
    assertThat(page.more()).isTrue();
  }

  @Test
  void listsRunsByStateAndFlow() {
    RunDocument run = client.launch("dev.kodo.examples.MarketReport", Map.of("company", "Listco"));
    client.stream(run.fid(), 0, e -> {});
    JsonNode page =
        client.getJson("/api/runs?state=done&flow=dev.kodo.examples.MarketReport&pp=1000");
    assertThat(page.path("items").findValuesAsString("fid")).contains(run.fid());
    assertThat(page.path("filtered").asLong()).isLessThanOrEqualTo(page.path("total").asLong());
    assertThat(
            client.getJson("/api/runs?state=error&pp=1000").path("items").findValuesAsString("fid"))
        .doesNotContain(run.fid());
  }

  @Test
  void invalidInputsAre400WithPerFieldErrors() {
    HttpResponse<String> r =
        post(
            base,
            "/api/runs",
            "application/json",
            "{\"flow\":\"dev.kodo.examples.MarketReport\",\"inputs\":{\"year\":\"soon\",\"quarter\":\"Q9\",\"colour\":1}}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    JsonNode p = Json.read(r.body());
    assertThat(p.path("errors").findValuesAsString("field"))
        .containsExactlyInAnyOrder("colour", "company", "quarter", "year");
    assertThat(r.body()).contains("is required").contains("must be a number");
  }

  @Test
  void unknownFlowAndRunAre404() {
    assertThatThrownBy(() -> client.launch("no.such.Flow", Map.of()))
        .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThat(get(base, "/api/runs/" + UUID.randomUUID()).statusCode()).isEqualTo(404);
    assertThat(get(base, "/api/runs/not-a-fid").statusCode()).isEqualTo(404);
    assertThat(get(base, "/api/runs/" + UUID.randomUUID() + "/stream").statusCode()).isEqualTo(404);
    assertThat(get(base, "/api/flows/no.such.Flow").statusCode()).isEqualTo(404);
    assertThat(get(base, "/api/nothing-here").statusCode()).isEqualTo(404);
  }

  @Test
  void malformedBodiesAre400WithTheirPosition() {
    HttpResponse<String> r =
        post(base, "/api/runs", "application/json", "{\"flow\": \"x\",\n \"inputs\": {oops}}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Json.read(r.body()).path("detail").asString()).contains("line 2");
    assertThat(post(base, "/api/runs", "application/json", "").statusCode()).isEqualTo(400);
    assertThat(post(base, "/api/runs", "application/json", "[1,2]").statusCode()).isEqualTo(400);
    assertThat(post(base, "/api/runs", "application/json", "{\"inputs\":{}}").statusCode())
        .isEqualTo(400);
    assertThat(
            post(
                    base,
                    "/api/runs",
                    "application/json",
                    "{\"flow\":\"dev.kodo.examples.MarketReport\",\"inputs\":\"x\"}")
                .statusCode())
        .isEqualTo(400);
    assertThat(post(base, "/api/runs", "text/plain", "hello").statusCode()).isEqualTo(415);
  }

  @Test
  void oversizedBodiesAre413() {
    String big =
        "{\"flow\":\"dev.kodo.examples.MarketReport\",\"inputs\":{\"notes\":\""
            + "x".repeat(2 * 1024 * 1024)
            + "\"}}";
    assertThat(post(base, "/api/runs", "application/json", big).statusCode()).isEqualTo(413);
    HttpRequest chunked =
        HttpRequest.newBuilder(URI.create(base + "/api/runs"))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> new ByteArrayInputStream(big.getBytes())))
            .build();
    assertThat(NodeTestSupport.send(chunked).statusCode()).isEqualTo(413);
  }

  @Test
  void badListParametersAre400() {
    assertThat(get(base, "/api/runs?pp=5000").statusCode()).isEqualTo(400);
    assertThat(get(base, "/api/runs?p=-1").statusCode()).isEqualTo(400);
    assertThat(get(base, "/api/runs?state=sleeping").statusCode()).isEqualTo(400);
    assertThat(get(base, "/api/runs?by=colour").statusCode()).isEqualTo(400);
    assertThat(get(base, "/api/runs?by=created%20sideways").statusCode()).isEqualTo(400);
    assertThat(get(base, "/api/runs?search=%27%3B%20drop%20table%20runs%3B--").statusCode())
        .isEqualTo(200);
    assertThat(get(base, "/api/runs/" + UUID.randomUUID() + "/events?after=x").statusCode())
        .isIn(400, 404);
  }

  @Test
  void servesStateAndOpenApi() {
    JsonNode state = client.state();
    assertThat(state.path("name").asString()).isEqualTo("local");
    assertThat(state.path("counts").path("flows").asInt()).isGreaterThanOrEqualTo(3);
    assertThat(state.path("workers").size()).isEqualTo(1);
    HttpResponse<String> api = get(base, "/api/openapi");
    assertThat(api.statusCode()).isEqualTo(200);
    assertThat(api.body()).contains("/api/runs/{fid}/stream").contains("/api/flows");
  }
}
