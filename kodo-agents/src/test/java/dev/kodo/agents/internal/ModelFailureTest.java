package dev.kodo.agents.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.RateLimitException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelFailureTest {

  private static ProviderHttpException answer(int status, String body, Map<String, String> h) {
    Map<String, List<String>> headers = new java.util.HashMap<>();
    h.forEach((k, v) -> headers.put(k, List.of(v)));
    return new ProviderHttpException(status, body, headers);
  }

  @Test
  void aRateLimitWrappedByTheModelKeepsItsStatusAndRetryAfter() {
    var failure =
        new RateLimitException(
            "wrapped",
            answer(429, "{\"error\":{\"message\":\"slow down\"}}", Map.of("Retry-After", "2")));
    ModelFailure f = ModelFailure.of(failure, null);
    assertThat(f).isEqualTo(new ModelFailure(429, true, 2000L, "slow down"));
  }

  @Test
  void retryAfterMillisWinsAndEveryWaitIsCapped() {
    assertThat(
            ModelFailure.retryAfter(
                answer(429, "", Map.of("retry-after-ms", "1500", "Retry-After", "9"))))
        .contains(1500L);
    assertThat(ModelFailure.retryAfter(answer(429, "", Map.of("Retry-After", "0.25"))))
        .contains(250L);
    assertThat(ModelFailure.retryAfter(answer(429, "", Map.of("Retry-After", "86400"))))
        .contains(ModelFailure.MAX_RETRY_AFTER_MILLIS);
    assertThat(ModelFailure.retryAfter(answer(429, "", Map.of("Retry-After", "-5")))).contains(0L);
    assertThat(ModelFailure.retryAfter(answer(429, "", Map.of("Retry-After", "soon")))).isEmpty();
    assertThat(ModelFailure.retryAfter(answer(429, "", Map.of("Retry-After", "NaN")))).isEmpty();
    String date =
        ZonedDateTime.now(ZoneOffset.UTC)
            .plusSeconds(30)
            .format(DateTimeFormatter.RFC_1123_DATE_TIME);
    assertThat(ModelFailure.retryAfter(answer(503, "", Map.of("retry-after", date))).orElseThrow())
        .isBetween(25_000L, 30_000L);
  }

  @Test
  void theProvidersMessageIsFoundInEachProvidersErrorShape() {
    assertThat(ModelFailure.providerMessage("{\"error\":{\"message\":\"openai says\"}}"))
        .isEqualTo("openai says");
    assertThat(
            ModelFailure.providerMessage(
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"anthropic says\"}}"))
        .isEqualTo("anthropic says");
    assertThat(
            ModelFailure.providerMessage(
                "{\"error\":{\"code\":503,\"message\":\"gemini says\",\"status\":\"UNAVAILABLE\"}}"))
        .isEqualTo("gemini says");
    assertThat(ModelFailure.providerMessage("{\"error\":\"ollama says\"}"))
        .isEqualTo("ollama says");
    assertThat(ModelFailure.providerMessage("<html>Bad gateway</html>"))
        .isEqualTo("<html>Bad gateway</html>");
    assertThat(ModelFailure.providerMessage("{broken")).isEqualTo("{broken");
    assertThat(ModelFailure.providerMessage("  ")).isEqualTo("(empty answer)");
    // at most 1,000 characters and an ellipsis
    assertThat(ModelFailure.providerMessage("x".repeat(5000))).hasSizeLessThanOrEqualTo(1001);
  }

  @Test
  void onlyRateLimitsServerErrorsAndConnectionFailuresAreRetryable() {
    assertThat(ModelFailure.of(new HttpException(502, "bad gateway"), null).retryable()).isTrue();
    assertThat(ModelFailure.of(new HttpException(400, "bad"), null).retryable()).isFalse();
    assertThat(ModelFailure.of(new AuthenticationException("no"), null))
        .extracting(ModelFailure::status, ModelFailure::retryable)
        .containsExactly(401, false);
    assertThat(ModelFailure.of(new InvalidRequestException("bad"), null).retryable()).isFalse();
    ModelFailure refused =
        ModelFailure.of(new UncheckedIOException(new ConnectException("Connection refused")), null);
    assertThat(refused.status()).isZero();
    assertThat(refused.retryable()).isTrue();
    assertThat(refused.message()).isEqualTo("no answer: ConnectException: Connection refused");
    assertThat(ModelFailure.of(new IllegalStateException("bug"), null).retryable()).isFalse();
  }

  @Test
  void theKeyIsBlottedWherever() {
    String key = "sk-proj-abcdef123456";
    ModelFailure f =
        ModelFailure.of(
            new AuthenticationException(
                "x", answer(401, "{\"error\":{\"message\":\"bad key " + key + "\"}}", Map.of())),
            key);
    assertThat(f.message()).isEqualTo("bad key ***");
    assertThat(ModelFailure.of(new IllegalStateException("header Bearer " + key), key).message())
        .doesNotContain(key);
  }
}
