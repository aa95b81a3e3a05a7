package dev.kodo.auth.login;

import dev.kodo.auth.AuthProviderProperties;
import dev.kodo.auth.keys.AccessTokens;
import dev.kodo.auth.store.AuthStore;
import dev.kodo.auth.store.StoredUser;
import dev.kodo.client.access.Subjects;
import dev.kodo.web.security.PasswordLogin;
import java.util.Optional;
import java.util.OptionalLong;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * The provider's password check (docs/security.md#auth-provider): what {@code POST /auth/login} and
 * the web UI's login page (docs/ui.md#login) both use. A wrong password and an unknown user are
 * refused alike and take as long; too many failures for one name or address are throttled.
 * Thread-safe.
 */
@Component
final class PasswordLogins implements PasswordLogin {
  /** Compared against when the user does not exist, so both cases take as long. */
  private final String decoyHash;

  private final AuthStore store;
  private final PasswordEncoder passwords;
  private final AccessTokens tokens;
  private final RefreshTokens refresh;
  private final LoginThrottle throttle;
  private final AuthProviderProperties props;

  PasswordLogins(
      AuthStore store,
      PasswordEncoder passwords,
      AccessTokens tokens,
      RefreshTokens refresh,
      LoginThrottle throttle,
      AuthProviderProperties props) {
    this.store = store;
    this.passwords = passwords;
    this.tokens = tokens;
    this.refresh = refresh;
    this.throttle = throttle;
    this.props = props;
    this.decoyHash = passwords.encode("decoy-" + System.nanoTime());
  }

  @Override
  public Tokens login(String username, String password, String address) {
    OptionalLong wait = throttle.retryAfter(username, address);
    if (wait.isPresent()) {
      throw new RefusedException(
          "too many failed logins for this user or address; try again in "
              + wait.getAsLong()
              + " s",
          wait.getAsLong());
    }
    Optional<String> hash = store.passwordHash(username);
    boolean ok = passwords.matches(password, hash.orElse(decoyHash)) && hash.isPresent();
    if (!ok) {
      throttle.failed(username, address);
      throw wrong();
    }
    throttle.succeeded(username);
    return store.user(username).map(this::tokensFor).orElseThrow(PasswordLogins::wrong);
  }

  @Override
  public Optional<Tokens> refresh(String refreshToken) {
    return refresh.redeem(refreshToken).flatMap(store::user).map(this::tokensFor);
  }

  private Tokens tokensFor(StoredUser user) {
    String access =
        tokens.mint(
            Subjects.user(user.username()), user.roles(), user.groups(), props.getAccessTokenTtl());
    return new Tokens(
        access, refresh.issue(user.username()), props.getAccessTokenTtl().toSeconds());
  }

  private static RefusedException wrong() {
    return new RefusedException("wrong username or password", 0);
  }
}
