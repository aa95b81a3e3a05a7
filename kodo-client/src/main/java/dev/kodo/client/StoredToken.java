package dev.kodo.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A token {@code koco} keeps for one node, registry or auth provider in the {@link CredentialStore}
 * (docs/security.md#the-command-line-and-its-tokens): the access token, the refresh token that
 * renews it (people only), when the access token expires, whose it is, whether {@code koco serve}
 * wrote it for the local operator, and, when the provider that issued it is not at the entry's own
 * URL, where to refresh it. Immutable; {@link #toString()} never shows a token.
 *
 * @param accessToken the bearer token sent as {@code Authorization: Bearer …}
 * @param refreshToken what {@code POST /auth/refresh} takes for a new pair; null if none
 * @param expiresAt when the access token expires; null if unknown
 * @param subject whose token it is, e.g. {@code user:alice}; null if unknown
 * @param local true for the token {@code koco serve} writes for the local operator
 * @param authUrl the base URL of the auth provider that issued it when that is not the entry's own
 *     URL; null if it is
 */
public record StoredToken(
    String accessToken,
    String refreshToken,
    Instant expiresAt,
    String subject,
    boolean local,
    String authUrl) {

  /** How long before its {@code exp} a token counts as expired: clocks differ a little. */
  public static final Duration SKEW = Duration.ofSeconds(30);

  public StoredToken {
    Check.notBlank(accessToken, "access token");
    refreshToken = blankToNull(refreshToken);
    subject = blankToNull(subject);
    authUrl = blankToNull(authUrl);
  }

  /** A token of {@code subject} that expires at {@code expiresAt}, without a refresh token. */
  public static StoredToken of(String accessToken, Instant expiresAt, String subject) {
    return new StoredToken(accessToken, null, expiresAt, subject, false, null);
  }

  /** Whether the access token has expired at {@code now} (or will within {@link #SKEW}). */
  public boolean expired(Instant now) {
    return expiresAt != null && !now.plus(SKEW).isBefore(expiresAt);
  }

  /** The refresh token, if there is one. */
  public Optional<String> refresh() {
    return Optional.ofNullable(refreshToken);
  }

  /** This token marked as the local operator's (written by {@code koco serve}). */
  public StoredToken asLocal() {
    return new StoredToken(accessToken, refreshToken, expiresAt, subject, true, authUrl);
  }

  /** This token with where to refresh it. */
  public StoredToken withAuthUrl(String url) {
    return new StoredToken(accessToken, refreshToken, expiresAt, subject, local, url);
  }

  @Override
  public String toString() {
    return "StoredToken[subject="
        + subject
        + ", expiresAt="
        + expiresAt
        + ", local="
        + local
        + ", refresh="
        + (refreshToken != null)
        + "]";
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
