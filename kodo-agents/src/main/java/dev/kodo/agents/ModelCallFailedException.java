package dev.kodo.agents;

import dev.kodo.client.KodoException;

/**
 * A model call that failed for good: a 4xx other than 429 at once, or a 429, 5xx or connection
 * failure after the last retry (docs/flows.md#langchain4j-in-a-java-flow). Each failed attempt has
 * already been written as an {@code action-error} event; whoever called the model (a crew, a Java
 * flow) decides whether the run can go on or ends {@code fatal} with {@link #getMessage()}.
 *
 * <p>Carries the provider's own message, scrubbed of the API key: never a key, a header or a stack
 * trace of the HTTP client (no cause is kept for that reason).
 */
public final class ModelCallFailedException extends KodoException {
  private final String provider;
  private final String model;
  private final int status;
  private final int attempts;
  private final String providerMessage;

  /**
   * @param provider {@code openai}, {@code anthropic} or {@code gemini}
   * @param model the model name
   * @param status the last HTTP status, or 0 when there was no answer (timeout, refused connection)
   * @param attempts how many attempts were made
   * @param providerMessage what the provider said (or what went wrong), without any secret
   */
  public ModelCallFailedException(
      String provider, String model, int status, int attempts, String providerMessage) {
    super(
        provider
            + " model "
            + model
            + " failed"
            + (status > 0 ? " with HTTP " + status : "")
            + " after "
            + attempts
            + (attempts == 1 ? " attempt: " : " attempts: ")
            + providerMessage,
        isRetryableStatus(status),
        null);
    this.provider = provider;
    this.model = model;
    this.status = status;
    this.attempts = attempts;
    this.providerMessage = providerMessage;
  }

  /** {@code openai}, {@code anthropic} or {@code gemini}. */
  public String provider() {
    return provider;
  }

  /** The model name. */
  public String model() {
    return model;
  }

  /** The last HTTP status, or 0 when the provider did not answer. */
  public int status() {
    return status;
  }

  /** How many attempts were made (1 + retries). */
  public int attempts() {
    return attempts;
  }

  /** The provider's message (never the API key). */
  public String providerMessage() {
    return providerMessage;
  }

  private static boolean isRetryableStatus(int status) {
    return status == 0 || status == 429 || status >= 500;
  }
}
