package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.client.Event;
import dev.kodo.client.NodeClient;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import dev.kodo.client.TokenSupplier;
import dev.kodo.node.NodeApplication;
import dev.kodo.testing.ModelReply;
import dev.kodo.testing.ModelStep;
import dev.kodo.testing.ScriptedModelServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code kodo_flow} with auth on (docs/security.md#the-node-calling-other-nodes), two nodes in this
 * JVM: A is {@code koco serve --name alpha} (node, registry, auth provider), B a node named {@code
 * beta} that trusts A's provider and reads its grants with its own node client. A crew on A calls
 * the MarketReport flow on A itself (allowed by the first start's grant of {@code node:alpha} on
 * its own flows) and on B: without a grant there the model reads a clear error, with the grant the
 * sub-run succeeds and belongs to {@code node:alpha}. No token reaches an event.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KodoFlowWithAuthIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String PASSWORD = "flow-auth-" + UUID.randomUUID();
  private static final String KEY = "sk-flow-auth-" + UUID.randomUUID();
  private static final String REPORT = "dev.kodo.examples.MarketReport";

  @TempDir static Path dir;
  static ScriptedModelServer models;
  static Thread serve;
  static final StringWriter serveOut = new StringWriter();
  static ConfigurableApplicationContext b;
  static String aUrl;
  static String bUrl;
  static String admin;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    models = ScriptedModelServer.start().requireApiKey(KEY);
    int aPort = AgentRuns.freePort();
    int bPort = AgentRuns.freePort();
    aUrl = "http://127.0.0.1:" + aPort;
    bUrl = "http://127.0.0.1:" + bPort;
    Path crews = Files.createDirectories(dir.resolve("crews"));
    for (String where : List.of("own", "remote")) {
      Files.writeString(
          crews.resolve(where + ".yaml"),
          """
          name: Report %1$s
          inputs:
            company: {type: string, required: true}
          llm: {provider: openai, model: gpt-4o-mini, base_url: "${OPENAI_BASE_URL}", api_key: "${OPENAI_API_KEY}"}
          tools:
            report:
              type: kodo_flow
              node: "${%2$s}"
              flow: dev.kodo.examples.MarketReport
          agents:
            reporter: {role: Reporter, goal: "Bring the report on {company}", tools: [report]}
          tasks:
            - {id: fetch, agent: reporter, description: "Fetch the %1$s report on {company}."}
          """
              .formatted(where, where.equals("own") ? "A_URL" : "B_URL"));
    }
    Path config = dir.resolve("kodo.properties");
    Files.writeString(
        config,
        String.join(
            "\n",
            "kodo.auth.provider.admin-password=" + PASSWORD,
            "kodo.secrets.OPENAI_BASE_URL=" + models.baseUrl(),
            "kodo.secrets.OPENAI_API_KEY=" + KEY,
            "kodo.secrets.A_URL=" + aUrl,
            "kodo.secrets.B_URL=" + bUrl,
            "kodo.cluster.name=alpha-" + UUID.randomUUID(),
            ""));
    AtomicInteger exit = new AtomicInteger(-1);
    StringWriter err = new StringWriter();
    serve =
        new Thread(
            () ->
                exit.set(
                    Koco.execute(
                        new PrintWriter(serveOut),
                        new PrintWriter(err),
                        "serve",
                        "--port",
                        Integer.toString(aPort),
                        "--data",
                        dir.resolve("a").toString(),
                        "--config",
                        config.toString(),
                        "--name",
                        "alpha",
                        "--flows",
                        crews + "," + REPORT)));
    serve.start();
    awaitReady(Pattern.compile("Kodo ready at (http://127\\.0\\.0\\.1:\\d+) — "), err);
    admin = login();
    // B's node client at A's provider: B verifies A's tokens and reads A's grants with it
    JsonNode client =
        send(
            "POST",
            aUrl + "/auth/clients",
            admin,
            "{\"client_id\":\"beta\",\"kind\":\"node\",\"node\":\"beta\"}",
            201);
    b =
        NodeApplication.start(
            "--server.port=" + bPort,
            "--kodo.data=" + dir.resolve("b"),
            "--kodo.cluster.name=beta-" + UUID.randomUUID(),
            "--kodo.node.name=beta",
            "--kodo.flows=" + REPORT,
            "--kodo.auth.issuer=" + aUrl + "/auth",
            "--kodo.auth.client-id=beta",
            "--kodo.auth.client-secret=" + client.path("client_secret").asString(),
            "--kodo.auth.grants-refresh=200ms");
  }

  @AfterAll
  static void stop() throws Exception {
    if (b != null) b.close();
    if (serve != null) {
      serve.interrupt();
      serve.join(Duration.ofSeconds(30));
    }
    if (models != null) models.close();
    http.close();
  }

  @AfterEach
  void scriptUsedUp() {
    models.verify();
  }

  private static void awaitReady(Pattern ready, StringWriter err) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
    while (Instant.now().isBefore(deadline)) {
      Matcher m = ready.matcher(serveOut.toString());
      if (m.find()) {
        assertThat(m.group(1)).isEqualTo(aUrl);
        return;
      }
      if (!serve.isAlive()) {
        throw new AssertionError("koco serve ended before it was ready: " + serveOut + err);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("koco serve was not ready within 120 s: " + serveOut + err);
  }

  private static String login() throws Exception {
    return send(
            "POST",
            aUrl + "/auth/login",
            null,
            JSON.writeValueAsString(Map.of("username", "admin", "password", PASSWORD)),
            200)
        .path("access_token")
        .asString();
  }

  private static JsonNode send(String method, String url, String token, String body, int status)
      throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) r.header("Authorization", "Bearer " + token);
    HttpResponse<String> res = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).as(method + " " + url + ": " + res.body()).isEqualTo(status);
    return res.body().isEmpty() ? JSON.nullNode() : JSON.readTree(res.body());
  }

  private static NodeClient node(String url) {
    return NodeClient.connect(url, TokenSupplier.fixed(admin, "the admin's token"));
  }

  /** Launches crew {@code crew} on A for {@code company}, scripted to call its tool once. */
  private static RunDocument runCrew(String crew, String company, String expectedInResult)
      throws Exception {
    models.expect(
        ModelStep.containing("Fetch the " + crew + " report on " + company + ".")
            .reply(
                ModelReply.toolCall("report", "{\"inputs\":{\"company\":\"" + company + "\"}}")));
    models.expect(
        ModelStep.matching(
                "the tool's answer containing " + expectedInResult,
                r -> r.toolResults().stream().anyMatch(t -> t.contains(expectedInResult)))
            .reply(ModelReply.text("Done for " + company + ".")));
    NodeClient a = node(aUrl);
    String fid = a.launch(crew, Map.of("company", company)).fid();
    RunDocument done = AgentRuns.awaitEnd(a, fid, 90);
    List<Event> log = AgentRuns.events(a, fid);
    assertThat(done.state()).as("%s", log).isEqualTo(RunState.DONE);
    assertThat(log.toString()).doesNotContain(admin).doesNotContain("eyJ");
    return done;
  }

  private static List<RunDocument> reportsOn(String url, String company) {
    return node(url).runs(Map.of("flow", REPORT)).items().stream()
        .filter(r -> r.inputs().path("company").asString("").equals(company))
        .toList();
  }

  /** The run's owner (its first {@code share} event, docs/security.md) is {@code node:alpha}. */
  private static void ownedByNodeAlpha(String url, RunDocument run) {
    List<JsonNode> shares = AgentRuns.data(AgentRuns.events(node(url), run.fid()), "share");
    assertThat(shares)
        .as("the sub-run belongs to the node's own identity")
        .isNotEmpty()
        .first()
        .satisfies(d -> assertThat(d.path("subjects").toString()).isEqualTo("[\"node:alpha\"]"));
  }

  @Test
  @Order(1)
  void aCrewCallsItsOwnNodesFlowWithTheFirstStartGrant() throws Exception {
    JsonNode grants = send("GET", aUrl + "/auth/grants?subject=node:alpha", admin, null, 200);
    assertThat(grants.path("items")).hasSize(1);
    assertThat(grants.path("items").get(0).path("resource").asString()).isEqualTo("flow://alpha/*");
    assertThat(grants.path("items").get(0).path("mode").asString()).isEqualTo("x");

    runCrew("own", "ACME", "# ACME");

    List<RunDocument> subRuns = reportsOn(aUrl, "ACME");
    assertThat(subRuns).hasSize(1);
    assertThat(subRuns.getFirst().state()).isEqualTo(RunState.DONE);
    ownedByNodeAlpha(aUrl, subRuns.getFirst());
  }

  @Test
  @Order(2)
  void withoutAGrantOnTheOtherNodeTheModelReadsAClearError() throws Exception {
    runCrew(
        "remote",
        "Initech",
        "node " + bUrl + " does not offer flow " + REPORT + ", or does not let this node see it");

    assertThat(reportsOn(bUrl, "Initech")).isEmpty();
  }

  @Test
  @Order(3)
  void withAGrantOnTheOtherNodeTheSubRunSucceedsAndIsTheNodes() throws Exception {
    send(
        "POST",
        aUrl + "/auth/grants",
        admin,
        "{\"subject\":\"node:alpha\",\"resource\":\"flow://beta/"
            + REPORT
            + "\",\"mode\":\"x\",\"level\":\"full\"}",
        201);
    // B reads grants every 200 ms (kodo.auth.grants-refresh): wait until it knows the new one
    Thread.sleep(1_000);

    runCrew("remote", "Globex", "# Globex");

    List<RunDocument> subRuns = reportsOn(bUrl, "Globex");
    assertThat(subRuns).hasSize(1);
    assertThat(subRuns.getFirst().state()).isEqualTo(RunState.DONE);
    ownedByNodeAlpha(bUrl, subRuns.getFirst());
  }

  @Test
  @Order(4)
  void aStandAloneWorkerSendsItsOwnClientsToken() throws Exception {
    JsonNode client =
        send(
            "POST",
            aUrl + "/auth/clients",
            admin,
            "{\"client_id\":\"w1\",\"kind\":\"worker\"}",
            201);
    String secret = client.path("client_secret").asString();
    // what `koco worker` reads from its environment
    TokenSupplier token =
        WorkerToken.from(
            Map.of(
                "KODO_AUTH_ISSUER",
                aUrl + "/auth",
                "KODO_AUTH_CLIENT_ID",
                "w1",
                "KODO_AUTH_CLIENT_SECRET",
                secret));
    String bearer = token.token().orElseThrow();
    assertThat(send("GET", aUrl + "/auth/me", bearer, null, 200).path("subject").asString())
        .isEqualTo("worker:w1");
    assertThat(token.renew(bearer)).isPresent();
    assertThat(token.origin()).isEqualTo("the worker's client w1").doesNotContain(secret);

    assertThat(WorkerToken.from(Map.of())).isSameAs(TokenSupplier.NONE);
    assertThatThrownBy(() -> WorkerToken.from(Map.of("KODO_AUTH_CLIENT_ID", "w1")))
        .hasMessageContaining("missing: KODO_AUTH_ISSUER, KODO_AUTH_CLIENT_SECRET");
    assertThatThrownBy(
            () ->
                WorkerToken.from(
                    Map.of(
                        "KODO_AUTH_ISSUER", "ftp://x",
                        "KODO_AUTH_CLIENT_ID", "w1",
                        "KODO_AUTH_CLIENT_SECRET", "s")))
        .hasMessageContaining("KODO_AUTH_ISSUER must be the auth provider's http(s) URL");
  }
}
