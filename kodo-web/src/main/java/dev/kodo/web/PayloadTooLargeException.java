package dev.kodo.web;

import java.io.IOException;

/** A request body grew past the configured limit while it was being read. */
final class PayloadTooLargeException extends IOException {
  PayloadTooLargeException(long limit) {
    super("request body is larger than " + limit + " bytes");
  }
}
