package dev.kodo.web.security;

import java.time.Duration;

/**
 * Access tokens minted by an auth provider running in this same process (kodo-auth, under {@code
 * koco serve}), for a subject of this process such as the node's own identity {@code node:{name}}
 * (docs/security.md#the-node-calling-other-nodes). A token carries the subject only: no roles, no
 * groups; what it may do is what the subject's grants allow. Implementations are thread-safe and
 * never log a token.
 */
public interface LocalTokens {

  /** A signed access token for {@code subject}, valid for {@code ttl}. */
  String mint(String subject, Duration ttl);
}
