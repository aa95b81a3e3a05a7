package dev.kodo.agents.internal;

import dev.kodo.agents.crew.LlmSpec;
import dev.kodo.agents.crew.Placeholders;
import dev.kodo.client.KodoException;
import dev.kodo.engine.EngineContext;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.googleai.GoogleAiGeminiChatModel;
import dev.langchain4j.model.googleai.GoogleAiGeminiStreamingChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.time.Duration;
import java.util.Locale;

/**
 * The engine's {@link ModelSource}: builds each provider's LangChain4j model from resolved settings
 * and observes, retries and interrupts its calls (docs/flows.md#langchain4j-in-a-java-flow). One
 * per run, made from the run's context; reads the run's engine settings (named models, the price
 * table) and resolves {@code ${VAR}} against its secrets.
 *
 * <p>LangChain4j's own retries are off ({@code maxRetries(0)}): Kodo's are the only ones, so each
 * attempt is one {@code action-error} event. Every model gets Kodo's HTTP client ({@link
 * ProviderHttpClient}) with the settings' timeout.
 */
public final class ObservedModels implements ModelSource {
  /** The first back-off after a failed attempt without {@code Retry-After}; it doubles. */
  static final long BACKOFF_MILLIS = 500;

  private final EngineContext ctx;
  private final long backoffMillis;
  private volatile PriceTable prices;

  public ObservedModels(EngineContext ctx) {
    this(ctx, BACKOFF_MILLIS);
  }

  ObservedModels(EngineContext ctx, long backoffMillis) {
    this.ctx = ctx;
    this.backoffMillis = backoffMillis;
  }

  @Override
  public ChatModel chat(LlmSpec settings, String agent) {
    LlmSpec spec = complete(settings);
    return new ObservedChatModel(build(spec), calls(spec, agent));
  }

  /** A streaming model for one agent; {@code settings} as for {@link #chat}. */
  public StreamingChatModel streaming(LlmSpec settings, String agent) {
    LlmSpec spec = complete(settings);
    return new ObservedStreamingChatModel(buildStreaming(spec), calls(spec, agent));
  }

  /**
   * The settings of the model named {@code name} ({@code kodo.agents.models.<name>.*}), every
   * {@code ${VAR}} resolved.
   *
   * @throws KodoException if it is not configured or a setting is wrong, naming the key
   * @throws dev.kodo.agents.crew.MissingVariableException naming the missing variables
   */
  public LlmSpec named(String name) {
    return Placeholders.resolve(
        ModelSettings.withDefaults(ModelSettings.named(ctx.environment().settings(), name)),
        ctx.environment().secrets());
  }

  /**
   * Observes a model the flow built itself: its calls become events and are retried and interrupted
   * like Kodo's own (turn the model's own retries off to avoid retrying twice).
   */
  public ChatModel observe(ChatModel model, String agent) {
    if (model instanceof ObservedChatModel) {
      return model;
    }
    return new ObservedChatModel(
        model,
        new ModelCalls(
            ctx,
            providerName(model.provider()),
            modelName(model.defaultRequestParameters()),
            agent,
            ModelSettings.DEFAULT_MAX_RETRIES,
            null,
            prices(),
            backoffMillis));
  }

  /** {@link #observe(ChatModel, String)} for a streaming model. */
  public StreamingChatModel observe(StreamingChatModel model, String agent) {
    if (model instanceof ObservedStreamingChatModel) {
      return model;
    }
    return new ObservedStreamingChatModel(
        model,
        new ModelCalls(
            ctx,
            providerName(model.provider()),
            modelName(model.defaultRequestParameters()),
            agent,
            ModelSettings.DEFAULT_MAX_RETRIES,
            null,
            prices(),
            backoffMillis));
  }

  /** The defaults filled in and the placeholders of the defaults resolved. */
  private LlmSpec complete(LlmSpec settings) {
    return Placeholders.resolve(
        ModelSettings.withDefaults(settings == null ? LlmSpec.EMPTY : settings),
        ctx.environment().secrets());
  }

