package dev.kodo.registry;

import static dev.kodo.registry.RegistryTestServer.eventually;
import static dev.kodo.registry.RegistryTestServer.items;
import static dev.kodo.registry.RegistryTestServer.json;
import static dev.kodo.registry.RegistryTestServer.problem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * Who may do what at the registry with auth on (docs/security.md#registry-reads-nodes-and-peers):
 * every endpoint × {anonymous, a user, node alpha's client, node beta's client, an operator}; a
 * node cannot announce or silence another; a contributor pushes only with its own token; hidden
 * records stay out of every non-operator's sight; registries federate with their own client tokens.
 * Tokens are minted by the test ({@link RegistryTestIssuer}) and the registry trusts their issuer
 * through properties only.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RegistryAccessIT {
  private static final String QUIET = "--kodo.registry.sync-interval=1h";
  private static final List<String> CALLERS =
      List.of("anonymous", "user", "node alpha", "node beta", "operator");

  private static RegistryTestIssuer issuer;
  private static RegistryTestServer registry;
  private static Map<String, String> tokens;
  private static String operator;

  @BeforeAll
  static void start() throws Exception {
    issuer = new RegistryTestIssuer();
    registry = RegistryTestServer.start("hq", with(QUIET));
    operator = issuer.token("user:root", "operator");
    tokens = new LinkedHashMap<>();
    tokens.put("anonymous", null);
    tokens.put("user", issuer.token("user:alice", "user"));
    tokens.put("node alpha", issuer.token("node:alpha"));
    tokens.put("node beta", issuer.token("node:beta"));
    tokens.put("operator", operator);

    for (String n : List.of("alpha", "beta", "temp", "hush")) {
      expect(registry.send("POST", "/registry/register", node(n), operator), 201);
    }
    expect(
        registry.send(
            "POST",
            "/registry/connect",
            connect("alpha", "a.yaml", "secret.yaml"),
            issuer.token("node:alpha")),
        200);
    expect(
        registry.send(
            "POST", "/registry/connect", connect("beta", "b.yaml"), tokens.get("node beta")),
        200);
    expect(registry.send("POST", "/registry/connect", connect("hush", "h.yaml"), operator), 200);
    expect(registry.send("PUT", "/registry/nodes/hush", "{\"hidden\":true}", operator), 200);
    expect(
        registry.send(
            "PUT",
            "/registry/flows/alpha/secret.yaml",
            "{\"hidden\":true,\"notes\":\"internal\"}",
            operator),
        200);
    for (String peer : List.of("lab", "other")) {
      expect(
          registry.send(
              "POST",
              "/registry/peers",
              "{\"name\":\"" + peer + "\",\"role\":\"contributor\"}",
              operator),
          201);
    }
  }

  @AfterAll
  static void stop() {
    if (registry != null) registry.close();
    if (issuer != null) issuer.close();
  }

  /** Spring arguments with this test's issuer trusted. */
  private static String[] with(String... extra) {
    List<String> args = new ArrayList<>(List.of(issuer.properties()));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  private static String node(String name) {
    return "{\"node\":\"" + name + "\"}";
  }

  private static String connect(String node, String... paths) {
    StringBuilder flows = new StringBuilder();
    for (String p : paths) {
      if (!flows.isEmpty()) flows.append(',');
      flows
          .append("{\"path\":\"")
          .append(p)
          .append("\",\"name\":\"Flow ")
          .append(p)
          .append("\",\"release\":\"1.0.0\"}");
    }
    return "{\"node\":\"" + node + "\",\"url\":\"http://127.0.0.1:1\",\"flows\":[" + flows + "]}";
  }

  private static void expect(HttpResponse<String> r, int status) {
    assertThat(r.statusCode())
        .as(r.request().method() + " " + r.uri() + ": " + r.body())
        .isEqualTo(status);
  }

  /** One endpoint with what each caller gets, in the order of {@link #CALLERS}. */
  private record Row(String method, String path, String body, int... codes) {}

  @Test
  void everyEndpointAnswersEachCallerAsTheRulesSay() {
    List<Row> rows =
        List.of(
            // reads: any authenticated caller; hidden ones only for operators
            new Row("GET", "/registry/nodes", null, 401, 200, 200, 200, 200),
            new Row("GET", "/registry/nodes?hidden=true", null, 401, 403, 403, 403, 200),
            new Row("GET", "/registry/nodes/alpha", null, 401, 200, 200, 200, 200),
            new Row("GET", "/registry/nodes/hush", null, 401, 404, 404, 404, 404),
            new Row("GET", "/registry/nodes/hush?hidden=true", null, 401, 403, 403, 403, 200),
            new Row("GET", "/registry/nodes/ghost", null, 401, 404, 404, 404, 404),
            new Row("GET", "/registry/nodes/alpha/history", null, 401, 200, 200, 200, 200),
            new Row("GET", "/registry/nodes/ghost/history", null, 401, 404, 404, 404, 404),
            new Row("GET", "/registry/flows", null, 401, 200, 200, 200, 200),
            new Row("GET", "/registry/flows?hidden=true", null, 401, 403, 403, 403, 200),
            new Row("GET", "/registry/state", null, 401, 200, 200, 200, 200),
            new Row("GET", "/registry/export", null, 401, 200, 200, 200, 200),
            // a node speaks only for itself
            new Row(
                "POST",
                "/registry/connect",
                connect("alpha", "a.yaml", "secret.yaml"),
                401,
                403,
                200,
                403,
                200),
            new Row(
                "PUT",
                "/registry/state",
                "{\"node\":\"alpha\",\"load\":0.1}",
                401,
                403,
                200,
                403,
                200),
            new Row("POST", "/registry/disconnect", node("alpha"), 401, 403, 200, 403, 200),
            new Row(
                "POST",
                "/registry/connect",
                connect("alpha", "a.yaml", "secret.yaml"),
                401,
                403,
                200,
                403,
                200),
            new Row("POST", "/registry/disconnect", node("ghost"), 401, 403, 403, 403, 404),
            new Row("PUT", "/registry/state", "{\"node\":\"ghost\"}", 401, 403, 403, 403, 404),
            // admin endpoints: operators
            new Row("POST", "/registry/register", node("newbie"), 401, 403, 403, 403, 201),
            new Row("DELETE", "/registry/register/temp", null, 401, 403, 403, 403, 204),
            new Row("DELETE", "/registry/register/ghost", null, 401, 403, 403, 403, 404),
            new Row("PUT", "/registry/nodes/beta", "{\"tags\":[\"x\"]}", 401, 403, 403, 403, 200),
            new Row("PUT", "/registry/nodes/ghost", "{\"tags\":[\"x\"]}", 401, 403, 403, 403, 404),
            new Row(
                "PUT", "/registry/flows/beta/b.yaml", "{\"notes\":\"n\"}", 401, 403, 403, 403, 200),
            new Row("GET", "/registry/peers", null, 401, 403, 403, 403, 200),
            new Row(
                "POST",
                "/registry/peers",
                "{\"name\":\"lab2\",\"role\":\"contributor\"}",
                401,
                403,
                403,
                403,
                201),
            new Row("POST", "/registry/peers/lab/sync", null, 401, 403, 403, 403, 200),
            new Row("POST", "/registry/peers/ghost/sync", null, 401, 403, 403, 403, 404),
            new Row("DELETE", "/registry/peers/lab2", null, 401, 403, 403, 403, 204),
            new Row("DELETE", "/registry/peers/ghost", null, 401, 403, 403, 403, 404),
            new Row("GET", "/registry/cleanup", null, 401, 403, 403, 403, 200),
            new Row("POST", "/registry/cleanup", null, 401, 403, 403, 403, 200),
            // a contributor's push: that peer's own token (none of these callers is lab) or an
            // operator
            new Row(
                "PUT",
                "/registry/import",
                "{\"registry\":\"lab\",\"nodes\":[]}",
                401,
                403,
                403,
                403,
                200));
    List<String> wrong = new ArrayList<>();
    for (Row row : rows) {
      for (int i = 0; i < CALLERS.size(); i++) {
        String who = CALLERS.get(i);
        HttpResponse<String> r =
            registry.send(row.method(), row.path(), row.body(), tokens.get(who));
        if (r.statusCode() != row.codes()[i]) {
          wrong.add(
              row.method()
                  + " "
                  + row.path()
                  + " as "
                  + who
                  + ": "
                  + r.statusCode()
                  + ", expected "
                  + row.codes()[i]
                  + " ("
                  + r.body()
                  + ")");
        }
        if (r.statusCode() == 401 || r.statusCode() == 403) {
          assertThat(r.headers().firstValue("Content-Type").orElse(""))
              .as(row.method() + " " + row.path() + " as " + who)
              .startsWith("application/problem+json");
        }
        if (r.statusCode() == 401) {
          assertThat(r.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void aNodeCannotAnnounceHeartbeatOrSilenceAnotherNode() {
    String beta = tokens.get("node beta");
    problem(
        registry.send("POST", "/registry/connect", connect("alpha", "evil.yaml"), beta),
        403,
        "cannot announce or silence another node");
    problem(
        registry.send("PUT", "/registry/state", "{\"node\":\"alpha\",\"load\":9}", beta),
        403,
        "cannot announce or silence another node");
    problem(
        registry.send("POST", "/registry/disconnect", node("alpha"), beta),
        403,
        "cannot announce or silence another node");
    // a person's token announces no node at all
    problem(
        registry.send("POST", "/registry/connect", connect("alpha"), tokens.get("user")),
        403,
        "node's own client token");
    assertThat(
            items(
                json(registry.send("GET", "/registry/flows?search=evil", null, operator)), "path"))
        .isEmpty();
  }

  @Test
  void aContributorPushesOnlyWithItsOwnToken() {
    String body =
        "{\"registry\":\"lab\",\"nodes\":[{\"name\":\"delta\",\"registered\":\"2026-11-27T10:00:00Z\","
            + "\"url\":\"http://127.0.0.1:4\"}]}";
    problem(
        registry.send("PUT", "/registry/import", body, issuer.token("node:other")),
        403,
        "only its own export");
    problem(
        registry.send(
            "PUT",
            "/registry/import",
            body.replace("\"lab\"", "\"other\""),
            issuer.token("node:lab")),
        403,
        "only its own export");
    HttpResponse<String> own =
        registry.send("PUT", "/registry/import", body, issuer.token("node:lab"));
    expect(own, 200);
    assertThat(json(own).get("taken").toString()).contains("delta");
    // a registry that is no contributor here is refused even with its own token
    problem(
        registry.send(
            "PUT",
            "/registry/import",
            "{\"registry\":\"mallory\",\"nodes\":[]}",
            issuer.token("node:mallory")),
        403,
        "not a contributor");
  }

  @Test
  void hiddenNodesAndFlowsStayOutOfSightOfEveryoneButOperators() {
    for (String who : List.of("user", "node alpha", "node beta")) {
      String t = tokens.get(who);
      String flows = registry.send("GET", "/registry/flows?pp=1000", null, t).body();
      assertThat(flows).as(who).doesNotContain("secret.yaml").doesNotContain("h.yaml");
      assertThat(
              json(registry.send("GET", "/registry/flows?search=secret", null, t))
                  .get("filtered")
                  .asInt())
          .isZero();
      assertThat(registry.send("GET", "/registry/nodes?pp=1000", null, t).body())
          .doesNotContain("hush");
      assertThat(registry.send("GET", "/registry/export", null, t).body())
          .doesNotContain("secret.yaml")
          .doesNotContain("hush")
          .doesNotContain("internal");
      expect(registry.send("GET", "/registry/nodes/hush/history", null, t), 404);
    }
    JsonNode all =
        json(registry.send("GET", "/registry/flows?hidden=true&pp=1000", null, operator));
    assertThat(items(all, "path")).contains("secret.yaml", "h.yaml");
    assertThat(registry.send("GET", "/registry/nodes?hidden=true", null, operator).body())
        .contains("hush");
  }

  @Test
  void tokensTheIssuerDidNotSignOrThatExpiredAreRefused() throws Exception {
    expect(
        registry.send(
            "GET",
            "/registry/state",
            null,
            issuer.token("user:alice", Duration.ofSeconds(-60), "user")),
        401);
    try (RegistryTestIssuer stranger = new RegistryTestIssuer()) {
      HttpResponse<String> r =
          registry.send("GET", "/registry/state", null, stranger.token("user:root", "operator"));
      expect(r, 401);
      assertThat(r.body()).doesNotContain(stranger.token("user:root", "operator").substring(0, 20));
    }
    expect(registry.send("GET", "/registry/state", null, "not-a-jwt"), 401);
  }

  @Test
  void registriesFederateWithTheirOwnClientTokens() throws Exception {
    issuer.client("lab", "lab-secret");
    issuer.client("west", "west-secret");
    try (RegistryTestServer lab =
            RegistryTestServer.start(
                "lab",
                with(QUIET, "--kodo.auth.client-id=lab", "--kodo.auth.client-secret=lab-secret"));
        RegistryTestServer west =
            RegistryTestServer.start(
                "west",
                with(
                    QUIET,
                    "--kodo.auth.client-id=west",
                    "--kodo.auth.client-secret=west-secret"))) {
      expect(lab.send("POST", "/registry/register", node("zeta"), operator), 201);
      expect(
          lab.send(
              "POST", "/registry/connect", connect("zeta", "z.yaml"), issuer.token("node:zeta")),
          200);

      // lab pushes to hq (hq has lab as a contributor) with lab's own client token
      expect(
          lab.send(
              "POST",
              "/registry/peers",
              "{\"name\":\"hq\",\"url\":\"" + registry.base + "\",\"role\":\"consumer\"}",
              operator),
          201);
      HttpResponse<String> pushed = lab.send("POST", "/registry/peers/hq/sync", null, operator);
      expect(pushed, 200);
      assertThat(json(pushed).get("lastError").isNull()).as(pushed.body()).isTrue();
      eventually(
          "zeta on hq",
          () ->
              registry.send("GET", "/registry/nodes/zeta", null, tokens.get("user")).statusCode()
                  == 200);

      // west pulls lab's export with west's own token
      expect(
          west.send(
              "POST",
              "/registry/peers",
              "{\"name\":\"lab\",\"url\":\"" + lab.base + "\",\"role\":\"provider\"}",
              operator),
          201);
      HttpResponse<String> pulled = west.send("POST", "/registry/peers/lab/sync", null, operator);
      expect(pulled, 200);
      assertThat(json(pulled).get("lastError").isNull()).as(pulled.body()).isTrue();
      assertThat(items(json(west.send("GET", "/registry/flows", null, operator)), "path"))
          .contains("z.yaml");
      assertThat(issuer.issued()).isPositive();
    }
  }

  @Test
  void aRegistryPushingWithAnotherRegistrysTokenIsRefusedAndToldWhy() throws Exception {
    issuer.client("other", "other-secret");
    expect(
        registry.send(
            "POST", "/registry/peers", "{\"name\":\"posing\",\"role\":\"contributor\"}", operator),
        201);
    try (RegistryTestServer posing =
        RegistryTestServer.start(
            "posing",
            with(QUIET, "--kodo.auth.client-id=other", "--kodo.auth.client-secret=other-secret"))) {
      expect(
          posing.send(
              "POST",
              "/registry/peers",
              "{\"name\":\"hq\",\"url\":\"" + registry.base + "\",\"role\":\"consumer\"}",
              operator),
          201);
      JsonNode status = json(posing.send("POST", "/registry/peers/hq/sync", null, operator));
      assertThat(status.get("lastError").asString())
          .contains("refuses this registry's token")
          .contains("kodo.auth.client-id posing");
    }
  }

  @Test
  void aRegistryWithoutItsOwnTokenIsToldWhyItsPushIsRefused() throws Exception {
    try (RegistryTestServer loner = RegistryTestServer.start("loner", with(QUIET))) {
      expect(
          loner.send(
              "POST",
              "/registry/peers",
              "{\"name\":\"hq\",\"url\":\"" + registry.base + "\",\"role\":\"consumer\"}",
              operator),
          201);
      JsonNode status = json(loner.send("POST", "/registry/peers/hq/sync", null, operator));
      assertThat(status.get("lastError").asString())
          .contains("401")
          .contains("kodo.auth.client-id");
    }
  }
}
