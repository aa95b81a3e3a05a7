package dev.kodo.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.EventType;
import dev.kodo.client.Json;
import dev.kodo.client.Level;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * One run read by a basic, an advanced and a full reader (each holding {@code r} at that level on
 * the flow) through the run document, {@code /events} and {@code /stream} fresh and resumed: each
 * gets exactly the event types its level allows (docs/events.md#levels); and a revoked share closes
 * the open stream of the subject that lost access (docs/security.md#node-who-sees-what).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RunLevelsIT {
  static final String RESEARCH = "dev.kodo.examples.ResearchSteps";
  static final String APPROVAL = "dev.kodo.examples.PlanApproval";

  static StrangerIssuer issuer;
  static ConfigurableApplicationContext node;
  static AuthHttp http;
  static String operator;
  static String fid;

  /** (seq, type) of every event of the run, as the operator reads it. */
  static List<Map.Entry<Long, String>> all;

  @BeforeAll
  static void start() throws Exception {
    issuer = new StrangerIssuer();
    for (Level l : Level.values()) {
      String name = l.name().toLowerCase(java.util.Locale.ROOT);
      issuer.grant("user:" + name, "flow://local/" + RESEARCH, "r", name);
    }
    List<String> args = new ArrayList<>(TokenRulesIT.nodeArgs());
    args.set(3, "--kodo.flows=" + RESEARCH + "," + APPROVAL);
    args.addAll(issuer.nodeArgumentsWithGrants());
    node = NodeApplication.start(args.toArray(String[]::new));
    http =
        new AuthHttp("http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port"));
    operator = issuer.token("user:op", List.of("operator"), List.of());
    fid = http.launch(operator, RESEARCH, "{\"topic\":\"levels\",\"steps\":2,\"pause\":0}");
    http.await(fid, operator, AuthHttp::finished);
    all = new ArrayList<>();
    Json.read(http.get("/api/runs/" + fid + "/events", operator).body())
        .path("items")
        .forEach(e -> all.add(Map.entry(e.path("seq").asLong(), e.path("type").asString())));
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
    if (issuer != null) issuer.close();
  }

  static List<String> expected(Level level, long after) {
    return all.stream()
        .filter(e -> e.getKey() > after)
        .filter(
            e ->
                level.includes(EventType.of(e.getValue()).map(EventType::level).orElse(Level.FULL)))
        .map(Map.Entry::getValue)
        .toList();
  }

  @Test
  void theRunHoldsEventsOfEveryLevel() {
    List<String> types = all.stream().map(Map.Entry::getValue).toList();
    assertThat(types).contains("inputs", "progress", "final", "result", "action");
    assertThat(expected(Level.BASIC, 0)).doesNotContain("result", "action");
    assertThat(expected(Level.ADVANCED, 0)).contains("result").doesNotContain("action");
  }

  @Test
  void eachLevelReadsExactlyItsEventTypesEverywhere() {
    for (Level level : Level.values()) {
      String reader =
          issuer.token(
              "user:" + level.name().toLowerCase(java.util.Locale.ROOT),
              List.of("user"),
              List.of());
      HttpResponse<String> doc = http.get("/api/runs/" + fid, reader);
      assertThat(doc.statusCode()).as(level + " document").isEqualTo(200);
      assertThat(Json.read(doc.body()).path("state").asString()).isEqualTo("done");

      List<String> events = new ArrayList<>();
      Json.read(http.get("/api/runs/" + fid + "/events", reader).body())
          .path("items")
          .forEach(e -> events.add(e.path("type").asString()));
      assertThat(events).as(level + " /events").isEqualTo(expected(level, 0));

      // Paged one by one, the pages still hold only visible events and end.
      List<String> paged = new ArrayList<>();
      long after = 0;
      for (int i = 0; i < 100; i++) {
        JsonNode page =
            Json.read(
                http.get("/api/runs/" + fid + "/events?limit=1&after=" + after, reader).body());
        page.path("items").forEach(e -> paged.add(e.path("type").asString()));
        if (!page.path("more").asBoolean()) break;
        after = page.path("items").get(0).path("seq").asLong();
      }
      assertThat(paged).as(level + " /events paged").isEqualTo(expected(level, 0));

      assertThat(sse(http.get("/api/runs/" + fid + "/stream", reader).body()))
          .as(level + " /stream")
          .isEqualTo(expected(level, 0));
      HttpResponse<String> resumed =
          NodeTestSupport.send(
              HttpRequest.newBuilder(URI.create(http.base() + "/api/runs/" + fid + "/stream"))
                  .header("Authorization", "Bearer " + reader)
                  .header("Last-Event-ID", "3")
                  .timeout(Duration.ofSeconds(30))
                  .GET()
                  .build());
      assertThat(sse(resumed.body())).as(level + " /stream resumed").isEqualTo(expected(level, 3));
    }
  }

  @Test
  void revokingAShareClosesTheStreamOfWhoLostAccess() throws Exception {
    String run = http.launch(operator, APPROVAL, "{\"goal\":\"revoke\"}");
    http.await(run, operator, AuthHttp::locked);
    String viewer = issuer.token("user:viewer", List.of("user"), List.of());
    assertThat(http.get("/api/runs/" + run, viewer).statusCode()).isEqualTo(404);
    assertThat(
            http.call(
                    "POST",
                    "/api/runs/" + run + "/share",
                    operator,
                    "{\"subjects\":[\"user:viewer\"],\"level\":\"basic\",\"mode\":\"r\"}")
                .statusCode())
        .isEqualTo(200);

    List<String> seen = new CopyOnWriteArrayList<>();
    CompletableFuture<HttpResponse<Stream<String>>> open =
        NodeTestSupport.HTTP.sendAsync(
            HttpRequest.newBuilder(URI.create(http.base() + "/api/runs/" + run + "/stream"))
                .header("Authorization", "Bearer " + viewer)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    HttpResponse<Stream<String>> stream = open.get(30, TimeUnit.SECONDS);
    assertThat(stream.statusCode()).isEqualTo(200);
    CompletableFuture<Void> ended =
        CompletableFuture.runAsync(() -> stream.body().forEach(seen::add));
    NodeTestSupport.await("the replay", () -> seen.contains("event: lock") ? true : null);
    assertThat(ended).isNotDone();

    assertThat(
            http.call(
                    "POST",
                    "/api/runs/" + run + "/share",
                    operator,
                    "{\"subjects\":[\"user:viewer\"],\"level\":\"none\"}")
                .statusCode())
        .isEqualTo(200);
    ended.get(20, TimeUnit.SECONDS);
    assertThat(seen).doesNotContain("event: unlock", "event: final");
    assertThat(http.get("/api/runs/" + run, viewer).statusCode()).isEqualTo(404);
    http.call("POST", "/api/runs/" + run + "/kill", operator, null);
  }

  static List<String> sse(String body) {
    List<String> types = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (line.startsWith("event: ")) types.add(line.substring("event: ".length()).trim());
    }
    return types;
  }
}
