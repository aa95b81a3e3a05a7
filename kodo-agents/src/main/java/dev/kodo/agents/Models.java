package dev.kodo.agents;

import dev.kodo.agents.internal.AgentEvents;
import dev.kodo.agents.internal.AgenticObserver;
import dev.kodo.agents.internal.ObservedModels;
import dev.kodo.client.Check;
import dev.kodo.engine.EngineContext;
import dev.kodo.sdk.FlowContext;
import dev.langchain4j.agentic.observability.AgentListener;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.service.tool.ToolExecution;
import java.util.function.Consumer;

/**
 * LangChain4j models for a Java flow, observed by Kodo (docs/flows.md#langchain4j-in-a-java-flow):
 * every model call becomes an {@code action} event (provider, model, tokens, latency, finish
 * reason, cost), every failed attempt an {@code action-error}; 429, 5xx and connection failures are
 * retried with back-off honouring {@code Retry-After}; a kill interrupts a call in flight. The
 * models are configured by the engine settings {@code kodo.agents.models.<name>.*}
 * (docs/configuration.md); {@code default} works with just {@code OPENAI_API_KEY} set.
 *
 * <pre>{@code
 * ChatModel model = Models.chat(ctx, "default");
 * Writer writer = AgenticServices.agentBuilder(Writer.class).chatModel(model).build();
 * UntypedAgent flow = AgenticServices.sequenceBuilder()
 *     .subAgents(researcher, writer)
 *     .listener(Models.listener(ctx))   // agent and tool events
 *     .outputKey("report")
 *     .build();
 * }</pre>
 *
 * A model belongs to the run whose context made it: make models inside {@code run}, not in a field.
 * Stateless and thread-safe.
 */
public final class Models {
  private Models() {}

  /**
   * The observed chat model named {@code name}.
   *
   * @throws dev.kodo.client.KodoException if no such model is configured or one of its settings is
   *     wrong (naming the key)
   * @throws dev.kodo.agents.crew.MissingVariableException naming a {@code ${VAR}} that is not set
   */
  public static ChatModel chat(FlowContext ctx, String name) {
    ObservedModels models = models(ctx);
    return models.chat(models.named(name), null);
  }

  /** The observed streaming chat model named {@code name}; see {@link #chat}. */
  public static StreamingChatModel streaming(FlowContext ctx, String name) {
    ObservedModels models = models(ctx);
    return models.streaming(models.named(name), null);
  }

  /**
   * A model the flow built itself, observed, retried and interrupted like the configured ones;
   * build it with {@code maxRetries(0)} so that only Kodo retries.
   */
  public static ChatModel observe(FlowContext ctx, ChatModel model) {
    return models(ctx).observe(Check.notNull(model, "model"), null);
  }

  /** {@link #observe(FlowContext, ChatModel)} for a streaming model. */
  public static StreamingChatModel observe(FlowContext ctx, StreamingChatModel model) {
    return models(ctx).observe(Check.notNull(model, "model"), null);
  }

  /**
   * The listener for a {@code langchain4j-agentic} system: give it to the top-level workflow
   * ({@code sequenceBuilder()}, {@code parallelBuilder()}, {@code loopBuilder()}, {@code
   * supervisorBuilder()}, … {@code .listener(…)}); every agent's start and finish becomes an {@code
   * agent} event and every tool call a {@code tool} event. Sub-agents inherit it.
   */
  public static AgentListener listener(FlowContext ctx) {
    return new AgenticObserver(new AgentEvents(EngineContext.of(Check.notNull(ctx, "ctx"))));
  }

  /**
   * The tool hook for a plain {@code AiServices}: {@code
   * AiServices.builder(…).afterToolExecution(Models.toolObserver(ctx))} writes one {@code tool}
   * event per tool call.
   */
  public static Consumer<ToolExecution> toolObserver(FlowContext ctx) {
    return new AgenticObserver(new AgentEvents(EngineContext.of(Check.notNull(ctx, "ctx"))))
        .toolObserver();
  }

  private static ObservedModels models(FlowContext ctx) {
    return new ObservedModels(EngineContext.of(Check.notNull(ctx, "ctx")));
  }
}
