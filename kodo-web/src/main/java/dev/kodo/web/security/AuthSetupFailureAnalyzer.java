package dev.kodo.web.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an {@link AuthSetupException} into Spring Boot's plain "APPLICATION FAILED TO START". */
final class AuthSetupFailureAnalyzer extends AbstractFailureAnalyzer<AuthSetupException> {
  @Override
  protected FailureAnalysis analyze(Throwable root, AuthSetupException cause) {
    return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
  }
}
