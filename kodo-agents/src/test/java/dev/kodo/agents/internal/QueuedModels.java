package dev.kodo.agents.internal;

import dev.kodo.agents.crew.LlmSpec;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A fake {@link ModelSource} for tests: each agent's model answers from a queue the test fills, in
 * order, and every request is recorded. An empty queue fails the call with a clear message.
 */
final class QueuedModels implements ModelSource {
  private final Map<String, Deque<Function<ChatRequest, AiMessage>>> answers =
      new ConcurrentHashMap<>();
  final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
  final Map<String, LlmSpec> settings = new ConcurrentHashMap<>();

  /** One recorded call. */
  record Call(String agent, ChatRequest request) {}

  /** {@code agent}'s next answer is {@code text}. */
  QueuedModels says(String agent, String text) {
    return then(agent, r -> AiMessage.from(text));
  }

  /** {@code agent}'s next answer asks for one tool call. */
  QueuedModels calls(String agent, String tool, String arguments) {
    return then(
        agent,
        r ->
            AiMessage.from(
                ToolExecutionRequest.builder()
                    .id("call-" + tool)
                    .name(tool)
                    .arguments(arguments)
                    .build()));
  }

  /** {@code agent}'s next answer is computed from the request (or throws). */
  synchronized QueuedModels then(String agent, Function<ChatRequest, AiMessage> answer) {
    answers.computeIfAbsent(agent, a -> new ArrayDeque<>()).add(answer);
    return this;
  }

  List<ChatRequest> requests(String agent) {
    synchronized (calls) {
      return calls.stream().filter(c -> c.agent().equals(agent)).map(Call::request).toList();
    }
  }

  @Override
  public ChatModel chat(LlmSpec spec, String agent) {
    settings.put(agent, spec);
    return new ChatModel() {
      @Override
      public ChatResponse doChat(ChatRequest request) {
        calls.add(new Call(agent, request));
        Function<ChatRequest, AiMessage> next;
        synchronized (QueuedModels.this) {
          Deque<Function<ChatRequest, AiMessage>> q = answers.get(agent);
          next = q == null ? null : q.poll();
        }
        if (next == null) {
          throw new IllegalStateException("the test gave agent " + agent + " no more answers");
        }
        return ChatResponse.builder().aiMessage(next.apply(request)).build();
      }
    };
  }
}
