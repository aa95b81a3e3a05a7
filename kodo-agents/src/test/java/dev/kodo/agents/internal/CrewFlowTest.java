package dev.kodo.agents.internal;

import static dev.kodo.agents.internal.CrewFixtures.KEY;
import static dev.kodo.agents.internal.CrewFixtures.agent;
import static dev.kodo.agents.internal.CrewFixtures.crew;
import static dev.kodo.agents.internal.CrewFixtures.task;
import static dev.kodo.agents.internal.CrewFixtures.tester;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.agents.ModelCallFailedException;
import dev.kodo.agents.crew.Crew;
import dev.kodo.agents.crew.HumanStep;
import dev.kodo.agents.crew.ToolSpec;
import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.RunState;
import dev.kodo.engine.LoadedFlow;
import dev.kodo.testing.AsyncRun;
import dev.kodo.testing.FlowTester;
import dev.kodo.testing.TestRun;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class CrewFlowTest {

  /** "agent:phase:task" / "task:phase" / "tool:name" / "result" / "final", in log order. */
  private static List<String> story(TestRun run) {
    return run.events().stream()
        .map(
            e ->
                switch (e.type()) {
                  case "agent" ->
                      "agent:"
                          + e.dataNode().path("agent").asString()
                          + ":"
                          + e.dataNode().path("phase").asString()
                          + ":"
                          + e.dataNode().path("task").asString();
                  case "task" ->
                      "task:"
                          + e.dataNode().path("task").asString()
                          + ":"
                          + e.dataNode().path("phase").asString();
                  case "tool" -> "tool:" + e.dataNode().path("tool").asString();
                  case "result", "final", "lock", "unlock" -> e.type();
                  default -> null;
                })
        .filter(s -> s != null)
        .toList();
  }

  private static String user(ChatRequest r) {
    return r.messages().stream()
        .filter(m -> m instanceof UserMessage)
        .map(m -> ((UserMessage) m).singleText())
        .collect(Collectors.joining());
  }

  private static String system(ChatRequest r) {
    return ((SystemMessage) r.messages().getFirst()).text();
  }

  @Test
  void sequentialRunsTasksInFileOrderWithContextAndFilledPlaceholders() {
    QueuedModels models =
        new QueuedModels().says("researcher", "Facts about ACME").says("writer", "# Report\nACME");
    Crew c =
        crew(
            Crew.Process.SEQUENTIAL,
            List.of(agent("researcher", "Researcher of {company}"), agent("writer", "Writer")),
            List.of(task("research", "researcher"), task("report", "writer", "research")),
            null,
            Map.of());

    TestRun run = tester(c, models).run(Map.of("company", "ACME"));

    assertThat(run.state()).isEqualTo(RunState.DONE);
    assertThat(run.markdown()).isEqualTo("# Report\nACME");
    assertThat(story(run))
        .containsExactly(
            "task:research:start",
            "agent:researcher:start:research",
            "agent:researcher:finish:research",
            "task:research:finish",
            "result",
            "task:report:start",
            "agent:writer:start:report",
            "agent:writer:finish:report",
            "task:report:finish",
            "result",
            "final");
    ChatRequest first = models.requests("researcher").getFirst();
    assertThat(system(first)).contains("You are Researcher of ACME.", "Help with ACME");
    assertThat(user(first)).contains("Task: Do research for ACME", "Expected output: The research");
    assertThat(user(models.requests("writer").getFirst()))
        .contains("### research\nFacts about ACME");
    assertThat(models.settings.get("researcher").apiKey()).isEqualTo(KEY);
    assertThat(run.events()).noneMatch(e -> e.data().contains(KEY));
  }

  @Test
  void toolRoundTripGivesTheResultBackAndWritesAToolEvent() {
    QueuedModels models =
        new QueuedModels()
            .calls("analyst", "calculator", "{\"expression\":\"(1200-950)/950*100\"}")
            .then(
                "analyst",
                r -> {
                  ToolExecutionResultMessage m =
                      (ToolExecutionResultMessage) r.messages().getLast();
                  return AiMessage.from("Growth: " + m.text() + "%");
                });
    Crew c =
        crew(
            Crew.Process.SEQUENTIAL,
            List.of(agent("analyst", "Analyst", "calculator")),
            List.of(task("figures", "analyst")),
            null,
            Map.of());

    TestRun run = tester(c, models).run(Map.of("company", "ACME"));

    assertThat(run.markdown()).isEqualTo("Growth: 26.3157894736842%");
    Event tool = run.events(EventType.TOOL).getFirst();
    assertThat(tool.dataNode().path("tool").asString()).isEqualTo("calculator");
    assertThat(tool.dataNode().path("agent").asString()).isEqualTo("analyst");
    assertThat(tool.dataNode().path("arguments").path("expression").asString())
        .isEqualTo("(1200-950)/950*100");
    assertThat(tool.dataNode().path("result").asString()).isEqualTo("26.3157894736842");
    assertThat(tool.dataNode().has("duration_ms")).isTrue();
    assertThat(models.requests("analyst").getFirst().toolSpecifications())
        .extracting(s -> s.name())
        .containsExactly("calculator");
    assertThat(story(run))
        .containsSubsequence(
            "agent:analyst:start:figures", "tool:calculator", "agent:analyst:finish:figures");
  }

  @Test
  void toolErrorsAndUnknownToolsGoBackToTheModelAsErrors() {
    QueuedModels models =
        new QueuedModels()
            .calls("analyst", "calculator", "{\"expression\":\"1/0\"}")
            .calls("analyst", "rm_rf", "{}")
            .then(
                "analyst",
                r ->
                    AiMessage.from(
                        r.messages().stream()
                            .filter(m -> m instanceof ToolExecutionResultMessage)
                            .map(m -> ((ToolExecutionResultMessage) m).text())
                            .collect(Collectors.joining(" | "))));
    Crew c =
        crew(
            Crew.Process.SEQUENTIAL,
            List.of(agent("analyst", "Analyst", "calculator")),
            List.of(task("figures", "analyst")),
            null,
            Map.of());

    TestRun run = tester(c, models).run(Map.of("company", "ACME"));

    assertThat(run.markdown())
        .isEqualTo(
            "ERROR: division by zero at column 2 | ERROR: there is no tool named 'rm_rf'; this"
                + " agent has calculator");
    assertThat(run.events(EventType.TOOL))
        .extracting(e -> e.dataNode().path("error").asString())
        .containsExactly(
            "division by zero at column 2",
            "there is no tool named 'rm_rf'; this agent has calculator");
  }

  @Test
  void tooManyToolRoundsFailTheRunWithAClearMessage() {
    QueuedModels models = new QueuedModels();
    for (int i = 0; i <= AgentLoop.MAX_TOOL_ROUNDS; i++) {
      models.calls("analyst", "calculator", "{\"expression\":\"1+1\"}");
    }
    Crew c =
        crew(
            Crew.Process.SEQUENTIAL,
            List.of(agent("analyst", "Analyst", "calculator")),
            List.of(task("figures", "analyst")),
            null,
            Map.of());

    TestRun run = tester(c, models).run(Map.of("company", "ACME"));

    assertThat(run.state()).isEqualTo(RunState.ERROR);
    assertThat(run.fatal().message())
        .contains("task figures failed", "agent analyst", "after 10 rounds of tool calls");
    assertThat(run.events(EventType.TOOL)).hasSize(AgentLoop.MAX_TOOL_ROUNDS);
  }

  @Test
  void parallelRunsIndependentTasksAtOnceAndWaitsForContext() throws Exception {
    CountDownLatch bothStarted = new CountDownLatch(2);
    QueuedModels models =
        new QueuedModels()
            .then("a", r -> meet(bothStarted, "from a"))
            .then("b", r -> meet(bothStarted, "from b"))
            .then("c", r -> AiMessage.from("joined: " + user(r)));
    Crew c =
        crew(
            Crew.Process.PARALLEL,
            List.of(agent("a", "A"), agent("b", "B"), agent("c", "C")),
            List.of(task("ta", "a"), task("tb", "b"), task("tc", "c", "ta", "tb")),
            null,
            Map.of());

    TestRun run = tester(c, models).run(Map.of("company", "ACME"));

    assertThat(run.state()).isEqualTo(RunState.DONE);
    assertThat(run.markdown()).contains("### ta\nfrom a", "### tb\nfrom b");
    List<String> story = story(run);
    // both independent tasks started before either finished (they met at the latch)
    assertThat(story.indexOf("task:tb:start")).isLessThan(story.indexOf("task:ta:finish"));
    assertThat(story.indexOf("task:ta:start")).isLessThan(story.indexOf("task:tb:finish"));
    assertThat(story.indexOf("task:tc:start"))
        .isGreaterThan(story.indexOf("task:ta:finish"))
        .isGreaterThan(story.indexOf("task:tb:finish"));
    assertThat(story.getLast()).isEqualTo("final");
  }

  private static AiMessage meet(CountDownLatch latch, String answer) {
    latch.countDown();
    try {
      if (!latch.await(20, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the other task never started");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return AiMessage.from(answer);
  }

  @Test
  void aFailingParallelTaskFailsTheRunAndStopsTheOthers() {
    QueuedModels models =
        new QueuedModels()
            .then(
                "a",
                r -> {
                  throw new ModelCallFailedException("openai", "gpt-test", 401, 1, "bad key");
                })
            .then("b", r -> sleepUntilInterrupted())
            .says("c", "never");
    Crew c =
        crew(
            Crew.Process.PARALLEL,
            List.of(agent("a", "A"), agent("b", "B"), agent("c", "C")),
            List.of(task("ta", "a"), task("tb", "b"), task("tc", "c", "ta")),
            null,
            Map.of());

    TestRun run = tester(c, models).run(Map.of("company", "ACME"));

    assertThat(run.state()).isEqualTo(RunState.ERROR);
    assertThat(run.fatal().message())
        .contains("openai model gpt-test failed with HTTP 401", "bad key");
    assertThat(models.requests("c")).isEmpty();
  }

  private static AiMessage sleepUntilInterrupted() {
    try {
      Thread.sleep(60_000);
      return AiMessage.from("slept");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }

  @Test
  void hierarchicalManagerDelegatesToAgentsAndItsAnswerIsTheResult() {
    QueuedModels models =
        new QueuedModels()
            .calls("manager", "delegate", "{\"agent\":\"analyst\",\"work\":\"compute 6*7\"}")
            .says("manager", "The figure is 42")
            .calls("analyst", "calculator", "{\"expression\":\"6*7\"}")
            .says("analyst", "42")
            .says("manager", "# Answer\n42 for ACME");
    Crew c =
        crew(
            Crew.Process.HIERARCHICAL,
            List.of(agent("analyst", "Analyst", "calculator"), agent("writer", "Writer")),
            List.of(task("figures", "analyst"), task("answer", null, "figures")),
            null,
            Map.of());

    TestRun run = tester(c, models).run(Map.of("company", "ACME"));

    assertThat(run.markdown()).isEqualTo("# Answer\n42 for ACME");
    assertThat(story(run))
        .containsExactly(
            "task:figures:start",
            "agent:manager:start:figures",
            "agent:analyst:start:figures",
            "tool:calculator",
            "agent:analyst:finish:figures",
            "tool:delegate",
            "agent:manager:finish:figures",
            "task:figures:finish",
            "result",
            "task:answer:start",
            "agent:manager:start:answer",
            "agent:manager:finish:answer",
            "task:answer:finish",
            "result",
            "final");
    assertThat(models.settings.get("manager").model()).isEqualTo("gpt-boss");
    assertThat(models.settings.get("manager").apiKey()).isEqualTo(KEY);
    ChatRequest managerFirst = models.requests("manager").getFirst();
    assertThat(system(managerFirst)).contains("- analyst: Analyst", "- writer: Writer");
    assertThat(user(managerFirst)).contains("suggests agent 'analyst'");
    assertThat(user(models.requests("manager").get(2))).contains("### figures\nThe figure is 42");
    assertThat(user(models.requests("analyst").getFirst())).isEqualTo("Work: compute 6*7");
  }

  @Test
  void humanStepApprovedGivesTheAnswerToTheNextTask() {
    QueuedModels models =
        new QueuedModels().says("researcher", "Facts").then("writer", r -> AiMessage.from(user(r)));
    Crew c =
        crew(
            Crew.Process.SEQUENTIAL,
            List.of(agent("researcher", "Researcher"), agent("writer", "Writer")),
            List.of(task("research", "researcher"), task("report", "writer", "research")),
            new HumanStep("research", "Approve the research before writing?"),
            Map.of());

    AsyncRun running = tester(c, models).runAsync(Map.of("company", "ACME"));
    TestRun.Lock lock = running.awaitLock();
    assertThat(lock.title()).isEqualTo("Approve the research before writing?");
    assertThat(lock.markdown()).contains("Output of task `research`", "Facts");
    assertThat(lock.fields()).containsExactly("approve", "comment");
    assertThat(lock.required()).containsExactly("approve");
    assertThat(running.answer(Map.of("approve", true, "comment", "Add prices")).accepted())
        .isTrue();
    TestRun run = running.await();

    assertThat(run.state()).isEqualTo(RunState.DONE);
    assertThat(run.markdown())
        .contains("Review by a person", "approved it", "Their comment: Add prices");
    assertThat(story(run))
        .containsSubsequence(
            "task:research:finish", "result", "lock", "unlock", "task:report:start");
  }

  @Test
  void humanStepDeclinedEndsTheRunDoneWithTheComment() {
    QueuedModels models = new QueuedModels().says("researcher", "Facts");
    Crew c =
        crew(
            Crew.Process.SEQUENTIAL,
            List.of(agent("researcher", "Researcher"), agent("writer", "Writer")),
            List.of(task("research", "researcher"), task("report", "writer", "research")),
            new HumanStep("research", "Approve?"),
            Map.of());

    AsyncRun running = tester(c, models).runAsync(Map.of("company", "ACME"));
    running.awaitLock();
    assertThat(running.answer(Map.of("comment", "no approve given")).accepted()).isFalse();
    running.answer(Map.of("approve", false, "comment", "Sources are too old"));
    TestRun run = running.await();

    assertThat(run.state()).isEqualTo(RunState.DONE);
    assertThat(run.markdown()).startsWith("# Declined").contains("> Sources are too old");
    assertThat(models.requests("writer")).isEmpty();
    assertThat(story(run)).doesNotContain("task:report:start");
  }

  @Test
  void killDuringAModelCallEndsTheRunKilled() {
    CountDownLatch calling = new CountDownLatch(1);
    QueuedModels models =
        new QueuedModels()
            .then(
                "researcher",
                r -> {
                  calling.countDown();
                  return sleepUntilInterrupted();
                });
    Crew c =
        crew(
            Crew.Process.SEQUENTIAL,
            List.of(agent("researcher", "Researcher"), agent("writer", "Writer")),
            List.of(task("research", "researcher"), task("report", "writer")),
            null,
            Map.of());

    AsyncRun running = tester(c, models).runAsync(Map.of("company", "ACME"));
    running.awaitEvent(EventType.AGENT);
    running.kill();
    TestRun run = running.await();

    assertThat(run.state()).isEqualTo(RunState.KILLED);
    assertThat(models.requests("writer")).isEmpty();
  }

  @Test
  void killDuringAParallelCrewStopsItsTasks() {
    QueuedModels models =
        new QueuedModels()
            .then("a", r -> sleepUntilInterrupted())
            .then("b", r -> sleepUntilInterrupted());
    Crew c =
        crew(
            Crew.Process.PARALLEL,
            List.of(agent("a", "A"), agent("b", "B")),
            List.of(task("ta", "a"), task("tb", "b")),
            null,
            Map.of());

    AsyncRun running = tester(c, models).runAsync(Map.of("company", "ACME"));
    running.awaitEvent(EventType.AGENT);
    running.kill();

    assertThat(running.await().state()).isEqualTo(RunState.KILLED);
  }

  @Test
  void aModelThatFailsForGoodEndsTheRunFatalWithTheProvidersMessage() {
    QueuedModels models =
        new QueuedModels()
            .then(
                "researcher",
                r -> {
                  throw new ModelCallFailedException(
                      "openai", "gpt-test", 500, 3, "The server had an error");
                });
    Crew c =
        crew(
            Crew.Process.SEQUENTIAL,
            List.of(agent("researcher", "Researcher")),
            List.of(task("research", "researcher")),
            null,
            Map.of());

    TestRun run = tester(c, models).run(Map.of("company", "ACME"));

    assertThat(run.state()).isEqualTo(RunState.ERROR);
    assertThat(run.fatal().message()).contains("The server had an error");
    assertThat(run.fatal().error()).endsWith("ModelCallFailedException");
  }

  @Test
  void aMissingVariableEndsTheRunFatalNamingItOnly() {
    QueuedModels models = new QueuedModels();
    Crew c =
        crew(
            Crew.Process.SEQUENTIAL,
            List.of(agent("researcher", "Researcher")),
            List.of(task("research", "researcher")),
            null,
            Map.of(
                "report",
                new ToolSpec(
                    "report",
                    "kodo_flow",
                    Map.of("node", "${REPORT_NODE_X}", "flow", "examples.Hello"))));
    FlowTester t =
        FlowTester.of(
            LoadedFlow.of("crews/test", c.spec(), () -> new CrewFlow(c, x -> models), c, null));

    TestRun run = t.run(Map.of("company", "ACME"));

    assertThat(run.state()).isEqualTo(RunState.ERROR);
    assertThat(run.fatal().message()).contains("REPORT_NODE_X", "TEST_KEY");
    assertThat(models.calls).isEmpty();
  }

  /** Java tools of {@link #javaToolsAreCalledWithConvertedArgumentsAndTheirErrorsReported}. */
  public static class GreetingTools {
    public GreetingTools() {}

    @Tool("Adds two whole numbers")
    public long addNumbers(long a, long b) {
      return a + b;
    }

    @Tool("Always fails")
    public String breakDown(String why) {
      throw new IllegalStateException("broken: " + why);
    }
  }

  @Test
  void javaToolsAreCalledWithConvertedArgumentsAndTheirErrorsReported() {
    QueuedModels models =
        new QueuedModels()
            .calls("clerk", "addNumbers", "{\"a\": 40, \"b\": 2}")
            .calls("clerk", "breakDown", "{\"why\": \"on purpose\"}")
            .calls("clerk", "addNumbers", "{\"a\": \"forty\"}")
            .then(
                "clerk",
                r ->
                    AiMessage.from(
                        r.messages().stream()
                            .filter(m -> m instanceof ToolExecutionResultMessage)
                            .map(m -> ((ToolExecutionResultMessage) m).text())
                            .collect(Collectors.joining(" | "))));
    Crew c =
        crew(
            Crew.Process.SEQUENTIAL,
            List.of(agent("clerk", "Clerk", "mine")),
            List.of(task("sum", "clerk")),
            null,
            Map.of(
                "mine",
                new ToolSpec("mine", "java", Map.of("class", GreetingTools.class.getName()))));

    TestRun run = tester(c, models).run(Map.of("company", "ACME"));

    assertThat(run.state()).isEqualTo(RunState.DONE);
    List<String> parts = List.of(run.markdown().split(" \\| "));
    assertThat(parts.get(0)).isEqualTo("42");
    assertThat(parts.get(1)).isEqualTo("ERROR: broken: on purpose");
    assertThat(parts.get(2)).startsWith("ERROR: ");
    assertThat(models.requests("clerk").getFirst().toolSpecifications())
        .extracting(s -> s.name())
        .containsExactly("addNumbers", "breakDown");
    assertThat(run.events(EventType.TOOL))
        .extracting(e -> e.dataNode().path("tool").asString())
        .containsExactly("addNumbers", "breakDown", "addNumbers");
  }

  @Test
  void aJavaToolClassThatDoesNotLoadFailsTheRunNamingIt() {
    Crew c =
        crew(
            Crew.Process.SEQUENTIAL,
            List.of(agent("clerk", "Clerk", "mine")),
            List.of(task("sum", "clerk")),
            null,
            Map.of("mine", new ToolSpec("mine", "java", Map.of("class", "com.acme.NoSuchTools"))));

    TestRun run = tester(c, new QueuedModels()).run(Map.of("company", "ACME"));

    assertThat(run.state()).isEqualTo(RunState.ERROR);
    assertThat(run.fatal().message()).contains("tool 'mine'", "com.acme.NoSuchTools");
  }

  @Test
  void humanStepInAParallelCrewGatesTheTasksThatNeedItsTask() {
    QueuedModels models =
        new QueuedModels()
            .says("a", "draft")
            .says("b", "side work")
            .then("c", r -> AiMessage.from(user(r)));
    Crew c =
        crew(
            Crew.Process.PARALLEL,
            List.of(agent("a", "A"), agent("b", "B"), agent("c", "C")),
            List.of(task("ta", "a"), task("tb", "b"), task("tc", "c", "ta")),
            new HumanStep("ta", "Approve the draft?"),
            Map.of());

    AsyncRun running = tester(c, models).runAsync(Map.of("company", "ACME"));
    assertThat(running.awaitLock().markdown()).contains("draft");
    assertThat(models.requests("c")).isEmpty();
    assertThat(running.answer(Map.of("approve", true)).accepted()).isTrue();
    TestRun run = running.await();

    assertThat(run.state()).isEqualTo(RunState.DONE);
    assertThat(run.markdown()).contains("### ta\ndraft", "Review by a person");
    assertThat(story(run).indexOf("task:tc:start")).isGreaterThan(story(run).indexOf("unlock"));
  }

  @Test
  void killWhileTheHumanStepWaitsEndsTheRunKilled() {
    QueuedModels models = new QueuedModels().says("a", "draft");
    Crew c =
        crew(
            Crew.Process.PARALLEL,
            List.of(agent("a", "A"), agent("c", "C")),
            List.of(task("ta", "a"), task("tc", "c", "ta")),
            new HumanStep("ta", "Approve the draft?"),
            Map.of());

    AsyncRun running = tester(c, models).runAsync(Map.of("company", "ACME"));
    running.awaitLock();
    running.kill();

    assertThat(running.await().state()).isEqualTo(RunState.KILLED);
    assertThat(models.requests("c")).isEmpty();
  }
}
