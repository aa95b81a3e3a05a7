package dev.kodo.auth;

import dev.kodo.auth.store.AuthStore;
import dev.kodo.client.Level;
import dev.kodo.client.access.Grant;
import dev.kodo.client.access.Mode;
import dev.kodo.client.access.Resources;
import dev.kodo.client.access.Subjects;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grants given on the provider's first start only (docs/security.md#bootstrap), e.g. {@code koco
 * serve}'s node the right to launch its own flows ({@code node:{name}}, mode {@code x}, level
 * {@code full} on {@code flow://{name}/*}, docs/security.md#the-node-calling-other-nodes). On every
 * later start nothing is added: an operator may have revoked such a grant, and a restart must not
 * give it back. Thread-safe.
 */
public final class FirstStartGrants {
  private static final Logger log = LoggerFactory.getLogger(FirstStartGrants.class);

  private final AuthStore store;
  private final boolean firstStart;

  public FirstStartGrants(AuthStore store, boolean firstStart) {
    this.store = store;
    this.firstStart = firstStart;
  }

  /** Whether this start of the provider was its first (it created the operator {@code admin}). */
  public boolean firstStart() {
    return firstStart;
  }

  /**
   * On the first start, grants {@code subject} mode {@code mode} at {@code level} on {@code
   * resource}; on a later start does nothing.
   *
   * @return whether the grant was added now
   * @throws IllegalArgumentException if the subject or the resource is not a valid one
   */
  public boolean grant(String subject, String resource, Mode mode, Level level) {
    String problem = Subjects.problem(subject);
    if (problem == null) problem = Resources.problem(resource);
    if (problem != null) throw new IllegalArgumentException(problem);
    if (!firstStart) return false;
    boolean added =
        store.addGrant(
            new Grant(
                UUID.randomUUID().toString(),
                subject,
                resource,
                mode.wire(),
                level.name().toLowerCase(Locale.ROOT)));
    if (added) {
      log.info("first start: granted {} mode {} on {}", subject, mode.wire(), resource);
    }
    return added;
  }
}
