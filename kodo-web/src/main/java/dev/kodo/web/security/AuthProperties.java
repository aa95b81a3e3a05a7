package dev.kodo.web.security;

import dev.kodo.client.access.KodoClaims;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How a node or registry checks the tokens on every request
 * (docs/security.md#tokens-on-every-request) under {@code kodo.auth.*}, overridable by {@code
 * KODO_AUTH_*} environment variables.
 */
@ConfigurationProperties("kodo.auth")
public class AuthProperties {
  /**
   * Whether every request needs a token; false ({@code --no-auth}) makes every caller an operator
   * and is refused unless server.address is a loopback address.
   */
  private boolean enabled = true;

  /**
   * The issuer URL tokens must carry (iss), e.g. http://127.0.0.1:3370/auth; not needed when the
   * auth provider runs in the same process.
   */
  private String issuer = "";

  /** Where the issuer's signing keys are; empty: {issuer}/oauth2/jwks. */
  private String jwksUri = "";

  /** The audience (aud) every token must hold. */
  private String audience = KodoClaims.AUDIENCE;

  /** Which claims of another OIDC provider's tokens carry subject, roles and groups. */
  private Claims claims = new Claims();

  /** External role names mapped to Kodo roles (operator, developer, user). */
  private Map<String, String> roleMap = new LinkedHashMap<>();

  /** This service's own OAuth2 client (client credentials at {issuer}/oauth2/token). */
  private String clientId = "";

  /** The secret of kodo.auth.client-id; never logged. */
  private String clientSecret = "";

  /**
   * A shared secret that lets a Prometheus server read {@code /api/actuator/prometheus} (and
   * nothing else) without a user token (docs/operations.md#the-scrape-token); empty: only
   * operators' tokens may scrape. Compared in constant time; never logged.
   */
  private String scrapeToken = "";

  /** How stale the grants a node caches may get before it fetches them again. */
  private Duration grantsRefresh = Duration.ofSeconds(15);

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public String getIssuer() {
    return issuer;
  }

  public void setIssuer(String issuer) {
    this.issuer = issuer == null ? "" : issuer.trim();
  }

  public String getScrapeToken() {
    return scrapeToken;
  }

  public void setScrapeToken(String scrapeToken) {
    this.scrapeToken = scrapeToken == null ? "" : scrapeToken.trim();
  }

  public String getJwksUri() {
    return jwksUri;
  }

  public void setJwksUri(String jwksUri) {
    this.jwksUri = jwksUri == null ? "" : jwksUri.trim();
  }

  /** The JWKS address: {@code jwks-uri}, else {@code {issuer}/oauth2/jwks}. */
  public String jwks() {
    if (!jwksUri.isEmpty()) return jwksUri;
    return stripSlash(issuer) + "/oauth2/jwks";
  }

  /** The issuer without a trailing {@code /}, for building its endpoints' addresses. */
  public String issuerBase() {
    return stripSlash(issuer);
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  public String getAudience() {
    return audience;
  }

  public void setAudience(String audience) {
    this.audience = audience;
  }

  public Claims getClaims() {
    return claims;
  }

  public void setClaims(Claims claims) {
    this.claims = claims;
  }

  public Map<String, String> getRoleMap() {
    return roleMap;
  }

  public void setRoleMap(Map<String, String> roleMap) {
    this.roleMap = roleMap;
  }

  public String getClientId() {
    return clientId;
  }

  public void setClientId(String clientId) {
    this.clientId = clientId == null ? "" : clientId.trim();
  }

  public String getClientSecret() {
    return clientSecret;
  }

  public void setClientSecret(String clientSecret) {
    this.clientSecret = clientSecret == null ? "" : clientSecret;
  }

  public Duration getGrantsRefresh() {
    return grantsRefresh;
  }

  public void setGrantsRefresh(Duration grantsRefresh) {
    this.grantsRefresh = grantsRefresh;
  }

  /** Never shows the client secret. */
  @Override
  public String toString() {
    return "AuthProperties[enabled="
        + enabled
        + ", issuer="
        + issuer
        + ", clientId="
        + clientId
        + "]";
  }

  /** Claim names (dotted paths allowed, e.g. {@code realm_access.roles}). */
  public static class Claims {
    /** The claim holding the subject. */
    private String subject = "sub";

    /** Put before the subject claim's value, e.g. user: when the claim is preferred_username. */
    private String subjectPrefix = "";

    /** The claim holding the roles (a list of names, or one name). */
    private String roles = KodoClaims.ROLES;

    /** The claim holding the groups (a list of names; a leading / is dropped). */
    private String groups = KodoClaims.GROUPS;

    public String getSubject() {
      return subject;
    }

    public void setSubject(String subject) {
      this.subject = subject;
    }

    public String getSubjectPrefix() {
      return subjectPrefix;
    }

    public void setSubjectPrefix(String subjectPrefix) {
      this.subjectPrefix = subjectPrefix == null ? "" : subjectPrefix;
    }

    public String getRoles() {
      return roles;
    }

    public void setRoles(String roles) {
      this.roles = roles;
    }

    public String getGroups() {
      return groups;
    }

    public void setGroups(String groups) {
      this.groups = groups;
    }
  }
}
