package dev.kodo.auth.store;

import dev.kodo.client.access.Role;
import java.util.List;
import java.util.Set;

/**
 * A person the auth provider knows: name, roles and groups (docs/security.md#auth-provider). Never
 * holds the password hash; {@link AuthStore#passwordHash} reads that separately.
 */
public record StoredUser(String username, Set<Role> roles, List<String> groups, long created) {
  public StoredUser {
    roles = Set.copyOf(roles);
    groups = List.copyOf(groups);
  }
}
