package dev.kodo.agents.crew;

import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.internal.SdkBridge;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A declarative crew as read from its YAML file (docs/flows.md#yaml-crews): the flow's metadata and
 * inputs, the model settings, the agents, their tasks and how the tasks run. Validated by {@link
 * CrewParser}: every reference resolves, {@code context} has no cycle, every {@code {placeholder}}
 * names an input. Immutable; two parses of the same text are equal: {@link FlowSpec}'s inputs
 * ({@code Form}) have no value equality of their own, so {@link #equals} compares the form by its
 * JSON Schema and form hints (what clients see of it).
 *
 * @param file where it was read from (for messages)
 * @param spec name, description, author, organization, release, tags and the inputs form
 * @param llm the crew's default model settings (agents may override single keys)
 * @param agents the agents by id, in file order
 * @param tools named tool definitions ({@code tools:}), by name, in file order
 * @param tasks the tasks, in file order
 * @param process how the tasks run
 * @param manager the manager's model settings for {@link Process#HIERARCHICAL}, or null for the
 *     crew's
 * @param human a person's approval between two tasks, or null
 * @param variables the {@code ${VAR}} names the file uses without a default: each must be set (in
 *     the environment or {@code kodo.secrets.*}) for a run to start
 * @param retrySafe whether a run may start again on another worker when its worker is lost ({@code
 *     retry_safe: true}, docs/flows.md#retry-safe-flows)
 */
public record Crew(
    Path file,
    FlowSpec spec,
    LlmSpec llm,
    Map<String, AgentSpec> agents,
    Map<String, ToolSpec> tools,
    List<TaskSpec> tasks,
    Process process,
    LlmSpec manager,
    HumanStep human,
    Set<String> variables,
    boolean retrySafe) {

  public Crew {
    agents = Collections.unmodifiableMap(new LinkedHashMap<>(agents));
    tools = Collections.unmodifiableMap(new LinkedHashMap<>(tools));
    tasks = List.copyOf(tasks);
    variables = Set.copyOf(variables);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Crew c
        && Objects.equals(file, c.file)
        && sameSpec(spec, c.spec)
        && Objects.equals(llm, c.llm)
        && agents.equals(c.agents)
        && tools.equals(c.tools)
        && tasks.equals(c.tasks)
        && process == c.process
        && Objects.equals(manager, c.manager)
        && Objects.equals(human, c.human)
        && variables.equals(c.variables)
        && retrySafe == c.retrySafe;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        file,
        spec == null ? null : spec.name(),
        spec == null ? null : spec.inputs().schema(),
        llm,
        agents,
        tools,
        tasks,
        process,
        manager,
        human,
        variables,
        retrySafe);
  }

  private static boolean sameSpec(FlowSpec a, FlowSpec b) {
    if (a == null || b == null) {
      return a == null && b == null;
    }
    return a.name().equals(b.name())
        && a.description().equals(b.description())
        && Objects.equals(a.author(), b.author())
        && Objects.equals(a.organization(), b.organization())
        && a.release().equals(b.release())
        && a.tags().equals(b.tags())
        && a.maxConcurrentRuns() == b.maxConcurrentRuns()
        && a.inputs().schema().equals(b.inputs().schema())
        && SdkBridge.hints(a.inputs()).equals(SdkBridge.hints(b.inputs()));
  }

  /** How a crew's tasks run. */
  public enum Process {
    /** One task after the other, in file order; each sees the outputs its {@code context} names. */
    SEQUENTIAL,
    /** A manager agent decides which agent does what, delegating tasks as tools. */
    HIERARCHICAL,
    /** Tasks without {@code context} between them run at the same time. */
    PARALLEL
  }

  /**
   * The task whose output is the run's final result: the one marked {@code output: final}, or the
   * last.
   */
  public TaskSpec finalTask() {
    return tasks.stream().filter(TaskSpec::isFinal).findFirst().orElse(tasks.getLast());
  }
}
