package dev.kodo.agents.crew;

import java.util.List;

/**
 * One agent of a crew ({@code agents.<id>}). {@code role}, {@code goal} and {@code backstory} make
 * its system message and may hold {@code {input}} placeholders.
 *
 * @param id its key under {@code agents}
 * @param backstory empty when the file gives none
 * @param tools tool names: built-in ({@code calculator}, {@code datetime}, {@code run_input},
 *     {@code kodo_flow}) or defined under the crew's {@code tools:}
 * @param llm its own model settings over the crew's; {@link LlmSpec#EMPTY} when it has none
 */
public record AgentSpec(
    String id, String role, String goal, String backstory, List<String> tools, LlmSpec llm) {

  public AgentSpec {
    tools = List.copyOf(tools);
    llm = llm == null ? LlmSpec.EMPTY : llm;
  }
}
