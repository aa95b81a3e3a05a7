package dev.kodo.web.security;

/**
 * The {@code kodo.auth.*} settings cannot work (docs/security.md#tokens-on-every-request): the
 * service refuses to start and says which setting to fix ({@link AuthSetupFailureAnalyzer}).
 */
public class AuthSetupException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String action;

  public AuthSetupException(String message, String action) {
    super(message);
    this.action = action;
  }

  /** What to change so that the service starts. */
  public String action() {
    return action;
  }
}
