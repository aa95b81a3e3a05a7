package dev.kodo.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Json;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Who may do what on a node (docs/security.md#node-who-sees-what, docs/http-api.md): every node
 * endpoint × {anonymous, user without grants, user with x/basic (the runs' owner), user with
 * r/full, a user with x on another user's run, a node client, an operator} → the expected status,
 * over real HTTP against a node that trusts an external issuer ({@link StrangerIssuer}) and reads
 * grants from it with its own client token.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class NodeAccessMatrixIT {
  static final String RESEARCH = "dev.kodo.examples.ResearchSteps";
  static final String APPROVAL = "dev.kodo.examples.PlanApproval";
  static final String QUICK = "{\"topic\":\"matrix\",\"steps\":1,\"pause\":0}";
  static final String LOCKING = "{\"goal\":\"matrix\"}";

  /** The callers of the matrix, in its column order. */
  static final List<String> WHO =
      List.of("anonymous", "no-grants", "x-basic", "r-full", "other", "node", "operator");

  static StrangerIssuer issuer;
  static ConfigurableApplicationContext node;
  static AuthHttp http;
  static final Map<String, String> tokens = new LinkedHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    issuer = new StrangerIssuer();
    issuer.grant("user:xb", "flow://local/*", "x", "basic");
    issuer.grant("user:rf", "flow://local/dev.kodo.examples.*", "r", "full");
    issuer.grant("group:others", "flow://local/*", "x", "basic");
    issuer.grant("node:peer", "flow://local/" + RESEARCH, "x", "full");
    // Grants of other nodes and other subjects change nothing here.
    issuer.grant("user:nogrant", "flow://elsewhere/*", "x", "full");
    List<String> args = new ArrayList<>(TokenRulesIT.nodeArgs());
    args.set(3, "--kodo.flows=" + RESEARCH + "," + APPROVAL);
    args.addAll(issuer.nodeArgumentsWithGrants());
    node = NodeApplication.start(args.toArray(String[]::new));
    http =
        new AuthHttp("http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port"));
    tokens.put("no-grants", issuer.token("user:nogrant", List.of("user"), List.of()));
    tokens.put("x-basic", issuer.token("user:xb", List.of("user"), List.of()));
    tokens.put("r-full", issuer.token("user:rf", List.of("developer"), List.of()));
    tokens.put("other", issuer.token("user:ot", List.of("user"), List.of("others")));
    tokens.put("node", issuer.token("node:peer", List.of(), List.of()));
    tokens.put("operator", issuer.token("user:op", List.of("operator"), List.of()));
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
    if (issuer != null) issuer.close();
  }

  static String token(String who) {
    return tokens.get(who);
  }

  /** A fresh finished run of the x/basic user (the owner in the matrix). */
  static String finishedRun() throws Exception {
    String fid = http.launch(token("x-basic"), RESEARCH, QUICK);
    http.await(fid, token("operator"), AuthHttp::finished);
    return fid;
  }

  /** A fresh run of the x/basic user waiting at a lock; its fid and lock id. */
  static String[] lockedRun() throws Exception {
    String fid = http.launch(token("x-basic"), APPROVAL, LOCKING);
    JsonNode doc = http.await(fid, token("operator"), AuthHttp::locked);
    String lock = doc.path("links").path("lock").asString();
    return new String[] {fid, lock.substring(lock.lastIndexOf('/') + 1)};
  }

  /**
   * One row: the status each caller gets; {@code call} makes the request for one caller's token
   * (null: anonymous), on a fresh run where the request changes one.
   */
  private static void row(
      String what, Function<String, HttpResponse<String>> call, int... expected) {
    assertThat(expected).as(what).hasSize(WHO.size());
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < WHO.size(); i++) {
      HttpResponse<String> r = call.apply(token(WHO.get(i)));
      if (r.statusCode() != expected[i]) {
        wrong.add(WHO.get(i) + " got " + r.statusCode() + " not " + expected[i] + ": " + r.body());
      }
      if (r.statusCode() >= 400) {
        assertThat(r.headers().firstValue("Content-Type").orElse(""))
            .as(what + " as " + WHO.get(i))
            .contains("application/problem+json");
      }
    }
    assertThat(wrong).as(what).isEmpty();
  }

  private static Function<String, HttpResponse<String>> fresh(
      ThrowingSupplier<String> run, String method, String suffix, String body) {
    return t -> {
      try {
        return http.call(method, "/api/runs/" + run.get() + suffix, t, body);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    };
  }

  interface ThrowingSupplier<T> {
    T get() throws Exception;
  }

  @Test
  void publicAndServiceEndpoints() {
    //                                    anon no-gr x-bas r-ful other node  op
    row(
        "GET /api/actuator/health",
        t -> http.get("/api/actuator/health", t),
        200,
        200,
        200,
        200,
        200,
        200,
        200);
    row("GET /api/state", t -> http.get("/api/state", t), 401, 200, 200, 200, 200, 200, 200);
    row("GET /api/openapi", t -> http.get("/api/openapi", t), 401, 200, 200, 200, 200, 200, 200);
    row(
        "GET /api/actuator/prometheus",
        t -> http.get("/api/actuator/prometheus", t),
        401,
        403,
        403,
        403,
        403,
        403,
        200);
    row(
        "GET /api/actuator/metrics",
        t -> http.get("/api/actuator/metrics", t),
        401,
        403,
        403,
        403,
        403,
        403,
        200);
    row("GET /api/cleanup", t -> http.get("/api/cleanup", t), 401, 403, 403, 403, 403, 403, 200);
    row(
        "POST /api/cleanup",
        t -> http.call("POST", "/api/cleanup", t, "{}"),
        401,
        403,
        403,
        403,
        403,
        403,
        200);
    row(
        "POST /api/flows/reload",
        t -> http.call("POST", "/api/flows/reload", t, "{}"),
        401,
        403,
        403,
        403,
        403,
        403,
        200);
  }

  @Test
  void stateNamesToNonOperatorsOnlyTheFlowsTheyMaySee() {
    JsonNode op = Json.read(http.get("/api/state", token("operator")).body());
    assertThat(flowsOfWorkers(op)).contains(RESEARCH, APPROVAL);
    assertThat(op.path("admission").has("users")).isTrue();

    JsonNode none = Json.read(http.get("/api/state", token("no-grants")).body());
    assertThat(flowsOfWorkers(none)).isEmpty();
    assertThat(none.path("admission").has("users")).isFalse();
    assertThat(none.path("counts").path("flows").asInt()).isEqualTo(2); // totals stay visible

    // r on dev.kodo.examples.* only: both example flows, still no other owner's counts.
    JsonNode rf = Json.read(http.get("/api/state", token("r-full")).body());
    assertThat(flowsOfWorkers(rf)).contains(RESEARCH, APPROVAL);
    assertThat(rf.path("admission").has("users")).isFalse();
  }

  private static List<String> flowsOfWorkers(JsonNode state) {
    List<String> out = new ArrayList<>();
    for (JsonNode w : state.path("workers")) {
      for (JsonNode f : w.path("flows")) out.add(f.asString());
    }
    return out;
  }

  @Test
  void flows() {
    row("GET /api/flows", t -> http.get("/api/flows", t), 401, 200, 200, 200, 200, 200, 200);
    row(
        "GET /api/flows/{research}",
        t -> http.get("/api/flows/" + RESEARCH, t),
        401,
        404,
        200,
        200,
        200,
        200,
        200);
    row(
        "GET /api/flows/{approval}",
        t -> http.get("/api/flows/" + APPROVAL, t),
        401,
        404,
        200,
        200,
        200,
        404,
        200);
    row(
        "POST /api/runs (launch)",
        t ->
            http.call(
                "POST", "/api/runs", t, "{\"flow\":\"" + RESEARCH + "\",\"inputs\":" + QUICK + "}"),
        401,
        404,
        201,
        403,
        201,
        201,
        201);
    row(
        "POST /api/runs (launch approval)",
        t ->
            http.call(
                "POST",
                "/api/runs",
                t,
                "{\"flow\":\"" + APPROVAL + "\",\"inputs\":" + LOCKING + "}"),
        401,
        404,
        201,
        403,
        201,
        404,
        201);

    assertThat(items(http.get("/api/flows", token("no-grants")))).isEmpty();
    assertThat(items(http.get("/api/flows", token("node")))).containsExactly(RESEARCH);
    assertThat(items(http.get("/api/flows", token("x-basic"))))
        .containsExactlyInAnyOrder(RESEARCH, APPROVAL);
    assertThat(Json.read(http.get("/api/flows", token("node")).body()).path("total").asLong())
        .isEqualTo(1);
  }

  @Test
  void readingARun() throws Exception {
    String fid = finishedRun();
    row(
        "GET /api/runs/{fid}",
        t -> http.get("/api/runs/" + fid, t),
        401,
        404,
        200,
        200,
        404,
        404,
        200);
    row(
        "GET /api/runs/{fid}/events",
        t -> http.get("/api/runs/" + fid + "/events", t),
        401,
        404,
        200,
        200,
        404,
        404,
        200);
    row(
        "GET /api/runs/{fid}/stream",
        t -> http.get("/api/runs/" + fid + "/stream", t),
        401,
        404,
        200,
        200,
        404,
        404,
        200);
    row("GET /api/runs", t -> http.get("/api/runs", t), 401, 200, 200, 200, 200, 200, 200);
    String missing = "/api/runs/" + UUID.randomUUID();
    row("GET /api/runs/{unknown}", t -> http.get(missing, t), 401, 404, 404, 404, 404, 404, 404);
  }

  @Test
  void listsHoldOnlyVisibleRunsAndCountOnlyThose() throws Exception {
    String mine = finishedRun();
    String theirs = http.launch(token("other"), RESEARCH, QUICK);
    http.await(theirs, token("operator"), AuthHttp::finished);

    JsonNode nobody = Json.read(http.get("/api/runs?pp=1000", token("no-grants")).body());
    assertThat(nobody.path("total").asLong()).isZero();
    assertThat(nobody.path("items").size()).isZero();

    List<String> owner = fids(http.get("/api/runs?pp=1000", token("x-basic")));
    assertThat(owner).contains(mine).doesNotContain(theirs);
    JsonNode ownerPage = Json.read(http.get("/api/runs?pp=1000", token("x-basic")).body());
    assertThat(ownerPage.path("total").asLong()).isEqualTo(owner.size());

    assertThat(fids(http.get("/api/runs?pp=1000", token("r-full")))).contains(mine, theirs);
    assertThat(fids(http.get("/api/runs?pp=1000", token("operator")))).contains(mine, theirs);
    assertThat(fids(http.get("/api/runs?pp=1000", token("other"))))
        .contains(theirs)
        .doesNotContain(mine);
  }

  @Test
  void managingARun() throws Exception {
    //                                                            anon no-gr x-bas r-ful other node
    // op
    row(
        "POST kill",
        fresh(() -> lockedRun()[0], "POST", "/kill", null),
        401,
        404,
        200,
        403,
        404,
        404,
        200);
    row(
        "POST restart",
        fresh(NodeAccessMatrixIT::finishedRun, "POST", "/restart", null),
        401,
        404,
        201,
        403,
        404,
        404,
        201);
    row(
        "POST ack",
        fresh(NodeAccessMatrixIT::finishedRun, "POST", "/ack", null),
        401,
        404,
        200,
        403,
        404,
        404,
        200);
    row(
        "DELETE run",
        fresh(NodeAccessMatrixIT::finishedRun, "DELETE", "", null),
        401,
        404,
        204,
        403,
        404,
        404,
        204);
    row(
        "POST share",
        fresh(
            NodeAccessMatrixIT::finishedRun,
            "POST",
            "/share",
            "{\"subjects\":[\"user:someone\"],\"level\":\"basic\",\"mode\":\"r\"}"),
        401,
        404,
        200,
        403,
        404,
        404,
        200);
  }

  @Test
  void locks() throws Exception {
    String[] run = lockedRun();
    String demand = "/api/runs/" + run[0] + "/locks/" + run[1];
    row("GET lock", t -> http.get(demand, t), 401, 404, 200, 200, 404, 404, 200);
    row(
        "POST lock answer",
        t -> {
          try {
            String[] r = lockedRun();
            return http.call(
                "POST", "/api/runs/" + r[0] + "/locks/" + r[1], t, "{\"approve\":true}");
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        },
        401,
        404,
        200,
        403,
        404,
        404,
        200);
    http.call("POST", "/api/runs/" + run[0] + "/kill", token("operator"), null);
  }

  @Test
  void aShareAtXLetsItsSubjectAnswerLocksAndNoShareExceedsTheSharersLevel() throws Exception {
    String[] run = lockedRun();
    String path = "/api/runs/" + run[0];
    String answer = path + "/locks/" + run[1];
    assertThat(
            http.call(
                    "POST",
                    path + "/share",
                    token("x-basic"),
                    "{\"subjects\":[\"user:ot\"],\"level\":\"basic\",\"mode\":\"r\"}")
                .statusCode())
        .isEqualTo(200);
    assertThat(http.get(path, token("other")).statusCode()).isEqualTo(200);
    assertThat(http.call("POST", answer, token("other"), "{\"approve\":true}").statusCode())
        .isEqualTo(403);
    assertThat(http.call("POST", path + "/kill", token("other"), null).statusCode()).isEqualTo(403);

    // The owner launched at basic: it cannot share more.
    HttpResponse<String> tooMuch =
        http.call(
            "POST",
            path + "/share",
            token("x-basic"),
            "{\"subjects\":[\"group:others\"],\"level\":\"full\",\"mode\":\"x\"}");
    assertThat(tooMuch.statusCode()).isEqualTo(403);
    assertThat(Json.read(tooMuch.body()).path("detail").asString()).contains("basic");
    HttpResponse<String> notASubject =
        http.call(
            "POST",
            path + "/share",
            token("x-basic"),
            "{\"subjects\":[\"ot\"],\"level\":\"basic\",\"mode\":\"x\"}");
    assertThat(notASubject.statusCode()).isEqualTo(400);

    assertThat(
            http.call(
                    "POST",
                    path + "/share",
                    token("x-basic"),
                    "{\"subjects\":[\"group:others\"],\"level\":\"basic\",\"mode\":\"x\"}")
                .statusCode())
        .isEqualTo(200);
    assertThat(http.call("POST", answer, token("other"), "{\"approve\":true}").statusCode())
        .isEqualTo(200);

    // The operator shares at any level; the run document lists the shares (never a revoked one).
    assertThat(
            http.call(
                    "POST",
                    path + "/share",
                    token("operator"),
                    "{\"subjects\":[\"user:ot\"],\"level\":\"none\"}")
                .statusCode())
        .isEqualTo(200);
    JsonNode doc = Json.read(http.get(path, token("operator")).body());
    List<String> shares = new ArrayList<>();
    doc.path("shares")
        .forEach(
            s ->
                shares.add(
                    s.path("subject").asString()
                        + ":"
                        + s.path("level").asString()
                        + ":"
                        + s.path("mode").asString()));
    assertThat(shares).containsExactlyInAnyOrder("user:xb:basic:x", "group:others:basic:x");
  }

  @Test
  void aGrantGivenOrRevokedTakesEffectWithinTheRefresh() throws Exception {
    String late = issuer.token("user:late", List.of("user"), List.of());
    assertThat(items(http.get("/api/flows", late))).isEmpty();
    issuer.grant("user:late", "flow://local/" + RESEARCH, "x", "basic");
    NodeTestSupport.await(
        "the new grant", () -> items(http.get("/api/flows", late)).isEmpty() ? null : true);
    assertThat(items(http.get("/api/flows", late))).containsExactly(RESEARCH);
    issuer.revoke("user:late");
    NodeTestSupport.await(
        "the revocation", () -> items(http.get("/api/flows", late)).isEmpty() ? true : null);
    assertThat(
            http.call(
                    "POST",
                    "/api/runs",
                    late,
                    "{\"flow\":\"" + RESEARCH + "\",\"inputs\":" + QUICK + "}")
                .statusCode())
        .isEqualTo(404);
  }

  private static List<String> items(HttpResponse<String> r) {
    assertThat(r.statusCode()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    Json.read(r.body()).path("items").forEach(f -> out.add(f.path("path").asString()));
    return out;
  }

  private static List<String> fids(HttpResponse<String> r) {
    assertThat(r.statusCode()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    Json.read(r.body()).path("items").forEach(f -> out.add(f.path("fid").asString()));
    return out;
  }
}
