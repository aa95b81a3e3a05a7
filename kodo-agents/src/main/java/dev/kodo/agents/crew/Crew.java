package dev.kodo.agents.crew;

import dev.kodo.sdk.FlowSpec;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A declarative crew as read from its YAML file (docs/flows.md#yaml-crews): the flow's metadata and
 * inputs, the model settings, the agents, their tasks and how the tasks run. Validated by {@link
 * CrewParser}: every reference resolves, {@code context} has no cycle, every {@code {placeholder}}
 * names an input. Immutable; two parses of the same text are equal.
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
    Set<String> variables) {

  public Crew {
    agents = Collections.unmodifiableMap(new LinkedHashMap<>(agents));
    tools = Collections.unmodifiableMap(new LinkedHashMap<>(tools));
    tasks = List.copyOf(tasks);
    variables = Set.copyOf(variables);
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
