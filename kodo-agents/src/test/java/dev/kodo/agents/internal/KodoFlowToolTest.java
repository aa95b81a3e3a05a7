package dev.kodo.agents.internal;

import static dev.kodo.agents.internal.CrewFixtures.agent;
import static dev.kodo.agents.internal.CrewFixtures.crew;
import static dev.kodo.agents.internal.CrewFixtures.task;
import static dev.kodo.agents.internal.CrewFixtures.tester;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.agents.crew.Crew;
import dev.kodo.agents.crew.ToolSpec;
import dev.kodo.agents.internal.tools.KodoFlowTool;
import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.Json;
import dev.kodo.client.RunState;
import dev.kodo.client.TokenSupplier;
import dev.kodo.testing.AsyncRun;
import dev.kodo.testing.FlowTester;
import dev.kodo.testing.TestRun;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code kodo_flow} against a fake node on loopback: result, failure, lock relay and kill. */
@Timeout(60)
class KodoFlowToolTest {
  private FakeNodeServer node;

  @BeforeEach
  void start() throws Exception {
    node = new FakeNodeServer();
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private QueuedModels callingTheFlow() {
    return new QueuedModels()
        .calls(
            "reporter",
            "kodo_flow",
            "{\"node\":\""
                + node.url()
                + "\",\"flow\":\"examples.Report\",\"inputs\":{\"company\":\"ACME\"}}")
        .then(
            "reporter",
            r -> AiMessage.from(((ToolExecutionResultMessage) r.messages().getLast()).text()));
  }

  private static Crew reporterCrew(String tool, Map<String, ToolSpec> tools) {
    return crew(
        Crew.Process.SEQUENTIAL,
        List.of(agent("reporter", "Reporter", tool)),
        List.of(task("report", "reporter")),
        null,
        tools);
  }

  /** The fake node is one the operator allows the model to name. */
  private FlowTester allowing(FlowTester tester) {
    return tester.withSettings(
        Map.of(KodoFlowTool.ALLOWED_SETTING, "http://192.0.2.1:1, " + node.url()));
  }

  @Test
  void aNodeTheOperatorDidNotAllowIsNeverCalled() {
    TestRun run =
        tester(reporterCrew("kodo_flow", Map.of()), callingTheFlow())
            .run(Map.of("company", "ACME"));

    assertThat(run.markdown())
        .startsWith("ERROR: node " + node.url() + " is not one this crew may call")
        .contains("kodo.agents.kodo-flow.allowed");
    assertThat(node.requests).isEmpty();
    assertThat(node.launches).isEmpty();
  }

  @Test
  void givesTheSubRunsFinalResultToTheModelAndNamesItInTheToolEvent() {
    node.append(EventType.PROGRESS, Map.of("value", 0.5, "message", "half"));
    node.append(
        EventType.FINAL,
        Map.of("result", Map.of("format", "markdown", "body", "# ACME report"), "runtime", 1.0));

    TestRun run =
        allowing(tester(reporterCrew("kodo_flow", Map.of()), callingTheFlow()))
            .run(Map.of("company", "ACME"));

    assertThat(run.markdown()).isEqualTo("# ACME report");
    assertThat(Json.read(node.launches.getFirst()))
        .isEqualTo(Json.read("{\"flow\":\"examples.Report\",\"inputs\":{\"company\":\"ACME\"}}"));
    Event tool = run.events(EventType.TOOL).getFirst();
    assertThat(tool.dataNode().path("node").asString()).isEqualTo(node.url());
    assertThat(tool.dataNode().path("fid").asString()).isEqualTo(FakeNodeServer.FID);
    assertThat(tool.dataNode().path("result").asString()).isEqualTo("# ACME report");
    assertThat(node.authorizations).isNotEmpty().containsOnly("(none)");
  }

  private static final String TOKEN = "eyJ.node-local.sig";

  @Test
  void everyCallToTheOtherNodeCarriesTheRunsToken() {
    node.requiredToken = TOKEN;
    node.append(
        EventType.FINAL,
        Map.of("result", Map.of("format", "markdown", "body", "# ACME report"), "runtime", 1.0));

    TestRun run =
        allowing(tester(reporterCrew("kodo_flow", Map.of()), callingTheFlow()))
            .withToken(TokenSupplier.fixed(TOKEN, "the test's token"))
            .run(Map.of("company", "ACME"));

    assertThat(run.markdown()).isEqualTo("# ACME report");
    assertThat(node.requests)
        .contains("POST /api/runs", "GET /api/runs/" + FakeNodeServer.FID + "/events");
    assertThat(node.authorizations).isNotEmpty().containsOnly("Bearer " + TOKEN);
    assertThat(run.events().toString()).doesNotContain(TOKEN);
  }

  @Test
  void aNodeThatNeedsATokenIsAClearErrorWhenTheRunHasNone() {
    node.requiredToken = TOKEN;

    TestRun run =
        allowing(tester(reporterCrew("kodo_flow", Map.of()), callingTheFlow()))
            .run(Map.of("company", "ACME"));

    assertThat(run.markdown())
        .startsWith("ERROR: node " + node.url())
        .contains("needs a token, and this node has none to send")
        .contains("docs/security.md#the-node-calling-other-nodes")
        .doesNotContain("((", "))", "koco login");
    assertThat(node.launches).isEmpty();
  }

  @Test
  void aRefusedTokenIsAClearErrorThatNeverShowsTheToken() {
    node.requiredToken = "another-token";

    TestRun run =
        allowing(tester(reporterCrew("kodo_flow", Map.of()), callingTheFlow()))
            .withToken(TokenSupplier.fixed(TOKEN, "the test's token"))
            .run(Map.of("company", "ACME"));

    assertThat(run.markdown())
        .startsWith("ERROR: node " + node.url())
        .contains("did not accept this node's token")
        .doesNotContain("((", "))", "koco login");
    assertThat(run.events().toString()).doesNotContain(TOKEN, "another-token");
  }

  @Test
  void aForbiddenLaunchSaysWhichGrantIsMissing() {
    node.launchStatus = 403;

    TestRun run =
        allowing(tester(reporterCrew("kodo_flow", Map.of()), callingTheFlow()))
            .withToken(TokenSupplier.fixed(TOKEN, "the test's token"))
            .run(Map.of("company", "ACME"));

    assertThat(run.markdown())
        .isEqualTo(
            "ERROR: node "
                + node.url()
                + " does not let this node run examples.Report: its operator must grant this"
                + " node's identity mode x on the flow (docs/security.md#the-node-calling-other-nodes)");
  }

  @Test
  void withATokenA404MayAlsoMeanTheFlowIsNotVisibleToThisNode() {
    node.launchStatus = 404;

    TestRun run =
        allowing(tester(reporterCrew("kodo_flow", Map.of()), callingTheFlow()))
            .withToken(TokenSupplier.fixed(TOKEN, "the test's token"))
            .run(Map.of("company", "ACME"));

    assertThat(run.markdown())
        .isEqualTo(
            "ERROR: node "
                + node.url()
                + " does not offer flow examples.Report, or does not let this node see it"
                + " (a grant of mode x on the flow is missing)");
  }

  @Test
  void aFailedSubRunIsAnErrorTheModelReads() {
    node.append(EventType.FATAL, Map.of("reason", "exception", "message", "no data for ACME"));

    TestRun run =
        allowing(tester(reporterCrew("kodo_flow", Map.of()), callingTheFlow()))
            .run(Map.of("company", "ACME"));

    assertThat(run.markdown())
        .startsWith("ERROR: flow examples.Report on")
        .endsWith("failed: no data for ACME");
    assertThat(run.events(EventType.TOOL).getFirst().dataNode().path("fid").asString())
        .isEqualTo(FakeNodeServer.FID);
  }

  @Test
  void anUnknownFlowIsAnErrorTheModelReads() {
    node.launchStatus = 404;

    TestRun run =
        allowing(tester(reporterCrew("kodo_flow", Map.of()), callingTheFlow()))
            .run(Map.of("company", "ACME"));

    assertThat(run.markdown())
        .isEqualTo("ERROR: node " + node.url() + " does not offer flow examples.Report");
  }

  @Test
  void aNamedToolTakesItsNodeFromTheEngineSettingBeforeItsDefinition() {
    node.append(
        EventType.FINAL,
        Map.of("result", Map.of("format", "json", "body", Map.of("price", 42)), "runtime", 1.0));
    QueuedModels models =
        new QueuedModels()
            .calls("reporter", "market", "{\"inputs\":{\"company\":\"ACME\"}}")
            .then(
                "reporter",
                r -> AiMessage.from(((ToolExecutionResultMessage) r.messages().getLast()).text()));
    Crew c =
        reporterCrew(
            "market",
            Map.of(
                "market",
                new ToolSpec(
                    "market",
                    "kodo_flow",
                    Map.of("node", "http://127.0.0.1:1", "flow", "examples.Market"))));

    TestRun run =
        tester(c, models)
            .withSettings(Map.of(KodoFlowTool.NODE_SETTING, node.url()))
            .run(Map.of("company", "ACME"));

    assertThat(run.markdown()).isEqualTo("{\"price\":42}");
    assertThat(node.launches.getFirst()).contains("\"flow\":\"examples.Market\"");
    assertThat(models.requests("reporter").getFirst().toolSpecifications().getFirst().name())
        .isEqualTo("market");
  }

  @Test
  void aSubRunsLockLocksTheParentAndTheAnswerIsRelayedDenialIncluded() {
    node.append(
        EventType.LOCK,
        Json.read(
            "{\"lid\":\"a1b2c3d4e5f6\",\"demand\":{\"title\":\"Approve the report?\","
                + "\"markdown\":\"Looks fine.\",\"schema\":{\"type\":\"object\",\"properties\":"
                + "{\"approve\":{\"type\":\"boolean\"},\"reason\":{\"type\":\"string\",\"maxLength\":100}},"
                + "\"required\":[\"approve\"]},\"form\":[{\"name\":\"approve\",\"widget\":\"checkbox\","
                + "\"label\":\"Approve\"},{\"name\":\"reason\",\"widget\":\"textarea\",\"label\":\"Reason\"}]},"
                + "\"expires\":\""
                + Instant.now().plus(Duration.ofHours(1))
                + "\"}",
            Map.class));
    node.verdict =
        answer ->
            Boolean.TRUE.equals(answer.get("approve"))
                ? null
                : "{\"title\":\"Denied\",\"status\":422,\"errors\":[{\"field\":\"reason\",\"message\":\"say why you refuse\"}]}";

    AsyncRun running =
        allowing(tester(reporterCrew("kodo_flow", Map.of()), callingTheFlow()))
            .runAsync(Map.of("company", "ACME"));
    TestRun.Lock lock = running.awaitLock();
    assertThat(lock.title()).isEqualTo("Approve the report?");
    assertThat(lock.markdown()).contains("Looks fine.", FakeNodeServer.FID);
    assertThat(lock.fields()).containsExactly("approve", "reason");
    assertThat(lock.required()).containsExactly("approve");

    TestRun.Verdict denied = running.answer(Map.of("approve", false));
    assertThat(denied.accepted()).isFalse();
    assertThat(denied.reasons("reason")).containsExactly("say why you refuse");
    assertThat(running.answer(Map.of("approve", true, "reason", "ok")).accepted()).isTrue();
    TestRun run = running.await();

    assertThat(run.state()).isEqualTo(RunState.DONE);
    assertThat(run.markdown()).isEqualTo("approved with {approve=true, reason=ok}");
  }

  @Test
  void killingTheParentKillsTheSubRun() throws InterruptedException {
    node.append(EventType.PROGRESS, Map.of("value", 0.1, "message", "working"));

    AsyncRun running =
        allowing(tester(reporterCrew("kodo_flow", Map.of()), callingTheFlow()))
            .runAsync(Map.of("company", "ACME"));
    assertThat(node.followed.await(20, TimeUnit.SECONDS)).isTrue();
    running.kill();

    assertThat(running.await().state()).isEqualTo(RunState.KILLED);
    assertThat(node.requests).contains("POST /api/runs/" + FakeNodeServer.FID + "/kill");
  }

  @Test
  void aRegistryQueryPicksTheFirstOnlineNodeOfferingTheFlow() {
    node.append(
        EventType.FINAL,
        Map.of("result", Map.of("format", "markdown", "body", "found it"), "runtime", 1.0));
    QueuedModels models =
        new QueuedModels()
            .calls(
                "reporter",
                "kodo_flow",
                "{\"registry\":\""
                    + node.url()
                    + "\",\"query\":\"tags contains \\\"report\\\"\",\"flow\":\"examples.Report\"}")
            .then(
                "reporter",
                r -> AiMessage.from(((ToolExecutionResultMessage) r.messages().getLast()).text()));

    TestRun run =
        allowing(tester(reporterCrew("kodo_flow", Map.of()), models))
            .run(Map.of("company", "ACME"));

    assertThat(run.markdown()).isEqualTo("found it");
    assertThat(node.registryQueries.getFirst()).contains("query=tags contains \"report\"");
    assertThat(node.authorizations).containsOnly("(none)");
    assertThat(run.events(EventType.TOOL).getFirst().dataNode().path("node").asString())
        .isEqualTo(node.url());
  }

  @Test
  void theRegistryQueryCarriesTheRunsTokenToo() {
    node.requiredToken = TOKEN;
    node.append(
        EventType.FINAL,
        Map.of("result", Map.of("format", "markdown", "body", "found it"), "runtime", 1.0));
    QueuedModels models =
        new QueuedModels()
            .calls(
                "reporter",
                "kodo_flow",
                "{\"registry\":\"" + node.url() + "\",\"flow\":\"examples.Report\"}")
            .then(
                "reporter",
                r -> AiMessage.from(((ToolExecutionResultMessage) r.messages().getLast()).text()));

    TestRun run =
        allowing(tester(reporterCrew("kodo_flow", Map.of()), models))
            .withToken(TokenSupplier.fixed(TOKEN, "the test's token"))
            .run(Map.of("company", "ACME"));

    assertThat(run.markdown()).isEqualTo("found it");
    assertThat(node.requests).contains("GET /registry/flows", "POST /api/runs");
    assertThat(node.authorizations).containsOnly("Bearer " + TOKEN);
  }
}
