package dev.kodo.agents.internal;

import dev.kodo.agents.internal.tools.CrewTool;
import dev.kodo.agents.internal.tools.ToolOutcome;
import dev.kodo.client.KodoException;
import dev.kodo.sdk.CancelledException;
import dev.kodo.sdk.FlowContext;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One agent working on one piece of work on LangChain4j's low-level chat API
 * (docs/flows.md#how-a-crew-runs): a system and a user message, then model calls; each tool call
 * the model asks for is executed, written as a {@code tool} event and its result (or error) given
 * back, for at most {@link #MAX_TOOL_ROUNDS} rounds. The model's first answer without tool calls is
 * the output. Checks for a kill before every model and tool call. Thread-safe (keeps no state).
 */
final class AgentLoop {
  /** Most rounds of tool calls one piece of work may take before it fails. */
  static final int MAX_TOOL_ROUNDS = 10;

  private final AgentEvents events;
  private final FlowContext ctx;

  AgentLoop(AgentEvents events, FlowContext ctx) {
    this.events = events;
    this.ctx = ctx;
  }

  /**
   * Runs the agent until it answers without asking for tools.
   *
   * @param task the task's id, for messages
   * @throws KodoException if the agent still asks for tools after {@link #MAX_TOOL_ROUNDS} rounds
   */
  String run(
      String agent,
      String task,
      ChatModel model,
      String system,
      String user,
      List<CrewTool> tools) {
    Map<String, CrewTool> byName = new LinkedHashMap<>();
    List<ToolSpecification> specs = new ArrayList<>();
    for (CrewTool t : tools) {
      if (byName.putIfAbsent(t.name(), t) == null) {
        specs.add(t.specification());
      }
    }
    List<ChatMessage> messages = new ArrayList<>();
    messages.add(SystemMessage.from(system));
    messages.add(UserMessage.from(user));
    for (int round = 0; ; round++) {
      ctx.checkCancelled();
      ChatRequest.Builder request = ChatRequest.builder().messages(messages);
      if (!specs.isEmpty()) {
        request.toolSpecifications(specs);
      }
      ChatResponse response = model.chat(request.build());
      AiMessage answer = response == null ? null : response.aiMessage();
      if (answer == null) {
        throw new KodoException(
            "task " + task + ": the model of agent " + agent + " gave no answer");
      }
      if (!answer.hasToolExecutionRequests()) {
        return answer.text() == null ? "" : answer.text();
      }
      if (round >= MAX_TOOL_ROUNDS) {
        throw new KodoException(
            "task "
                + task
                + " failed: agent "
                + agent
                + " still asked for tools after "
                + MAX_TOOL_ROUNDS
                + " rounds of tool calls; make the task smaller or its tools more direct");
      }
      messages.add(answer);
      for (ToolExecutionRequest call : answer.toolExecutionRequests()) {
        ctx.checkCancelled();
        ToolOutcome outcome = execute(byName, call, agent);
        messages.add(
            ToolExecutionResultMessage.from(
                call.id(), call.name(), AgentEventsText.forModel(outcome)));
      }
    }
  }

  private ToolOutcome execute(
      Map<String, CrewTool> tools, ToolExecutionRequest call, String agent) {
    long start = System.nanoTime();
    CrewTool tool = tools.get(call.name());
    ToolOutcome outcome;
    if (tool == null) {
      outcome =
          ToolOutcome.failed(
              "there is no tool named '"
                  + AgentEventsText.clip(call.name(), 100)
                  + "'"
                  + (tools.isEmpty()
                      ? "; this agent has no tools"
                      : "; this agent has " + String.join(", ", tools.keySet())));
    } else {
      try {
        outcome = tool.call(call.arguments(), agent);
      } catch (CancelledException e) {
        throw e;
      } catch (RuntimeException e) {
        outcome =
            ToolOutcome.failed(
                e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      }
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    events.tool(
        call.name(),
        agent,
        call.arguments() == null ? "" : call.arguments(),
        outcome.result(),
        outcome.error(),
        millis,
        outcome.extra());
    return outcome;
  }
}
