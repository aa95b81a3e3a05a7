package dev.kodo.auth.oidc;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.kodo.auth.keys.SigningKeys;
import dev.kodo.web.security.LocalIssuer;
import org.springframework.core.env.Environment;

/**
 * The provider as its own process's issuer (docs/security.md#auth-provider): {@code
 * kodo.auth.issuer} when set, else this process's URL + {@code /auth} — resolved when first asked,
 * after the web server has its port (tests and {@code --port 0} start on a random one). A node in
 * the same process verifies tokens with {@link #keys()}, without HTTP to itself.
 */
public final class ProviderIssuer implements LocalIssuer {
  /** The path every provider endpoint lives under. */
  public static final String PREFIX = "/auth";

  private final Environment env;
  private final SigningKeys keys;
  private volatile String resolved;

  public ProviderIssuer(Environment env, SigningKeys keys) {
    this.env = env;
    this.keys = keys;
  }

  @Override
  public String issuer() {
    String s = resolved;
    if (s != null) return s;
    String configured = env.getProperty("kodo.auth.issuer", "").strip();
    if (!configured.isEmpty()) {
      s = configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
    } else {
      String port = env.getProperty("local.server.port");
      if (port == null) {
        // asked before the server started (a filter chain being built): the configured port will
        // be the one, unless it is 0 (random)
        String configuredPort = env.getProperty("server.port", "8080").strip();
        if (!configuredPort.equals("0") && !configuredPort.isEmpty()) port = configuredPort;
      }
      if (port == null) {
        throw new IllegalStateException(
            "the auth provider's issuer is not known before the web server has started;"
                + " set kodo.auth.issuer");
      }
      s = "http://" + host(env.getProperty("server.address", "")) + ":" + port + PREFIX;
    }
    resolved = s;
    return s;
  }

  @Override
  public JWKSource<SecurityContext> keys() {
    return keys.publishedSource();
  }

  private static String host(String address) {
    String a = address.strip();
    if (a.isEmpty() || a.equals("0.0.0.0") || a.equals("::") || a.equals("[::]")) {
      return "127.0.0.1";
    }
    return a.contains(":") && !a.startsWith("[") ? "[" + a + "]" : a;
  }
}
