package dev.kodo.auth;

import dev.kodo.store.StoreSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The auth provider's configuration under {@code kodo.auth.provider.*} (docs/configuration.md),
 * overridable by {@code KODO_AUTH_PROVIDER_*} environment variables; the issuer it signs as is
 * {@code kodo.auth.issuer} (empty: this process's own URL + {@code /auth}).
 */
@ConfigurationProperties("kodo.auth.provider")
public class AuthProviderProperties {
  /** Whether this process runs the auth provider ({@code koco auth}, {@code koco serve}). */
  private boolean enabled;

  /** Where the provider keeps its data (the SQLite file auth.db) unless a store URL is set. */
  private Path data = Path.of("data");

  /**
   * The password of the operator {@code admin} created on the first start (env {@code
   * KODO_ADMIN_PASSWORD}); empty: a generated one, printed once to the console. Never logged.
   */
  private String adminPassword = "";

  /** How long an access token is valid; a rotated-out key stays published this long. */
  private Duration accessTokenTtl = Duration.ofMinutes(15);

  /** How long a refresh token (for people, from {@code /auth/login}) is valid. */
  private Duration refreshTokenTtl = Duration.ofDays(7);

  private final Login login = new Login();

  private final StoreSettings store = new StoreSettings();

  /** Login throttling ({@code kodo.auth.provider.login.*}; docs/security.md#throttling). */
  public static class Login {
    /** Failed logins of one username within {@code window} before it is throttled. */
    private int maxFailuresPerUser = 5;

    /** Failed logins from one remote address within {@code window} before it is throttled. */
    private int maxFailuresPerAddress = 20;

    /** The window failures are counted in; a throttled name or address waits until it ends. */
    private Duration window = Duration.ofMinutes(5);

    /** The most usernames and addresses tracked at once (the oldest are forgotten first). */
    private int maxTracked = 10_000;

    public int getMaxFailuresPerUser() {
      return maxFailuresPerUser;
    }

    public void setMaxFailuresPerUser(int maxFailuresPerUser) {
      this.maxFailuresPerUser = maxFailuresPerUser;
    }

    public int getMaxFailuresPerAddress() {
      return maxFailuresPerAddress;
    }

    public void setMaxFailuresPerAddress(int maxFailuresPerAddress) {
      this.maxFailuresPerAddress = maxFailuresPerAddress;
    }

    public Duration getWindow() {
      return window;
    }

    public void setWindow(Duration window) {
      this.window = window;
    }

    public int getMaxTracked() {
      return maxTracked;
    }

    public void setMaxTracked(int maxTracked) {
      this.maxTracked = maxTracked;
    }
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Path getData() {
    return data;
  }

  public void setData(Path data) {
    this.data = data;
  }

  public String getAdminPassword() {
    return adminPassword;
  }

  public void setAdminPassword(String adminPassword) {
    this.adminPassword = adminPassword;
  }

  public Duration getAccessTokenTtl() {
    return accessTokenTtl;
  }

  public void setAccessTokenTtl(Duration accessTokenTtl) {
    this.accessTokenTtl = accessTokenTtl;
  }

  public Duration getRefreshTokenTtl() {
    return refreshTokenTtl;
  }

  public void setRefreshTokenTtl(Duration refreshTokenTtl) {
    this.refreshTokenTtl = refreshTokenTtl;
  }

  public Login getLogin() {
    return login;
  }

  public StoreSettings getStore() {
    return store;
  }

  @Override
  public String toString() {
    return "AuthProviderProperties[data=" + data + "]"; // never the admin password
  }
}
