package dev.kodo.agents.internal;

import dev.kodo.client.Json;
import dev.kodo.client.Shorten;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * What went wrong in one model call, as the retry loop needs it (docs/flows.md#langchain4j-in-a-
 * java-flow): the HTTP status (0: no answer), whether another attempt may succeed (429, 5xx, a
 * connection failure or timeout), how long the provider asked to wait, and the provider's own
 * message with the API key blotted out.
 *
 * @param status the HTTP status, or 0 when the provider did not answer
 * @param retryable whether the same call may succeed later
 * @param retryAfterMillis what {@code retry-after-ms} or {@code Retry-After} asked for, or null
 * @param message the provider's message (or what failed), never holding the key
 */
record ModelFailure(int status, boolean retryable, Long retryAfterMillis, String message) {
  /** The longest message kept. */
  static final int MAX_MESSAGE = 1_000;

  /** The longest wait a provider may ask for; a longer one is shortened to this. */
  static final long MAX_RETRY_AFTER_MILLIS = 60_000;

  /** Classifies a failure of a model call; {@code secret} (the API key, may be null) is blotted. */
  static ModelFailure of(Throwable failure, String secret) {
    Integer status = null;
    Long retryAfter = null;
    String body = null;
    boolean io = false;
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause()) {
      if (t instanceof ProviderHttpException p && status == null) {
        status = p.statusCode();
        body = p.getMessage();
        retryAfter = retryAfter(p).orElse(null);
      } else if (t instanceof HttpException h && status == null) {
        status = h.statusCode();
        body = h.getMessage();
      } else if (t instanceof IOException
          || t instanceof java.io.UncheckedIOException
          || t instanceof dev.langchain4j.exception.TimeoutException) {
        io = true;
      }
    }
    if (status == null) {
      status = typedStatus(failure);
    }
    String message;
    if (body != null) {
      message = providerMessage(body);
    } else if (io) {
      message = "no answer: " + describe(deepestIo(failure));
    } else {
      message = describe(failure);
    }
    boolean retryable = status == 429 || status >= 500 || (status == 0 && io);
    return new ModelFailure(status, retryable, retryAfter, blot(message, secret));
  }

  /** {@code text} with every occurrence of {@code secret} replaced by {@code ***}. */
  static String blot(String text, String secret) {
    if (text == null || secret == null || secret.length() < 4) {
      return text;
    }
    return text.replace(secret, "***");
  }

  private static int typedStatus(Throwable failure) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause()) {
      if (t instanceof RateLimitException) {
        return 429;
      }
      if (t instanceof InternalServerException) {
        return 500;
      }
      if (t instanceof AuthenticationException) {
        return 401;
      }
      if (t instanceof ModelNotFoundException) {
        return 404;
      }
      if (t instanceof InvalidRequestException) {
        return 400;
      }
    }
    return 0;
  }

  private static Throwable deepestIo(Throwable failure) {
    Throwable found = failure;
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause()) {
      if (t instanceof IOException) {
        found = t;
      }
    }
    return found;
  }

  private static String describe(Throwable t) {
    String kind =
        t instanceof HttpTimeoutException || t instanceof dev.langchain4j.exception.TimeoutException
            ? "timed out"
            : t.getClass().getSimpleName();
    String m = t.getMessage();
    return Shorten.to(m == null || m.isBlank() ? kind : kind + ": " + m, MAX_MESSAGE);
  }

  /**
   * The message inside a provider's error body: {@code error.message} (OpenAI, Gemini, Anthropic
   * under {@code error}), else {@code message}, else the body itself, shortened.
   */
  static String providerMessage(String body) {
    String text = body == null ? "" : body.strip();
    if (text.startsWith("{")) {
      try {
        JsonNode json = Json.mapper().readTree(text);
        JsonNode error = json.path("error");
        String m =
            error.isString()
                ? error.asString()
                : error.path("message").isString()
                    ? error.path("message").asString()
                    : json.path("message").asString(null);
        if (m != null && !m.isBlank()) {
          return Shorten.to(m, MAX_MESSAGE);
        }
      } catch (RuntimeException notJson) {
        // fall through: the body as it is
      }
    }
    return text.isEmpty() ? "(empty answer)" : Shorten.to(text, MAX_MESSAGE);
  }

  /** {@code retry-after-ms} (OpenAI), else {@code Retry-After} in seconds or as an HTTP date. */
  static Optional<Long> retryAfter(ProviderHttpException p) {
    Optional<Long> ms = p.header("retry-after-ms").flatMap(v -> millis(v, 1));
    if (ms.isPresent()) {
      return ms.map(ModelFailure::capped);
    }
    return p.header("retry-after")
        .flatMap(
            v -> {
              Optional<Long> seconds = millis(v, 1000);
              if (seconds.isPresent()) {
                return seconds;
              }
              try {
                ZonedDateTime at =
                    ZonedDateTime.parse(v.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
                return Optional.of(Duration.between(Instant.now(), at.toInstant()).toMillis());
              } catch (DateTimeParseException e) {
                return Optional.empty();
              }
            })
        .map(ModelFailure::capped);
  }

  private static Optional<Long> millis(String v, int unitMillis) {
    try {
      double d = Double.parseDouble(v.strip()) * unitMillis;
      return Double.isFinite(d) ? Optional.of((long) Math.ceil(d)) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static long capped(long millis) {
    return Math.max(0, Math.min(MAX_RETRY_AFTER_MILLIS, millis));
  }
}
