package dev.kodo.auth.grants;

import dev.kodo.auth.store.AuthStore;
import dev.kodo.client.access.Grant;
import dev.kodo.web.security.GrantSource;
import java.util.List;

/**
 * The provider's grants for a node in the same process (docs/security.md#auth-provider): read
 * straight from the store, no HTTP.
 */
public final class StoreGrantSource implements GrantSource {
  private final AuthStore store;

  public StoreGrantSource(AuthStore store) {
    this.store = store;
  }

  @Override
  public List<Grant> grants() {
    return store.grants();
  }
}
