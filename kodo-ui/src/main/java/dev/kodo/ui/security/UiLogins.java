package dev.kodo.ui.security;

import dev.kodo.web.security.AuthProperties;
import dev.kodo.web.security.PasswordLogin;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Where the pages' password logins go (docs/ui.md#login): the auth provider of this process when it
 * runs here ({@code koco serve}), else the Kodo provider named by {@code kodo.auth.issuer} (an
 * issuer URL ending with {@code /auth}) over HTTP; none with auth off or with another issuer (an
 * outside identity provider, where people sign in with {@code koco login}).
 */
@Component
public final class UiLogins {
  private final ObjectProvider<PasswordLogin> local;
  private final PasswordLogin remote;

  UiLogins(AuthProperties auth, ObjectProvider<PasswordLogin> local) {
    this.local = local;
    String issuer = auth.getIssuer();
    this.remote = auth.isEnabled() && kodoProvider(issuer) ? new ProviderLogin(issuer) : null;
  }

  /** The login to use, or null when the pages have none. */
  public PasswordLogin get() {
    PasswordLogin here = local.getIfAvailable();
    return here != null ? here : remote;
  }

  /** Whether {@code issuer} is a Kodo auth provider's (a URL ending with {@code /auth}). */
  public static boolean kodoProvider(String issuer) {
    return ProviderLogin.serves(issuer);
  }

  /** Whether {@code e} says the provider elsewhere could not be asked (rather than a refusal). */
  public static boolean unavailable(RuntimeException e) {
    return e instanceof ProviderLogin.Unavailable;
  }
}
