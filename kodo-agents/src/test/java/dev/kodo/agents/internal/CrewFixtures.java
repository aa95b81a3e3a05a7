package dev.kodo.agents.internal;

import dev.kodo.agents.crew.AgentSpec;
import dev.kodo.agents.crew.Crew;
import dev.kodo.agents.crew.HumanStep;
import dev.kodo.agents.crew.LlmSpec;
import dev.kodo.agents.crew.TaskSpec;
import dev.kodo.agents.crew.ToolSpec;
import dev.kodo.engine.LoadedFlow;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.testing.FlowTester;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Crews built in code for the engine's tests (the parser has its own tests). */
final class CrewFixtures {
  static final String KEY = "sk-test-secret-value";

  private CrewFixtures() {}

  static AgentSpec agent(String id, String role, String... tools) {
    return new AgentSpec(id, role, "Help with {company}", "You are careful.", List.of(tools), null);
  }

  static TaskSpec task(String id, String agent, String... context) {
    return new TaskSpec(
        id, agent, "Do " + id + " for {company}", "The " + id, List.of(context), false);
  }

  static Crew crew(
      Crew.Process process,
      List<AgentSpec> agents,
      List<TaskSpec> tasks,
      HumanStep human,
      Map<String, ToolSpec> tools) {
    Map<String, AgentSpec> byId = new LinkedHashMap<>();
    agents.forEach(a -> byId.put(a.id(), a));
    FlowSpec spec =
        FlowSpec.builder("Test crew")
            .inputs(Form.builder().text("company", f -> f.required()))
            .build();
    LlmSpec llm =
        new LlmSpec(
            "openai", "gpt-test", "http://127.0.0.1:1/v1", "${TEST_KEY}", 0.1, null, null, null);
    return new Crew(
        Path.of("crews/test.yaml"),
        spec,
        llm,
        byId,
        tools,
        tasks,
        process,
        process == Crew.Process.HIERARCHICAL
            ? new LlmSpec(null, "gpt-boss", null, null, null, null, null, null)
            : null,
        human,
        Set.of("TEST_KEY"),
        false);
  }

  static FlowTester tester(Crew crew, QueuedModels models) {
    return FlowTester.of(
            LoadedFlow.of(
                "crews/test", crew.spec(), () -> new CrewFlow(crew, c -> models), crew, null))
        .withSecrets(Map.of("TEST_KEY", KEY));
  }
}
