package dev.kodo.node.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Problem.FieldError;
import dev.kodo.sdk.InputError;
import dev.kodo.sdk.InvalidInputsException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** Inputs that do not fit a flow's form are 400 naming each field, answered by the node itself. */
class InputProblemsTest {

  @Test
  void invalidInputsAre400NamingEachField() {
    ResponseEntity<ProblemDetail> r =
        new InputProblems()
            .inputs(
                new InvalidInputsException(
                    List.of(
                        new InputError("topic", "is required"),
                        new InputError("steps", "must be at least 1"))));
    assertThat(r.getStatusCode().value()).isEqualTo(400);
    assertThat(r.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(r.getBody().getTitle()).isEqualTo("Invalid inputs");
    assertThat(r.getBody().getDetail()).isEqualTo("the inputs topic, steps are invalid");
    assertThat(r.getBody().getProperties())
        .containsEntry(
            "errors",
            List.of(
                new FieldError("topic", "is required"),
                new FieldError("steps", "must be at least 1")));
  }

  @Test
  void oneInvalidInputIsNamedInTheSingular() {
    ResponseEntity<ProblemDetail> r =
        new InputProblems()
            .inputs(new InvalidInputsException(List.of(new InputError("topic", "is required"))));
    assertThat(r.getBody().getDetail()).isEqualTo("the input topic is invalid");
  }
}
