package dev.kodo.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.BusyException;
import dev.kodo.client.KodoException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.context.request.ServletWebRequest;

/**
 * Each expected failure becomes the problem+json a caller can act on; only the service's own faults
 * are 500.
 */
class ProblemAdviceTest {
  private final ProblemAdvice advice = new ProblemAdvice();

  private static void isProblem(ResponseEntity<?> r, int status) {
    assertThat(r.getStatusCode().value()).isEqualTo(status);
    assertThat(r.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
  }

  @Test
  void anApiExceptionKeepsItsStatusTitleAndFieldsAnd503SaysWhenToComeBack() {
    ResponseEntity<ProblemDetail> conflict = advice.api(ApiException.conflict("run r is done"));
    isProblem(conflict, 409);
    assertThat(conflict.getBody().getDetail()).isEqualTo("run r is done");
    assertThat(conflict.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNull();

    ResponseEntity<ProblemDetail> full =
        advice.api(
            new ApiException(
                HttpStatus.SERVICE_UNAVAILABLE, "Run queue full", "try again later", null));
    isProblem(full, 503);
    assertThat(full.getBody().getTitle()).isEqualTo("Run queue full");
    assertThat(full.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
  }

  @Test
  void aLimitIs429NamingItWithRetryAfterAndCannotReplaceStandardMembers() {
    ResponseEntity<ProblemDetail> r =
        advice.api(
            ApiException.tooManyRequests(
                "Over the limit",
                "flow f has 3 runs, its limit",
                java.util.Map.of("limit", "flow", "status", 200),
                java.time.Duration.ofMillis(2_500)));
    isProblem(r, 429);
    assertThat(r.getBody().getProperties()).containsEntry("limit", "flow");
    assertThat(r.getBody().getStatus()).isEqualTo(429);
    assertThat(r.getBody().getProperties()).doesNotContainKey("status");
    assertThat(r.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("3");
  }

  @Test
  void aPassingFailureIs503WithoutItsInternalsAndAnUnexpectedOneIs500() {
    ResponseEntity<ProblemDetail> busy =
        advice.kodo(
            new BusyException(
                "the store is busy (16 writes wait)", "jdbc:sqlite:/secret/path", null));
    isProblem(busy, 503);
    assertThat(busy.getBody().getDetail())
        .isEqualTo("the store is busy (16 writes wait)")
        .doesNotContain("/secret/path");
    assertThat(busy.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");

    ResponseEntity<ProblemDetail> stopping =
        advice.kodo(KodoException.retryable("hazelcast member 10.0.0.7:5701 stopping", null));
    isProblem(stopping, 503);
    assertThat(stopping.getBody().getDetail()).doesNotContain("10.0.0.7");

    ResponseEntity<ProblemDetail> bug = advice.kodo(new KodoException("a bug"));
    isProblem(bug, 500);
    assertThat(bug.getBody().getDetail()).doesNotContain("a bug");
  }

  @Test
  void aBodyOfAnotherTypeIs415() throws Exception {
    ResponseEntity<Object> r =
        advice.handleException(
            new HttpMediaTypeNotSupportedException(
                MediaType.TEXT_PLAIN, List.of(MediaType.APPLICATION_JSON), HttpMethod.POST),
            new ServletWebRequest(new MockHttpServletRequest("POST", "/api/flows/x/launch")));
    assertThat(r.getStatusCode().value()).isEqualTo(415);
    assertThat(r.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
  }
}
