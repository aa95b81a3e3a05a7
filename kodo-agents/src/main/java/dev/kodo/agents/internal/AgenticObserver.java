package dev.kodo.agents.internal;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agentic.observability.AfterAgentToolExecution;
import dev.langchain4j.agentic.observability.AgentInvocationError;
import dev.langchain4j.agentic.observability.AgentListener;
import dev.langchain4j.agentic.observability.AgentRequest;
import dev.langchain4j.agentic.observability.AgentResponse;
import dev.langchain4j.service.tool.ToolExecution;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns what a {@code langchain4j-agentic} system does into Kodo events
 * (docs/flows.md#langchain4j-in-a-java-flow): each agent invocation is an {@code agent} start and
 * finish, each tool call a {@code tool} event; model calls made while an agent works name it. Given
 * to the top-level workflow's {@code listener(…)}, it is inherited by every sub-agent. Also the
 * {@code afterToolExecution} hook of a plain {@code AiServices} ({@link #toolObserver()}).
 * Thread-safe.
 */
public final class AgenticObserver implements AgentListener {
  private final AgentEvents events;

  public AgenticObserver(AgentEvents events) {
    this.events = events;
  }

  @Override
  public void beforeAgentInvocation(AgentRequest request) {
    String role = request.agent() == null ? null : blankToNull(request.agent().description());
    events.agentStarted(request.agentName(), role, null);
    CurrentAgent.enter(request.agentName());
  }

  @Override
  public void afterAgentInvocation(AgentResponse response) {
    CurrentAgent.leave(response.agentName());
    Object output = response.output();
    events.agentFinished(
        response.agentName(), null, output == null ? null : String.valueOf(output));
  }

  @Override
  public void onAgentInvocationError(AgentInvocationError error) {
    CurrentAgent.leave(error.agentName());
    events.agentFinished(error.agentName(), null, null);
  }

  @Override
  public void afterAgentToolExecution(AfterAgentToolExecution execution) {
    String agent = execution.agentInstance() == null ? null : execution.agentInstance().name();
    tool(execution.toolExecution(), agent);
  }

  @Override
  public boolean inheritedBySubagents() {
    return true;
  }

  /**
   * A hook for {@code AiServices.builder(…).afterToolExecution(…)}: one {@code tool} event each.
   */
  public Consumer<ToolExecution> toolObserver() {
    return execution -> tool(execution, CurrentAgent.get());
  }

  private void tool(ToolExecution execution, String agent) {
    ToolExecutionRequest request = execution.request();
    Duration took = execution.duration();
    boolean failed = execution.hasFailed();
    events.tool(
        request.name(),
        agent,
        request.arguments() == null ? "{}" : request.arguments(),
        failed ? null : execution.result(),
        failed ? execution.result() : null,
        took == null ? 0 : took.toMillis(),
        Map.of());
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