  private ModelCalls calls(LlmSpec spec, String agent) {
    return new ModelCalls(
        ctx,
        spec.provider(),
        spec.model(),
        agent,
        spec.maxRetries(),
        spec.apiKey(),
        prices(),
        backoffMillis);
  }

  private PriceTable prices() {
    PriceTable p = prices;
    if (p == null) {
      p = PriceTable.from(ctx.environment().settings());
      prices = p;
    }
    return p;
  }

  private static ChatModel build(LlmSpec s) {
    Duration timeout = Duration.ofSeconds(s.timeoutSeconds());
    return switch (s.provider()) {
      case "openai" ->
          OpenAiChatModel.builder()
              .httpClientBuilder(http(timeout))
              .baseUrl(s.baseUrl())
              .apiKey(s.apiKey())
              .modelName(s.model())
              .temperature(s.temperature())
              .maxTokens(s.maxTokens())
              .timeout(timeout)
              .maxRetries(0)
              .logRequests(false)
              .logResponses(false)
              .build();
      case "anthropic" ->
          AnthropicChatModel.builder()
              .httpClientBuilder(http(timeout))
              .baseUrl(s.baseUrl())
              .apiKey(s.apiKey())
              .modelName(s.model())
              .temperature(s.temperature())
              .maxTokens(s.maxTokens())
              .timeout(timeout)
              .maxRetries(0)
              .logRequests(false)
              .logResponses(false)
              .build();
      case "gemini" ->
          GoogleAiGeminiChatModel.builder()
              .httpClientBuilder(http(timeout))
              .baseUrl(s.baseUrl())
              .apiKey(s.apiKey())
              .modelName(s.model())
              .temperature(s.temperature())
              .maxOutputTokens(s.maxTokens())
              .timeout(timeout)
              .maxRetries(0)
              .logRequestsAndResponses(false)
              .build();
      default -> throw new KodoException("unknown model provider \"" + s.provider() + "\"");
    };
  }

  private static StreamingChatModel buildStreaming(LlmSpec s) {
    Duration timeout = Duration.ofSeconds(s.timeoutSeconds());
    return switch (s.provider()) {
      case "openai" ->
          OpenAiStreamingChatModel.builder()
              .httpClientBuilder(http(timeout))
              .baseUrl(s.baseUrl())
              .apiKey(s.apiKey())
              .modelName(s.model())
              .temperature(s.temperature())
              .maxTokens(s.maxTokens())
              .timeout(timeout)
              .logRequests(false)
              .logResponses(false)
              .build();
      case "anthropic" ->
          AnthropicStreamingChatModel.builder()
              .httpClientBuilder(http(timeout))
              .baseUrl(s.baseUrl())
              .apiKey(s.apiKey())
              .modelName(s.model())
              .temperature(s.temperature())
              .maxTokens(s.maxTokens())
              .timeout(timeout)
              .logRequests(false)
              .logResponses(false)
              .build();
      case "gemini" ->
          GoogleAiGeminiStreamingChatModel.builder()
              .httpClientBuilder(http(timeout))
              .baseUrl(s.baseUrl())
              .apiKey(s.apiKey())
              .modelName(s.model())
              .temperature(s.temperature())
              .maxOutputTokens(s.maxTokens())
              .timeout(timeout)
              .logRequestsAndResponses(false)
              .build();
      default -> throw new KodoException("unknown model provider \"" + s.provider() + "\"");
    };
  }

  private static ProviderHttpClient.Builder http(Duration timeout) {
    Duration connect =
        timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10);
    return ProviderHttpClient.builder(connect, timeout);
  }

  private static String providerName(ModelProvider provider) {
    if (provider == null) {
      return "other";
    }
    return switch (provider) {
      case OPEN_AI -> "openai";
      case ANTHROPIC -> "anthropic";
      case GOOGLE_AI_GEMINI -> "gemini";
      default -> provider.name().toLowerCase(Locale.ROOT).replace('_', '-');
    };
  }

  private static String modelName(ChatRequestParameters parameters) {
    return parameters == null ? null : parameters.modelName();
  }
}
