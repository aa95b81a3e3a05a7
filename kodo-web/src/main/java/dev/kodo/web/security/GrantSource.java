package dev.kodo.web.security;

import dev.kodo.client.access.Grant;
import java.util.List;

/**
 * Every grant the auth provider holds (docs/security.md#node-who-sees-what); a node keeps those it
 * needs. kodo-auth provides an in-process one; {@link HttpGrantSource} reads a remote provider.
 * Callers use it through {@link CachedGrants}.
 */
public interface GrantSource {
  /**
   * All grants, now.
   *
   * @throws RuntimeException when the provider cannot be read
   */
  List<Grant> grants();
}
