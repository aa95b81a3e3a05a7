package dev.kodo.auth;

import dev.kodo.auth.keys.AccessTokens;
import dev.kodo.client.access.Role;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Tokens for the local operator (docs/security.md#auth-provider): {@code koco serve} writes one to
 * the user's credential store so that {@code koco} on the same machine needs no login. The token
 * carries the role {@code operator}. Thread-safe.
 */
public final class OperatorTokens {
  private final AccessTokens tokens;

  public OperatorTokens(AccessTokens tokens) {
    this.tokens = tokens;
  }

  /**
   * A signed operator token for {@code subject} (e.g. {@code user:admin}), valid for {@code ttl}.
   */
  public String mint(String subject, Duration ttl) {
    return tokens.mint(subject, Set.of(Role.OPERATOR), List.of(), ttl);
  }
}
