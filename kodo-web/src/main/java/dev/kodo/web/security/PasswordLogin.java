package dev.kodo.web.security;

import java.util.Optional;

/**
 * A person's login with a password, for the pages of a service whose auth provider runs in the same
 * process (docs/ui.md#login): the provider's bean checks the password with the same hashing and
 * throttling as {@code POST /auth/login} and answers the same tokens. Thread-safe.
 */
public interface PasswordLogin {
  /**
   * The tokens a successful login gets. {@link #toString()} shows neither token.
   *
   * @param accessToken a JWT for {@link TokenVerifier}
   * @param refreshToken redeemed once by {@link #refresh(String)}
   * @param expiresIn seconds the access token lives
   */
  record Tokens(String accessToken, String refreshToken, long expiresIn) {
    @Override
    public String toString() {
      return "Tokens[expiresIn=" + expiresIn + "]";
    }
  }

  /** Why a login was refused: a wrong name or password, or throttled for some seconds. */
  final class RefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long retryAfterSeconds;

    public RefusedException(String message, long retryAfterSeconds) {
      super(message);
      this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Seconds until another try may succeed when throttled; 0 for a wrong name or password. */
    public long retryAfterSeconds() {
      return retryAfterSeconds;
    }
  }

  /**
   * Checks the password and issues tokens.
   *
   * @param address the remote address the login came from (throttled per address too)
   * @throws RefusedException a wrong name or password (the same for both), or throttled
   */
  Tokens login(String username, String password, String address);

  /**
   * New tokens for a refresh token, which is used up; empty when it is unknown, used or expired.
   */
  Optional<Tokens> refresh(String refreshToken);
}
