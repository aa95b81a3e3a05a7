package dev.kodo.web.security;

import dev.kodo.client.access.Caller;
import dev.kodo.client.access.Role;
import dev.kodo.client.access.Subjects;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a verified token's claims as a {@link Caller} (docs/security.md#tokens-on-every-request):
 * Kodo's own tokens as they are; another OIDC provider's (Keycloak, …) through {@code
 * kodo.auth.claims.*} (dotted paths such as {@code realm_access.roles}), {@code
 * kodo.auth.claims.subject-prefix} and {@code kodo.auth.role-map.*}. External roles that map to no
 * Kodo role are ignored. Immutable; thread-safe.
 */
public final class ClaimMapping {
  private final String subjectClaim;
  private final String subjectPrefix;
  private final String rolesClaim;
  private final String groupsClaim;
  private final Map<String, Role> roleMap;

  public ClaimMapping(AuthProperties p) {
    this.subjectClaim = p.getClaims().getSubject();
    this.subjectPrefix = p.getClaims().getSubjectPrefix();
    this.rolesClaim = p.getClaims().getRoles();
    this.groupsClaim = p.getClaims().getGroups();
    Map<String, Role> map = new java.util.HashMap<>();
    p.getRoleMap().forEach((external, kodo) -> map.put(external, Role.parse(kodo)));
    this.roleMap = Map.copyOf(map);
  }

  /**
   * The caller these claims name.
   *
   * @throws IllegalArgumentException when the subject claim is missing or not a valid subject (the
   *     message names the claim, never its value's secrets: subjects are not secret)
   */
  public Caller caller(Map<String, Object> claims) {
    Object raw = path(claims, subjectClaim);
    if (!(raw instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException("the token has no subject claim '" + subjectClaim + "'");
    }
    String subject = subjectPrefix + s;
    String problem = Subjects.problem(subject);
    if (problem != null) {
      throw new IllegalArgumentException("the token's subject " + problem);
    }
    Set<Role> roles = new LinkedHashSet<>();
    for (String r : strings(path(claims, rolesClaim))) {
      Role mapped = role(r);
      if (mapped != null) roles.add(mapped);
    }
    Set<String> groups = new LinkedHashSet<>();
    for (String g : strings(path(claims, groupsClaim))) {
      String name = g.startsWith("/") ? g.substring(1) : g;
      if (Subjects.validName(name)) groups.add(name);
    }
    return new Caller(subject, roles, groups);
  }

  private Role role(String external) {
    Role mapped = roleMap.get(external);
    if (mapped != null) return mapped;
    for (Role r : Role.values()) {
      if (r.wire().equals(external.toLowerCase(Locale.ROOT))) return r;
    }
    return null;
  }

  /** The value at a dotted path ({@code realm_access.roles}), or null. */
  static Object path(Map<String, Object> claims, String path) {
    if (claims.containsKey(path)) return claims.get(path);
    Object at = claims;
    for (String part : path.split("\\.", -1)) {
      if (!(at instanceof Map<?, ?> m)) return null;
      at = m.get(part);
    }
    return at;
  }

  private static List<String> strings(Object value) {
    if (value instanceof String s) return List.of(s);
    if (value instanceof Collection<?> c) {
      return c.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }
    return List.of();
  }
}
