package dev.kodo.agents.crew;

/**
 * Model settings ({@code llm:}), as written: values may hold {@code ${VAR}} and {@code
 * ${VAR:-default}} placeholders, resolved only at launch against the run's secrets. A null field is
 * unset and taken from the enclosing level (agent → crew → built-in default).
 *
 * @param provider {@code openai} (also any OpenAI-compatible server: Ollama, vLLM, llama.cpp, LM
 *     Studio), {@code anthropic} or {@code gemini}
 * @param model the model name, e.g. {@code gpt-4o-mini}
 * @param baseUrl the API's base URL; for openai, e.g. {@code http://127.0.0.1:11434/v1}
 * @param apiKey the API key, normally {@code ${OPENAI_API_KEY}}
 * @param temperature sampling temperature
 * @param maxTokens most tokens in one answer
 * @param timeoutSeconds longest wait for one model call
 * @param maxRetries attempts after a 429 or 5xx before the call fails
 */
public record LlmSpec(
    String provider,
    String model,
    String baseUrl,
    String apiKey,
    Double temperature,
    Integer maxTokens,
    Integer timeoutSeconds,
    Integer maxRetries) {

  /** Nothing set. */
  public static final LlmSpec EMPTY = new LlmSpec(null, null, null, null, null, null, null, null);

  /** These settings, with every unset one taken from {@code outer}. */
  public LlmSpec over(LlmSpec outer) {
    if (outer == null) {
      return this;
    }
    return new LlmSpec(
        provider != null ? provider : outer.provider,
        model != null ? model : outer.model,
        baseUrl != null ? baseUrl : outer.baseUrl,
        apiKey != null ? apiKey : outer.apiKey,
        temperature != null ? temperature : outer.temperature,
        maxTokens != null ? maxTokens : outer.maxTokens,
        timeoutSeconds != null ? timeoutSeconds : outer.timeoutSeconds,
        maxRetries != null ? maxRetries : outer.maxRetries);
  }
}
