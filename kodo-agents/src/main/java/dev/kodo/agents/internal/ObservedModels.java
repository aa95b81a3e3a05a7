package dev.kodo.agents.internal;

import dev.kodo.agents.crew.LlmSpec;
import dev.kodo.engine.EngineContext;
import dev.langchain4j.model.chat.ChatModel;

/**
 * The engine's {@link ModelSource}: builds each provider's LangChain4j model from resolved settings
 * and observes, retries and interrupts its calls. One per run.
 */
public final class ObservedModels implements ModelSource {
  private final EngineContext ctx;

  public ObservedModels(EngineContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public ChatModel chat(LlmSpec settings, String agent) {
    throw new UnsupportedOperationException("not yet built: " + ctx.fid());
  }
}
