package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Event;
import dev.kodo.client.NodeClient;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import dev.kodo.client.RunUsage;
import dev.kodo.testing.ModelReply;
import dev.kodo.testing.ModelStep;
import dev.kodo.testing.ScriptedModelServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The agentic examples on a real node, offline — the crews of examples/crews and the Java
 * LangChain4j flow AgenticResearch: the node serves the directory and the example classes, its
 * secrets point the crews at a {@link ScriptedModelServer}, and each crew runs over HTTP to {@code
 * final} with its agent, task, tool and result events in the order docs/flows.md#how-a-crew-runs
 * gives, its human step answered through the lock API, and the scripted token usage summed in the
 * run document (docs/events.md#model-usage). research-desk's manager delegates, its analyst
 * calculates and its reporter calls MarketReport on the same node through {@code kodo_flow}, whose
 * {@code tool} event names the sub-run's node and fid.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AgentExamplesIT {
  private static final String KEY = "sk-examples-" + UUID.randomUUID();

  @TempDir static Path data;
  static ScriptedModelServer models;
  static TestNode node;
  static NodeClient client;

  @BeforeAll
  static void start() throws Exception {
    models = ScriptedModelServer.start().requireApiKey(KEY);
    int port = AgentRuns.freePort();
    node =
        TestNode.start(
            port,
            data,
            // joined with TestNode's classpath:* into one list: the example classes and crews
            "--kodo.flows=" + AgentRuns.exampleCrews(),
            "--kodo.secrets.OPENAI_BASE_URL=" + models.baseUrl(),
            "--kodo.secrets.OPENAI_API_KEY=" + KEY,
            "--kodo.agents.kodo-flow.node=http://127.0.0.1:" + port);
    client = NodeClient.connect(node.url);
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    if (models != null) {
      models.close();
    }
  }

  @AfterEach
  void scriptUsedUp() {
    models.verify();
  }

  @Test
  void theNodeOffersTheCrewsBesideTheClasses() {
    List<String> paths = client.flows().items().stream().map(f -> f.path()).toList();
    assertThat(paths)
        .contains("competitor-analysis", "research-desk", "dev.kodo.examples.MarketReport");
  }

  @Test
  void competitorAnalysisRunsWithItsHumanStepAnsweredOverHttp() throws Exception {
    models.expect(
        ModelStep.containing("Study ACME at depth 2")
            .reply(ModelReply.toolCall("calculator", "{\"expression\":\"6*7\"}").usage(100, 10)));
    models.expect(
        ModelStep.matching("the calculator's 42", r -> r.toolResults().contains("42"))
            .reply(ModelReply.text("- ACME sells 42 products").usage(120, 20)));
    models.expect(
        ModelStep.matching(
                "the writer's task with the approval",
                r ->
                    r.contains("Write a report on ACME")
                        && r.contains("### Review by a person")
                        && r.contains("Keep it short"))
            .reply(ModelReply.text("# ACME\n\nForty-two products.").usage(200, 50)));

    RunDocument launched =
        client.launch("competitor-analysis", Map.of("company", "ACME", "depth", 2));
    String fid = launched.fid();
    RunDocument locked = AgentRuns.awaitState(client, fid, RunState.LOCKED, 30);
    String lid = locked.lock().path("lid").asString();
    JsonNode demand = client.demand(fid, lid);
    assertThat(demand.path("demand").path("title").asString())
        .isEqualTo("Approve the research before the report is written?");
    assertThat(demand.path("demand").path("markdown").asString())
        .contains("- ACME sells 42 products");
    JsonNode accepted =
        client.answer(fid, lid, Map.of("approve", true, "comment", "Keep it short"));
    assertThat(accepted.path("accepted").asBoolean()).isTrue();

    RunDocument done = AgentRuns.awaitEnd(client, fid, 30);
    List<Event> log = AgentRuns.events(client, fid);
    assertThat(done.state()).as("%s", log).isEqualTo(RunState.DONE);
    assertThat(AgentRuns.observed(log))
        .containsExactly(
            "task start research",
            "agent start researcher",
            "tool calculator researcher",
            "agent finish researcher",
            "task finish research",
            "result",
            "lock",
            "unlock",
            "task start report",
            "agent start writer",
            "agent finish writer",
            "task finish report",
            "result",
            "final");
    JsonNode tool = AgentRuns.data(log, "tool").getFirst();
    assertThat(tool.path("arguments").path("expression").asString()).isEqualTo("6*7");
    assertThat(tool.path("result").asString()).isEqualTo("42");
    assertThat(done.result().path("result").path("body").asString())
        .isEqualTo("# ACME\n\nForty-two products.");
    assertThat(done.usage()).isEqualTo(new RunUsage(3, 420, 80, null));
    assertThat(AgentRuns.data(log, "action"))
        .extracting(d -> d.path("name").asString())
        .containsExactly("llm", "llm", "llm");
    assertThat(log).noneMatch(e -> e.data().contains(KEY));
  }

  @Test
  void researchDeskDelegatesCalculatesAndCallsMarketReportOnTheSameNode() throws Exception {
    // figures: the manager delegates to the analyst, who calculates
    models.expect(
        ModelStep.matching(
                "the manager on figures",
                r -> r.tools().equals(List.of("delegate")) && r.toolResults().isEmpty())
            .reply(
                ModelReply.toolCall(
                        "delegate", "{\"agent\":\"analyst\",\"work\":\"Compute 12 times 3.5\"}")
                    .usage(300, 20)));
    models.expect(
        ModelStep.containing("Work: Compute 12 times 3.5")
            .reply(ModelReply.toolCall("calculator", "{\"expression\":\"12*3.5\"}").usage(50, 5)));
    models.expect(
        ModelStep.matching("the calculator's 42", r -> r.toolResults().contains("42"))
            .reply(ModelReply.text("12 × 3.5 = 42").usage(60, 6)));
    models.expect(
        ModelStep.matching(
                "the manager with the analyst's answer",
                r -> r.toolResults().contains("12 × 3.5 = 42"))
            .reply(ModelReply.text("Figures: 42").usage(310, 4)));
    // report: the manager delegates to the reporter, who calls the market_report flow
    models.expect(
        ModelStep.containing("Task: Fetch the market report on ACME")
            .reply(
                ModelReply.toolCall(
                        "delegate", "{\"agent\":\"reporter\",\"work\":\"Fetch the Q2 report\"}")
                    .usage(300, 20)));
    models.expect(
        ModelStep.containing("Work: Fetch the Q2 report")
            .reply(
                ModelReply.toolCall(
                        "market_report",
                        "{\"inputs\":{\"company\":\"ACME\",\"quarter\":\"Q2\",\"year\":2026}}")
                    .usage(70, 7)));
    models.expect(
        ModelStep.matching(
                "the sub-run's report",
                r -> r.toolResults().stream().anyMatch(t -> t.contains("ACME — Q2 2026")))
            .reply(ModelReply.text("Q2: steady demand").usage(400, 8)));
    models.expect(
        ModelStep.matching(
                "the manager with the reporter's answer",
                r -> r.toolResults().contains("Q2: steady demand"))
            .reply(ModelReply.text("Report: steady demand").usage(320, 5)));
    // answer: the manager answers from the context without delegating
    models.expect(
        ModelStep.containing("### figures\nFigures: 42")
            .reply(ModelReply.text("**42**, with steady demand.").usage(500, 9)));

    RunDocument launched =
        client.launch(
            "research-desk", Map.of("company", "ACME", "question", "What is 12 times 3.5?"));
    String fid = launched.fid();
    RunDocument done = AgentRuns.awaitEnd(client, fid, 60);
    List<Event> log = AgentRuns.events(client, fid);
    assertThat(done.state()).as("%s", log).isEqualTo(RunState.DONE);
    assertThat(AgentRuns.observed(log))
        .containsExactly(
            "task start figures",
            "agent start manager",
            "agent start analyst",
            "tool calculator analyst",
            "agent finish analyst",
            "tool delegate manager",
            "agent finish manager",
            "task finish figures",
            "result",
            "task start report",
            "agent start manager",
            "agent start reporter",
            "tool market_report reporter",
            "agent finish reporter",
            "tool delegate manager",
            "agent finish manager",
            "task finish report",
            "result",
            "task start answer",
            "agent start manager",
            "agent finish manager",
            "task finish answer",
            "result",
            "final");
    assertThat(done.result().path("result").path("body").asString())
        .isEqualTo("**42**, with steady demand.");
    assertThat(done.usage())
        .isEqualTo(
            new RunUsage(
                9,
                300 + 50 + 60 + 310 + 300 + 70 + 400 + 320 + 500,
                20 + 5 + 6 + 4 + 20 + 7 + 8 + 5 + 9,
                null));

    JsonNode call =
        AgentRuns.data(log, "tool").stream()
            .filter(d -> d.path("tool").asString().equals("market_report"))
            .findFirst()
            .orElseThrow();
    assertThat(call.path("node").asString()).isEqualTo(node.url);
    assertThat(call.path("result").asString()).contains("# ACME — Q2 2026 market report");
    String sub = call.path("fid").asString();
    RunDocument subRun = client.run(sub);
    assertThat(subRun.flow()).isEqualTo("dev.kodo.examples.MarketReport");
    assertThat(subRun.state()).isEqualTo(RunState.DONE);
    assertThat(subRun.inputs().path("company").asString()).isEqualTo("ACME");
    assertThat(log).noneMatch(e -> e.data().contains(KEY));
  }

  @Test
  void aDeclinedReviewEndsTheCompetitorAnalysisBeforeTheWriterIsCalled() throws Exception {
    models.expect(
        ModelStep.containing("Study Initech at depth 1")
            .reply(ModelReply.text("- Initech makes TPS reports").usage(80, 9)));

    String fid = client.launch("competitor-analysis", Map.of("company", "Initech")).fid();
    RunDocument locked = AgentRuns.awaitState(client, fid, RunState.LOCKED, 30);
    String lid = locked.lock().path("lid").asString();
    client.answer(fid, lid, Map.of("approve", false, "comment", "Sources missing"));

    RunDocument done = AgentRuns.awaitEnd(client, fid, 30);
    List<Event> log = AgentRuns.events(client, fid);
    assertThat(done.state()).as("%s", log).isEqualTo(RunState.DONE);
    assertThat(done.result().path("result").path("body").asString())
        .startsWith("# Declined")
        .contains("> Sources missing");
    assertThat(AgentRuns.observed(log))
        .containsExactly(
            "task start research",
            "agent start researcher",
            "agent finish researcher",
            "task finish research",
            "result",
            "lock",
            "unlock",
            "final");
    assertThat(done.usage()).isEqualTo(new RunUsage(1, 80, 9, null));
  }

  @Test
  void agenticResearchIsObservedThroughTheFrameworksListener() throws Exception {
    models.expect(
        ModelStep.containing("verifiable facts about tides")
            .reply(ModelReply.text("1. The moon pulls.\n2. Two highs a day.").usage(40, 12)));
    models.expect(
        ModelStep.containing("1. The moon pulls.")
            .reply(ModelReply.text("# Tides\n\nThe moon pulls the sea.").usage(60, 30)));

    String fid = client.launch("dev.kodo.examples.AgenticResearch", Map.of("topic", "tides")).fid();
    RunDocument done = AgentRuns.awaitEnd(client, fid, 30);
    List<Event> log = AgentRuns.events(client, fid);
    assertThat(done.state()).as("%s", log).isEqualTo(RunState.DONE);
    assertThat(AgentRuns.observed(log))
        .containsExactly(
            "agent start research",
            "agent start researcher",
            "agent finish researcher",
            "agent start writer",
            "agent finish writer",
            "agent finish research",
            "final");
    assertThat(AgentRuns.data(log, "action"))
        .extracting(d -> d.path("agent").asString())
        .containsExactly("researcher", "writer");
    assertThat(done.result().path("result").path("body").asString())
        .isEqualTo("# Tides\n\nThe moon pulls the sea.");
    assertThat(done.usage()).isEqualTo(new RunUsage(2, 100, 42, null));
    assertThat(log).noneMatch(e -> e.data().contains(KEY));
  }
}
