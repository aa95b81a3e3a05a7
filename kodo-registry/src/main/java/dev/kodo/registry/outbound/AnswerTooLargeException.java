package dev.kodo.registry.outbound;

import java.io.IOException;

/** A remote answer larger than the request allowed; the rest of it was not read. */
public class AnswerTooLargeException extends IOException {

  AnswerTooLargeException(long limit) {
    super(
        "the answer is larger than "
            + limit
            + " bytes, the most the registry reads; it was cut off");
  }
}
