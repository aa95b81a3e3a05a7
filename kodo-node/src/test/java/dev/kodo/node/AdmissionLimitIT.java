package dev.kodo.node;

import static dev.kodo.node.NodeTestSupport.await;
import static dev.kodo.node.NodeTestSupport.get;
import static dev.kodo.node.NodeTestSupport.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Json;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Admission control on a real node (HTTP, Hazelcast, SQLite, the embedded worker): a flow that
 * declares a limit of 3 never has more than 3 runs executing under 50 concurrent launches, read
 * from the runs' own events and from {@code /api/state}, and all 50 finish; a node configured to
 * refuse answers 429 naming the limit with {@code Retry-After}; a locked run lends its slot and its
 * answer is accepted while its flow is at its limit. The flows wait for files the test writes, so
 * nothing depends on timing.
 */
@Timeout(value = 240, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AdmissionLimitIT {
  private static final String LIMITED = "dev.kodo.node.testflows.Limited";
  private static final String LOCK_OR_WAIT = "dev.kodo.node.testflows.LockOrWait";

  private static ConfigurableApplicationContext waiting;
  private static ConfigurableApplicationContext refusing;
  private static String base;
  private static String refusingBase;
  private static Path signals;

  @BeforeAll
  static void start() throws Exception {
    Path data = Path.of("target", "it-data", UUID.randomUUID().toString());
    signals = Files.createDirectories(data.resolve("signals")).toAbsolutePath();
    waiting =
        NodeApplication.start(
            "--server.port=0",
            "--kodo.data=" + data.resolve("waiting"),
            "--kodo.cluster.name=it-" + UUID.randomUUID(),
            "--kodo.flows=" + LIMITED + "," + LOCK_OR_WAIT,
            "--kodo.cleanup.interval=0s");
    base = "http://127.0.0.1:" + waiting.getEnvironment().getProperty("local.server.port");
    refusing =
        NodeApplication.start(
            "--server.port=0",
            "--kodo.data=" + data.resolve("refusing"),
            "--kodo.cluster.name=it-" + UUID.randomUUID(),
            "--kodo.flows=" + LIMITED,
            "--kodo.node.limits.flows.[" + LIMITED + "]=1",
            "--kodo.node.limits.over=refuse",
            "--kodo.node.limits.retry-after=7",
            "--kodo.cleanup.interval=0s");
    refusingBase = "http://127.0.0.1:" + refusing.getEnvironment().getProperty("local.server.port");
  }

  @AfterAll
  static void stop() {
    if (refusing != null) refusing.close();
    if (waiting != null) waiting.close();
  }

  private static HttpResponse<String> launch(String node, String flow, String inputs) {
    return post(
        node,
        "/api/runs",
        "application/json",
        "{\"flow\":\"" + flow + "\",\"inputs\":" + inputs + "}");
  }

  private static String dirInputs() {
    return "{\"dir\":" + Json.quote(signals.toString()) + "}";
  }

  private static RunDocument run(String node, String fid) {
    return Json.read(get(node, "/api/runs/" + fid).body(), RunDocument.class);
  }

  private static void release(String fid) throws Exception {
    Files.writeString(signals.resolve(fid), "go");
  }

  private static JsonNode admission(String node) {
    return Json.read(get(node, "/api/state").body()).path("admission");
  }

  /** The flow's progress messages "running: N at once" among a run's events, as N. */
  private static List<Integer> atOnce(String fid) {
    JsonNode events =
        Json.read(get(base, "/api/runs/" + fid + "/events?limit=1000").body()).path("items");
    List<Integer> out = new ArrayList<>();
    for (JsonNode e : events) {
      String m = e.path("data").path("message").asString("");
      if (e.path("type").asString().equals("progress") && m.startsWith("running: ")) {
        out.add(Integer.parseInt(m.substring("running: ".length(), m.indexOf(' ', 9))));
      }
    }
    return out;
  }

  private static boolean started(String fid) {
    return !atOnce(fid).isEmpty();
  }

  @Test
  void aFlowLimitOf3HoldsUnder50ConcurrentLaunchesAndAllFinish() throws Exception {
    List<String> fids = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<HttpResponse<String>>> launches = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        launches.add(pool.submit(() -> launch(base, LIMITED, dirInputs())));
      }
      for (var f : launches) {
        HttpResponse<String> r = f.get();
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        fids.add(Json.read(r.body()).path("fid").asString());
      }
    }

    List<String> open = new ArrayList<>(fids);
    int rounds = 0;
    while (!open.isEmpty()) {
      int expected = Math.min(3, open.size());
      // Wait until as many runs execute as the limit allows (never timing: each waits for its
      // file).
      List<String> executing =
          await(
              expected + " runs executing",
              () -> {
                List<String> s = open.stream().filter(AdmissionLimitIT::started).toList();
                return s.size() >= expected ? s : null;
              });
      assertThat(executing).as("runs started and not finished").hasSize(expected);
      JsonNode flow = admission(base).path("flows").path(LIMITED);
      assertThat(flow.path("limit").asInt()).isEqualTo(3);
      assertThat(flow.path("running").asInt()).isEqualTo(expected);
      assertThat(flow.path("waiting").asInt()).isEqualTo(open.size() - expected);
      for (String fid : open) {
        if (!executing.contains(fid)) {
          RunDocument d = run(base, fid);
          assertThat(d.state()).isEqualTo(RunState.PENDING);
          assertThat(d.progress().message()).startsWith("waiting for a slot (flow " + LIMITED);
        }
      }
      for (String fid : executing) {
        release(fid);
      }
      for (String fid : executing) {
        await(fid + " done", () -> run(base, fid).state() == RunState.DONE ? true : null);
        open.remove(fid);
      }
      rounds++;
    }
    assertThat(rounds).isEqualTo(17);

    List<Integer> seen = new ArrayList<>();
    for (String fid : fids) {
      assertThat(run(base, fid).state()).isEqualTo(RunState.DONE);
      List<Integer> n = atOnce(fid);
      assertThat(n).as("run " + fid + " started once").hasSize(1);
      seen.addAll(n);
    }
    assertThat(seen).allSatisfy(n -> assertThat(n).isBetween(1, 3)).contains(3);
    long waited = fids.stream().filter(AdmissionLimitIT::waitedForASlot).count();
    assertThat(waited).as("runs that waited, visible in their events").isEqualTo(47);
    await(
        "no slot held once every run ended",
        () -> {
          JsonNode a = admission(base);
          return a.path("running").asInt() == 0 && a.path("waiting").asInt() == 0 ? true : null;
        });
  }

  private static boolean waitedForASlot(String fid) {
    JsonNode events =
        Json.read(get(base, "/api/runs/" + fid + "/events?limit=10").body()).path("items");
    for (JsonNode e : events) {
      if (e.path("data").path("message").asString("").startsWith("waiting for a slot")) {
        return true;
      }
    }
    return false;
  }

  @Test
  void refuseModeAnswers429NamingTheLimitWithRetryAfter() throws Exception {
    HttpResponse<String> first = launch(refusingBase, LIMITED, dirInputs());
    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    String fid = Json.read(first.body()).path("fid").asString();
    long before = Json.read(get(refusingBase, "/api/runs").body()).path("total").asLong();

    HttpResponse<String> second = launch(refusingBase, LIMITED, dirInputs());
    assertThat(second.statusCode()).as(second.body()).isEqualTo(429);
    assertThat(second.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(second.headers().firstValue("Retry-After")).contains("7");
    JsonNode problem = Json.read(second.body());
    assertThat(problem.path("limit").asString()).isEqualTo("flow");
    assertThat(problem.path("max").asInt()).as("kodo.node.limits.flows overrides 3").isEqualTo(1);
    assertThat(problem.path("status").asInt()).isEqualTo(429);
    assertThat(problem.path("detail").asString()).contains(LIMITED);
    assertThat(Json.read(get(refusingBase, "/api/runs").body()).path("total").asLong())
        .as("a refused launch records nothing")
        .isEqualTo(before);
    assertThat(admission(refusingBase).path("limits").path("over").asString()).isEqualTo("refuse");

    release(fid);
    await(
        "the first run done", () -> run(refusingBase, fid).state() == RunState.DONE ? true : null);
    HttpResponse<String> third = launch(refusingBase, LIMITED, dirInputs());
    assertThat(third.statusCode()).as("the slot is free again: " + third.body()).isEqualTo(201);
    String fid3 = Json.read(third.body()).path("fid").asString();
    release(fid3);
    await(
        "the third run done", () -> run(refusingBase, fid3).state() == RunState.DONE ? true : null);
  }

  @Test
  void aLockedRunFreesItsSlotAndItsAnswerIsAcceptedAtTheLimit() throws Exception {
    String locked =
        Json.read(
                launch(
                        base,
                        LOCK_OR_WAIT,
                        "{\"dir\":" + Json.quote(signals.toString()) + ",\"lock\":true}")
                    .body())
            .path("fid")
            .asString();
    RunDocument l =
        await(
            "the run locked",
            () -> {
              RunDocument d = run(base, locked);
              return d.state() == RunState.LOCKED ? d : null;
            });

    // The locked run lent its slot: another run of the flow (limit 1) starts at once.
    HttpResponse<String> b = launch(base, LOCK_OR_WAIT, dirInputs());
    assertThat(b.statusCode()).isEqualTo(201);
    String busy = Json.read(b.body()).path("fid").asString();
    RunDocument admitted = Json.read(b.body(), RunDocument.class);
    assertThat(admitted.progress() == null ? null : admitted.progress().message())
        .as("admitted, not waiting: " + b.body())
        .isNull();
    String third = Json.read(launch(base, LOCK_OR_WAIT, dirInputs()).body()).path("fid").asString();
    assertThat(run(base, third).progress().message())
        .startsWith("waiting for a slot (flow " + LOCK_OR_WAIT);
    JsonNode flow = admission(base).path("flows").path(LOCK_OR_WAIT);
    assertThat(flow.path("running").asInt()).isEqualTo(1);
    assertThat(flow.path("waiting").asInt()).isEqualTo(1);

    // At the limit, the answer is accepted and the locked run goes on to its end.
    String lid = l.lock().path("lid").asString();
    HttpResponse<String> answer =
        post(base, "/api/runs/" + locked + "/locks/" + lid, "application/json", "{\"ok\":true}");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    await("the answered run done", () -> run(base, locked).state() == RunState.DONE ? true : null);
    assertThat(run(base, third).state()).isEqualTo(RunState.PENDING);
    assertThat(run(base, third).progress().message()).startsWith("waiting for a slot");

    release(busy);
    await(
        "the third run admitted",
        () -> run(base, third).progress().message().startsWith("got a slot") ? true : null);
    release(third);
    await("the third run done", () -> run(base, third).state() == RunState.DONE ? true : null);
    await(
        "no slot of the flow held",
        () -> admission(base).path("flows").has(LOCK_OR_WAIT) ? null : true);
  }
}
