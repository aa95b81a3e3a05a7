package dev.kodo.agents.internal;

import dev.kodo.agents.crew.LlmSpec;
import dev.langchain4j.model.chat.ChatModel;

/**
 * Where a run gets its chat models. The engine's own implementation builds the provider's
 * LangChain4j model from resolved settings and wraps it so that every call is observed ({@code
 * action} events with usage), retried on 429/5xx with back-off honouring {@code Retry-After}, and
 * interrupted by a kill; tests may give models of their own.
 */
@FunctionalInterface
public interface ModelSource {

  /**
   * A chat model for one agent of the run.
   *
   * @param settings the merged settings, every {@code ${VAR}} already resolved
   * @param agent the agent's id, named in the model-call events; null outside a crew
   */
  ChatModel chat(LlmSpec settings, String agent);
}
