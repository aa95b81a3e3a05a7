package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.client.Event;
import dev.kodo.client.NodeClient;
import dev.kodo.client.NodeException;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import dev.kodo.testing.ModelReply;
import dev.kodo.testing.ModelStep;
import dev.kodo.testing.ScriptedModelServer;
import java.nio.file.Files;
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
 * {@code kodo_flow} between two node processes (docs/flows.md#how-a-crew-runs): node A runs a crew
 * whose agent calls PlanApproval on node B; the sub-run locks, so the parent locks with the same
 * demand; an answer given to A is relayed to B (B's denial is A's denial, B's acceptance lets both
 * go on); the parent's {@code tool} event names B and the sub-run's fid and carries its result. A
 * kill of the parent while the sub-run waits kills the sub-run on B.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class KodoFlowAcrossNodesIT {
  private static final String KEY = "sk-across-" + UUID.randomUUID();
  private static final String PLAN = "dev.kodo.examples.PlanApproval";

  @TempDir static Path dir;
  static ScriptedModelServer models;
  static ChildNode a;
  static ChildNode b;

  @BeforeAll
  static void start() throws Exception {
    models = ScriptedModelServer.start().requireApiKey(KEY);
    Path crews = Files.createDirectories(dir.resolve("crews"));
    Files.writeString(
        crews.resolve("relay.yaml"),
        """
        name: Plan relay
        inputs:
          goal: {type: string, required: true}
        llm: {provider: openai, model: gpt-4o-mini, base_url: "${OPENAI_BASE_URL}", api_key: "${OPENAI_API_KEY}"}
        tools:
          plan:
            type: kodo_flow
            node: "${PLAN_NODE_URL}"
            flow: dev.kodo.examples.PlanApproval
        agents:
          planner: {role: Planner, goal: "Get the plan for {goal} approved", tools: [plan]}
        tasks:
          - {id: approve, agent: planner, description: "Have the plan for {goal} approved."}
        """);
    Files.writeString(
        crews.resolve("caller.yaml"),
        """
        name: Flow caller
        inputs:
          job: {type: string, required: true}
        llm: {provider: openai, model: gpt-4o-mini, base_url: "${OPENAI_BASE_URL}", api_key: "${OPENAI_API_KEY}"}
        agents:
          caller: {role: Caller, goal: Call flows on other nodes, tools: [kodo_flow]}
        tasks:
          - {id: call, agent: caller, description: "Do {job}."}
        """);
    b = ChildNode.start(dir.resolve("node-b"), "--kodo.flows=classpath:*");
    a =
        ChildNode.start(
            dir.resolve("node-a"),
            "--kodo.flows=" + crews,
            "--kodo.secrets.OPENAI_BASE_URL=" + models.baseUrl(),
            "--kodo.secrets.OPENAI_API_KEY=" + KEY,
            "--kodo.secrets.PLAN_NODE_URL=" + b.url,
            // the built-in kodo_flow may call B only (docs/flows.md#how-a-crew-runs)
            "--kodo.agents.kodo-flow.allowed=" + b.url);
  }

  @AfterAll
  static void stop() throws Exception {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    if (models != null) {
      models.close();
    }
  }

  @AfterEach
  void scriptUsedUpAndNoKeyInTheNodesLogs() {
    models.verify();
    assertThat(a.readLog()).doesNotContain(KEY);
    assertThat(b.readLog()).doesNotContain(KEY);
  }

  /** B's one locked PlanApproval run for this goal, waited for (bounded). */
  private static RunDocument lockedSubRun(String goal) throws InterruptedException {
    NodeClient nodeB = b.client();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      List<RunDocument> runs =
          nodeB.runs(Map.of("flow", PLAN, "state", "locked")).items().stream()
              .filter(r -> r.inputs().path("goal").asString("").equals(goal))
              .toList();
      if (runs.size() == 1) {
        return runs.getFirst();
      }
      assertThat(runs).as("one sub-run for %s", goal).hasSizeLessThan(2);
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "no locked sub-run for " + goal + " on B; B's log:\n" + b.readLog());
      }
      Thread.sleep(50);
    }
  }

  @Test
  void aSubRunThatLocksLocksTheParentAndTheAnswerIsRelayed() throws Exception {
    models.expect(
        ModelStep.containing("Have the plan for move the wiki approved.")
            .reply(
                ModelReply.toolCall(
                        "plan", "{\"inputs\":{\"goal\":\"move the wiki\",\"budget\":1000}}")
                    .usage(40, 8)));
    models.expect(
        ModelStep.matching(
                "the sub-run's result",
                r -> r.toolResults().stream().anyMatch(t -> t.contains("# Plan carried out")))
            .reply(ModelReply.text("The plan for the wiki was carried out.").usage(90, 9)));

    NodeClient nodeA = a.client();
    String fid = nodeA.launch("relay", Map.of("goal", "move the wiki")).fid();
    RunDocument locked = AgentRuns.awaitState(nodeA, fid, RunState.LOCKED, 60);
    RunDocument sub = lockedSubRun("move the wiki");

    // the same demand, told where it comes from
    String lid = locked.lock().path("lid").asString();
    JsonNode parentDemand = nodeA.demand(fid, lid).path("demand");
    JsonNode subDemand =
        b.client().demand(sub.fid(), sub.lock().path("lid").asString()).path("demand");
    assertThat(parentDemand.path("title").asString())
        .isEqualTo(subDemand.path("title").asString())
        .isEqualTo("Approve the plan for: move the wiki");
    assertThat(parentDemand.path("markdown").asString())
        .contains(b.url)
        .contains(sub.fid())
        .endsWith(subDemand.path("markdown").asString());
    assertThat(parentDemand.path("schema").path("properties").propertyNames())
        .containsExactlyInAnyOrder("approve", "comment");

    // B's denial (a rejection needs a comment) is A's denial, field by field
    assertThatThrownBy(() -> nodeA.answer(fid, lid, Map.of("approve", false)))
        .isInstanceOfSatisfying(
            NodeException.class,
            e -> {
              assertThat(e.status()).isEqualTo(422);
              assertThat(e.problem().errors())
                  .anySatisfy(
                      f -> {
                        assertThat(f.field()).isEqualTo("comment");
                        assertThat(f.message()).contains("say why you reject the plan");
                      });
            });
    assertThat(nodeA.run(fid).state()).isEqualTo(RunState.LOCKED);
    assertThat(b.client().run(sub.fid()).state()).isEqualTo(RunState.LOCKED);

    JsonNode accepted = nodeA.answer(fid, lid, Map.of("approve", true, "comment", "go ahead"));
    assertThat(accepted.path("accepted").asBoolean()).isTrue();

    RunDocument done = AgentRuns.awaitEnd(nodeA, fid, 60);
    List<Event> log = AgentRuns.events(nodeA, fid);
    assertThat(done.state()).as("%s", log).isEqualTo(RunState.DONE);
    assertThat(AgentRuns.observed(log))
        .containsExactly(
            "task start approve",
            "agent start planner",
            "lock",
            "unlock",
            "tool plan planner",
            "agent finish planner",
            "task finish approve",
            "result",
            "final");
    JsonNode tool = AgentRuns.data(log, "tool").getFirst();
    assertThat(tool.path("node").asString()).isEqualTo(b.url);
    assertThat(tool.path("fid").asString()).isEqualTo(sub.fid());
    assertThat(tool.path("result").asString())
        .contains("# Plan carried out")
        .contains("Approver's note: go ahead");
    assertThat(done.result().path("result").path("body").asString())
        .isEqualTo("The plan for the wiki was carried out.");
    // the model was given the sub-run's result
    assertThat(models.requests().getLast().toolResults())
        .anySatisfy(t -> assertThat(t).contains("# Plan carried out"));

    RunDocument subDone = b.client().run(sub.fid());
    assertThat(subDone.state()).isEqualTo(RunState.DONE);
    List<String> subLocks =
        AgentRuns.events(b.client(), sub.fid()).stream()
            .map(Event::type)
            .filter(t -> t.startsWith("lock") || t.startsWith("unlock") || t.equals("candidate"))
            .toList();
    assertThat(subLocks).containsExactly("lock", "candidate", "unlock-deny", "candidate", "unlock");
    assertThat(log).noneMatch(e -> e.data().contains(KEY));
  }

  @Test
  void killingTheParentKillsTheWaitingSubRun() throws Exception {
    models.expect(
        ModelStep.containing("Have the plan for drain the pond approved.")
            .reply(ModelReply.toolCall("plan", "{\"inputs\":{\"goal\":\"drain the pond\"}}")));

    NodeClient nodeA = a.client();
    String fid = nodeA.launch("relay", Map.of("goal", "drain the pond")).fid();
    AgentRuns.awaitState(nodeA, fid, RunState.LOCKED, 60);
    RunDocument sub = lockedSubRun("drain the pond");

    nodeA.kill(fid);
    assertThat(AgentRuns.awaitEnd(nodeA, fid, 10).state()).isEqualTo(RunState.KILLED);
    RunDocument subEnd = AgentRuns.awaitEnd(b.client(), sub.fid(), 15);
    assertThat(subEnd.state()).isEqualTo(RunState.KILLED);
  }

  @Test
  void aFailingSubRunAFlowTheNodeLacksAndANodeNotAllowedAreErrorsTheModelReads() throws Exception {
    String failing =
        "{\"flow\":\"dev.kodo.examples.FailingFlow\",\"node\":\"" + b.url + "\",\"inputs\":{}}";
    String unknown = "{\"flow\":\"dev.kodo.examples.Nope\",\"node\":\"" + b.url + "\"}";
    // a node the operator did not allow: refused before any request leaves node A
    String elsewhere =
        "{\"flow\":\"dev.kodo.examples.MarketReport\",\"node\":\"http://127.0.0.1:9\"}";
    models.expect(
        ModelStep.containing("Do the failing job.")
            .reply(
                ModelReply.toolCalls(
                    ModelReply.call("kodo_flow", failing),
                    ModelReply.call("kodo_flow", unknown),
                    ModelReply.call("kodo_flow", elsewhere))));
    models.expect(
        ModelStep.matching(
                "the three errors",
                r ->
                    r.toolResults().size() == 3
                        && r.toolResults().get(0).contains("supplier database is unreachable")
                        && r.toolResults().get(1).contains("does not offer flow")
                        && r.toolResults().get(2).contains("is not one this crew may call"))
            .reply(ModelReply.text("All three calls failed.")));

    NodeClient nodeA = a.client();
    String fid = nodeA.launch("caller", Map.of("job", "the failing job")).fid();
    RunDocument done = AgentRuns.awaitEnd(nodeA, fid, 60);
    List<Event> log = AgentRuns.events(nodeA, fid);
    assertThat(done.state()).as("%s", log).isEqualTo(RunState.DONE);
    assertThat(done.result().path("result").path("body").asString())
        .isEqualTo("All three calls failed.");
    List<JsonNode> tools = AgentRuns.data(log, "tool");
    assertThat(tools).hasSize(3);
    JsonNode failed = tools.get(0);
    assertThat(failed.path("error").asString()).contains("supplier database is unreachable");
    assertThat(failed.path("node").asString()).isEqualTo(b.url);
    RunDocument subRun = b.client().run(failed.path("fid").asString());
    assertThat(subRun.flow()).isEqualTo("dev.kodo.examples.FailingFlow");
    assertThat(subRun.state()).isEqualTo(RunState.ERROR);
    JsonNode missing = tools.get(1);
    assertThat(missing.path("error").asString())
        .contains("does not offer flow dev.kodo.examples.Nope");
    assertThat(missing.has("fid")).as("no sub-run was started: %s", missing).isFalse();
    JsonNode refused = tools.get(2);
    assertThat(refused.path("error").asString()).contains("is not one this crew may call");
    assertThat(refused.has("fid")).as("no sub-run was started: %s", refused).isFalse();
  }
}
