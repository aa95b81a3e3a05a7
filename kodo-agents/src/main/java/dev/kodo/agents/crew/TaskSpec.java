package dev.kodo.agents.crew;

import java.util.List;

/**
 * One task of a crew ({@code tasks[i]}). {@code description} and {@code expectedOutput} may hold
 * {@code {input}} placeholders.
 *
 * @param id its {@code id}, unique in the crew; {@code task-<n>} (1-based position) when the file
 *     gives none
 * @param agent the id of the agent that does it (for hierarchical crews: a hint to the manager; may
 *     be null there)
 * @param description what to do, never blank
 * @param expectedOutput what the answer should look like; empty when the file gives none
 * @param context ids of earlier tasks whose outputs it is given
 * @param isFinal whether its output is the run's result ({@code output: final})
 */
public record TaskSpec(
    String id,
    String agent,
    String description,
    String expectedOutput,
    List<String> context,
    boolean isFinal) {

  public TaskSpec {
    context = List.copyOf(context);
  }
}
