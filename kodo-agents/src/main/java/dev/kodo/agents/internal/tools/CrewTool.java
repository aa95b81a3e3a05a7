package dev.kodo.agents.internal.tools;

import dev.langchain4j.agent.tool.ToolSpecification;

/**
 * A tool an agent of a crew may call (docs/flows.md#how-a-crew-runs): what the model is told about
 * it, and the call. A call never throws for a problem the model can react to (bad arguments, a
 * failing computation, a remote flow that failed): it returns {@link ToolOutcome#failed} and the
 * model reads the error. Only a kill ({@link dev.kodo.sdk.CancelledException}) escapes.
 * Thread-safe.
 */
public interface CrewTool {

  /** The tool's name, description and JSON parameters as the model sees them. */
  ToolSpecification specification();

  /**
   * Calls the tool.
   *
   * @param arguments the arguments as the model gave them: a JSON object text (may be blank or not
   *     JSON at all)
   * @param agent the id of the agent that calls it
   */
  ToolOutcome call(String arguments, String agent);

  /** The tool's name. */
  default String name() {
    return specification().name();
  }
}
