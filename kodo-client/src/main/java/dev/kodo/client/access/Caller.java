package dev.kodo.client.access;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Who a request acts for, as a service reads it off a verified token (docs/security.md#tokens): the
 * subject ({@code user:alice}, {@code node:local}, …), its roles and groups (group names without
 * the {@code group:} prefix). Immutable.
 */
public record Caller(String subject, Set<Role> roles, Set<String> groups) {
  /** The caller of a service that runs with auth disabled ({@code --no-auth}): an operator. */
  public static final Caller NO_AUTH = new Caller("user:local", Set.of(Role.OPERATOR), Set.of());

  public Caller {
    roles = Set.copyOf(roles);
    groups = Set.copyOf(groups);
  }

  public boolean operator() {
    return roles.contains(Role.OPERATOR);
  }

  public boolean developer() {
    return roles.contains(Role.DEVELOPER);
  }

  /** The subject and its groups as subjects: whose grants and shares apply to this caller. */
  public Set<String> subjects() {
    Set<String> all = new LinkedHashSet<>();
    all.add(subject);
    for (String g : groups) all.add(Subjects.group(g));
    return all;
  }

  /** The client's name if this caller is a node's client ({@code node:{name}}), else null. */
  public String nodeClient() {
    return subject.startsWith(Subjects.NODE) ? subject.substring(Subjects.NODE.length()) : null;
  }
}
