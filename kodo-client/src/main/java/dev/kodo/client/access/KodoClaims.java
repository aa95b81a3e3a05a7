package dev.kodo.client.access;

/**
 * The claims of a Kodo access token (a JWT, docs/security.md#tokens) besides the standard ones:
 * {@code sub} is the subject ({@code user:alice}, {@code node:local}, {@code worker:w1}), {@code
 * aud} holds {@link #AUDIENCE}, and these carry roles and groups. Another OIDC provider's claims
 * are mapped onto these by configuration ({@code kodo.auth.claims.*}).
 */
public final class KodoClaims {
  private KodoClaims() {}

  /** The audience every Kodo access token carries and every Kodo service requires. */
  public static final String AUDIENCE = "kodo";

  /** Role names ({@link Role#wire()}), a JSON array of strings. */
  public static final String ROLES = "roles";

  /** Group names (without {@code group:}), a JSON array of strings. */
  public static final String GROUPS = "groups";
}
