package dev.kodo.node;

import static dev.kodo.node.NodeTestSupport.get;
import static dev.kodo.node.NodeTestSupport.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Event;
import dev.kodo.client.Json;
import dev.kodo.client.NodeClient;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The lock protocol (docs/events.md#locks) and the run-management endpoints
 * (docs/http-api.md#runs), against a real node.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class LocksAndManagementIT {
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
            "--kodo.flows=classpath:*,dev.kodo.node.testflows.SlowCheck,dev.kodo.node.testflows.ShortLock",
            "--kodo.locks.release-timeout=1s",
            "--kodo.cleanup.interval=0s");
    base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    client = NodeClient.connect(base);
  }

  @AfterAll
  static void stop() {
    context.close();
  }

  /** Launches a run and waits until its state satisfies {@code until}. */
  static RunDocument launch(String flow, Map<String, ?> inputs, Predicate<RunDocument> until)
      throws InterruptedException {
    RunDocument run = client.launch(flow, inputs);
    return await(run.fid(), until);
  }

  static RunDocument await(String fid, Predicate<RunDocument> until) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    RunDocument run = client.run(fid);
    while (!until.test(run)) {
      assertThat(System.currentTimeMillis())
          .as("run %s reached the awaited state in time; it is %s", fid, run.state())
          .isLessThan(deadline);
      Thread.sleep(20);
      run = client.run(fid);
    }
    return run;
  }

  static Predicate<RunDocument> locked() {
    return r -> r.state() == RunState.LOCKED;
  }

  static Predicate<RunDocument> finished() {
    return r -> r.state().finished();
  }

  static String lid(RunDocument run) {
    return run.lock().path("lid").asString();
  }

  static HttpResponse<String> answer(String fid, String lid, String json) {
    return post(base, "/api/runs/" + fid + "/locks/" + lid, "application/json", json);
  }

  static List<Event> events(String fid) {
    return client.events(fid, 0, 10_000).items();
  }

  @Test
  void aLockShowsItsDemandAndAnAcceptedAnswerReleasesIt() throws Exception {
    RunDocument run =
        launch("dev.kodo.examples.PlanApproval", Map.of("goal", "tidy the attic"), locked());
    String lid = lid(run);
    assertThat(run.links()).containsEntry("lock", "/api/runs/" + run.fid() + "/locks/" + lid);
    HttpResponse<String> demand = get(base, "/api/runs/" + run.fid() + "/locks/" + lid);
    assertThat(demand.statusCode()).isEqualTo(200);
    JsonNode d = Json.read(demand.body());
    assertThat(d.path("demand").path("title").asString()).contains("tidy the attic");
    assertThat(d.path("demand").path("schema").path("properties").has("approve")).isTrue();
    assertThat(d.path("expires").asString()).isNotBlank();

    HttpResponse<String> accepted = answer(run.fid(), lid, "{\"approve\":true,\"comment\":\"go\"}");
    assertThat(accepted.statusCode()).isEqualTo(200);
    assertThat(Json.read(accepted.body()).path("accepted").asBoolean()).isTrue();
    RunDocument done = await(run.fid(), finished());
    assertThat(done.state()).isEqualTo(RunState.DONE);
    assertThat(done.result().path("result").path("body").asString()).contains("Plan carried out");
    assertThat(get(base, "/api/runs/" + run.fid() + "/locks/" + lid).statusCode()).isEqualTo(404);
    List<String> types = events(run.fid()).stream().map(Event::type).toList();
    assertThat(types).containsSubsequence("lock", "candidate", "unlock", "final");
  }

  @Test
  void aDeniedAnswerIs422WithTheFlowsReasonsAndTheLockStaysOpen() throws Exception {
    RunDocument run =
        launch(
            "dev.kodo.examples.OrderIntake", Map.of("product", "teapot", "quantity", 2), locked());
    String lid = lid(run);
    HttpResponse<String> denied =
        answer(
            run.fid(),
            lid,
            "{\"name\":\"Ada\",\"street\":\"Main St 1\",\"country\":\"DE\",\"postcode\":\"ABC\"}");
    assertThat(denied.statusCode()).isEqualTo(422);
    assertThat(denied.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    JsonNode problem = Json.read(denied.body());
    assertThat(problem.path("errors").get(0).path("field").asString()).isEqualTo("postcode");
    assertThat(problem.path("errors").get(0).path("message").asString())
        .contains("ABC")
        .contains("DE");
    assertThat(get(base, "/api/runs/" + run.fid() + "/locks/" + lid).statusCode()).isEqualTo(200);
    assertThat(client.run(run.fid()).state()).isEqualTo(RunState.LOCKED);

    HttpResponse<String> badTypes =
        answer(run.fid(), lid, "{\"name\":\"Ada\",\"street\":7,\"country\":\"FR\"}");
    assertThat(badTypes.statusCode()).isEqualTo(422);
    assertThat(Json.read(badTypes.body()).path("errors").findValuesAsString("field"))
        .contains("street", "country", "postcode");

    assertThat(
            answer(
                    run.fid(),
                    lid,
                    "{\"name\":\"Ada\",\"street\":\"Main St 1\",\"country\":\"DE\",\"postcode\":\"10115\"}")
                .statusCode())
        .isEqualTo(200);
    assertThat(await(run.fid(), finished()).state()).isEqualTo(RunState.DONE);
    assertThat(events(run.fid()).stream().map(Event::type).toList())
        .containsSubsequence(
            "lock",
            "candidate",
            "unlock-deny",
            "candidate",
            "unlock-deny",
            "candidate",
            "unlock",
            "final");
  }

  @Test
  void unknownLocksAre404AndRunsThatAreNotLockedAre409() throws Exception {
    RunDocument run =
        launch("dev.kodo.examples.PlanApproval", Map.of("goal", "wrong lock"), locked());
    assertThat(get(base, "/api/runs/" + run.fid() + "/locks/nope").statusCode()).isEqualTo(404);
    assertThat(answer(run.fid(), "nope", "{\"approve\":true}").statusCode()).isEqualTo(404);
    assertThat(answer(UUID.randomUUID().toString(), "nope", "{}").statusCode()).isEqualTo(404);
    assertThat(answer(run.fid(), lid(run), "not json").statusCode()).isEqualTo(400);
    assertThat(answer(run.fid(), lid(run), "[true]").statusCode()).isEqualTo(400);

    RunDocument done =
        client.launch("dev.kodo.examples.MarketReport", Map.of("company", "Locked Out"));
    await(done.fid(), finished());
    HttpResponse<String> notLocked = answer(done.fid(), "any", "{}");
    assertThat(notLocked.statusCode()).isEqualTo(409);
    assertThat(Json.read(notLocked.body()).path("detail").asString()).contains("not locked");
    client.postJson("/api/runs/" + run.fid() + "/kill", Map.of());
  }

  @Test
  void ofTwoRacingAnswersExactlyOneIsAccepted() throws Exception {
    for (int round = 0; round < 5; round++) {
      RunDocument run =
          launch("dev.kodo.examples.PlanApproval", Map.of("goal", "race " + round), locked());
      String lid = lid(run);
      List<Future<HttpResponse<String>>> answers = new ArrayList<>();
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < 2; i++) {
          String comment = "answer " + i;
          answers.add(
              pool.submit(
                  (Callable<HttpResponse<String>>)
                      () ->
                          answer(
                              run.fid(),
                              lid,
                              "{\"approve\":true,\"comment\":\"" + comment + "\"}")));
        }
      }
      List<Integer> statuses = new ArrayList<>();
      for (var a : answers) statuses.add(a.get().statusCode());
      assertThat(statuses).as("round %d", round).containsOnlyOnce(200);
      assertThat(statuses).as("round %d", round).allMatch(s -> s == 200 || s == 404 || s == 409);
      await(run.fid(), finished());
      assertThat(events(run.fid()).stream().filter(e -> e.type().equals("unlock")).count())
          .isEqualTo(1);
    }
  }

  @Test
  void aFlowThatDoesNotAnswerInTimeGets504AndUnlockTimeout() throws Exception {
    RunDocument run = launch("dev.kodo.node.testflows.SlowCheck", Map.of(), locked());
    String lid = lid(run);
    HttpResponse<String> slow = answer(run.fid(), lid, "{\"ok\":true}");
    assertThat(slow.statusCode()).isEqualTo(504);
    assertThat(events(run.fid()).stream().map(Event::type).toList())
        .containsSubsequence("lock", "candidate", "unlock-timeout");
    assertThat(client.run(run.fid()).state()).isEqualTo(RunState.LOCKED);
    client.postJson("/api/runs/" + run.fid() + "/kill", Map.of());
    assertThat(await(run.fid(), finished()).state()).isEqualTo(RunState.KILLED);
  }

  @Test
  void aLockThatExpiresEndsTheRunWithFatal() throws Exception {
    RunDocument run = client.launch("dev.kodo.node.testflows.ShortLock", Map.of("millis", 200));
    RunDocument ended = await(run.fid(), finished());
    assertThat(ended.state()).isEqualTo(RunState.ERROR);
    assertThat(ended.error().path("reason").asString()).isEqualTo("lock-timeout");
    assertThat(events(run.fid()).stream().map(Event::type).toList())
        .containsSubsequence("lock", "lock-timeout", "fatal");
  }

  @Test
  void killEndsAPendingRunAndALockedRun() throws Exception {
    RunDocument pending =
        launch(
            "dev.kodo.examples.ResearchSteps",
            Map.of("topic", "slow", "steps", 8, "pause", 10_000),
            r -> r.progress().message() != null);
    RunDocument before = client.run(pending.fid());
    HttpResponse<String> kill =
        post(base, "/api/runs/" + pending.fid() + "/kill", "application/json", "");
    assertThat(kill.statusCode()).isEqualTo(200);
    assertThat(Json.read(kill.body()).path("state").asString()).isEqualTo("killed");
    List<Event> streamed = new ArrayList<>();
    client.stream(pending.fid(), 0, streamed::add);
    assertThat(streamed.getLast().type()).isEqualTo("kill");
    assertThat(before.state()).isEqualTo(RunState.PENDING);

    RunDocument locked =
        launch("dev.kodo.examples.PlanApproval", Map.of("goal", "kill me"), locked());
    assertThat(
            post(base, "/api/runs/" + locked.fid() + "/kill", "application/json", "").statusCode())
        .isEqualTo(200);
    assertThat(client.run(locked.fid()).state()).isEqualTo(RunState.KILLED);
    assertThat(get(base, "/api/runs/" + locked.fid() + "/locks/" + lid(locked)).statusCode())
        .isEqualTo(404);
    assertThat(answer(locked.fid(), lid(locked), "{\"approve\":true}").statusCode()).isEqualTo(409);

    // The worker really stopped both flows: nothing executes any more and the logs end with kill.
    long deadline = System.currentTimeMillis() + 10_000;
    while (client.state().path("workers").get(0).path("active").asInt() > 0
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertThat(client.state().path("workers").get(0).path("active").asInt()).isZero();
    assertThat(events(locked.fid()).getLast().type()).isEqualTo("kill");
    assertThat(
            post(base, "/api/runs/" + locked.fid() + "/kill", "application/json", "").statusCode())
        .isEqualTo(409);
  }

  @Test
  void restartLaunchesANewRunWithTheSameInputs() throws Exception {
    RunDocument first =
        client.launch("dev.kodo.examples.MarketReport", Map.of("company", "Again", "year", 2031));
    await(first.fid(), finished());
    HttpResponse<String> restarted =
        post(base, "/api/runs/" + first.fid() + "/restart", "application/json", "");
    assertThat(restarted.statusCode()).isEqualTo(201);
    RunDocument second = Json.read(restarted.body(), RunDocument.class);
    assertThat(second.fid()).isNotEqualTo(first.fid());
    assertThat(restarted.headers().firstValue("location")).hasValue("/api/runs/" + second.fid());
    assertThat(second.inputs()).isEqualTo(client.run(first.fid()).inputs());
    List<Event> events = new ArrayList<>();
    client.stream(second.fid(), 0, events::add);
    assertThat(events.getFirst().type()).isEqualTo("inputs");
    assertThat(NodeTestSupport.seqs(events))
        .containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().toList());
  }

  @Test
  void ackAndDeleteNeedAFinishedRun() throws Exception {
    RunDocument locked =
        launch("dev.kodo.examples.PlanApproval", Map.of("goal", "not yet"), locked());
    assertThat(
            post(base, "/api/runs/" + locked.fid() + "/ack", "application/json", "").statusCode())
        .isEqualTo(409);
    assertThat(
            NodeTestSupport.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/runs/" + locked.fid()))
                        .header("X-Kodo-Client", "test")
                        .DELETE()
                        .build())
                .statusCode())
        .isEqualTo(409);
    client.postJson("/api/runs/" + locked.fid() + "/kill", Map.of());

    RunDocument run = client.launch("dev.kodo.examples.MarketReport", Map.of("company", "Ackme"));
    await(run.fid(), finished());
    HttpResponse<String> ack =
        post(base, "/api/runs/" + run.fid() + "/ack", "application/json", "");
    assertThat(ack.statusCode()).isEqualTo(200);
    assertThat(Json.read(ack.body()).path("acknowledged").asBoolean()).isTrue();
    assertThat(post(base, "/api/runs/" + run.fid() + "/ack", "application/json", "").statusCode())
        .isEqualTo(200);
    assertThat(events(run.fid()).stream().filter(e -> e.type().equals("acknowledge")).count())
        .isEqualTo(1);
    assertThat(client.run(run.fid()).state()).isEqualTo(RunState.DONE);

    HttpResponse<String> delete =
        NodeTestSupport.send(
            HttpRequest.newBuilder(URI.create(base + "/api/runs/" + run.fid()))
                .header("X-Kodo-Client", "test")
                .DELETE()
                .build());
    assertThat(delete.statusCode()).isEqualTo(204);
    assertThat(get(base, "/api/runs/" + run.fid()).statusCode()).isEqualTo(404);
    assertThat(get(base, "/api/runs/" + run.fid() + "/events").statusCode()).isEqualTo(404);
    assertThat(get(base, "/api/runs/" + run.fid() + "/stream").statusCode()).isEqualTo(404);
    assertThat(client.getJson("/api/runs?pp=1000&search=" + run.fid()).path("items").size())
        .isZero();
  }

  @Test
  void shareRecordsSubjectsLevelAndMode() throws Exception {
    RunDocument run = client.launch("dev.kodo.examples.MarketReport", Map.of("company", "Sharing"));
    HttpResponse<String> bad =
        post(
            base,
            "/api/runs/" + run.fid() + "/share",
            "application/json",
            "{\"subjects\":[],\"level\":\"everything\",\"mode\":\"w\"}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(Json.read(bad.body()).path("errors").findValuesAsString("field"))
        .containsExactlyInAnyOrder("subjects", "level", "mode");
    HttpResponse<String> ok =
        post(
            base,
            "/api/runs/" + run.fid() + "/share",
            "application/json",
            "{\"subjects\":[\"ada\",\"team-finance\"],\"level\":\"advanced\",\"mode\":\"r\"}");
    assertThat(ok.statusCode()).isEqualTo(200);
    post(
        base,
        "/api/runs/" + run.fid() + "/share",
        "application/json",
        "{\"subjects\":[\"ada\"],\"level\":\"full\",\"mode\":\"x\"}");
    RunDocument shared = client.run(run.fid());
    assertThat(shared.shares())
        .extracting(s -> s.subject() + ":" + s.level() + ":" + s.mode())
        .containsExactly("ada:full:x", "team-finance:advanced:r");
    assertThat(
            post(
                    base,
                    "/api/runs/" + UUID.randomUUID() + "/share",
                    "application/json",
                    "{\"subjects\":[\"ada\"],\"level\":\"basic\",\"mode\":\"r\"}")
                .statusCode())
        .isEqualTo(404);
  }
}
