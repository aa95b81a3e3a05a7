package dev.kodo.auth.store;

import java.util.List;

/**
 * A named set of users (docs/security.md#auth-provider); grants to {@code group:{name}} apply to
 * its members.
 */
public record StoredGroup(String name, List<String> members, long created) {
  public StoredGroup {
    members = List.copyOf(members);
  }
}
