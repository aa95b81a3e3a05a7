package dev.kodo.web.security;

import dev.kodo.client.access.Caller;
import dev.kodo.client.access.Role;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A request's verified caller as Spring Security holds it; {@link Callers#current()} reads it.
 * Authorities are {@code kodo:operator}, {@code kodo:developer}, {@code kodo:user}. Never holds the
 * token itself.
 */
final class CallerAuthentication extends AbstractAuthenticationToken {
  private static final long serialVersionUID = 1L;

  /** The authority an operator's request carries (the shared filter chain's actuator rule). */
  static final String OPERATOR = authority(Role.OPERATOR);

  private final transient Caller caller;

  CallerAuthentication(Caller caller) {
    super(caller.roles().stream().map(r -> new SimpleGrantedAuthority(authority(r))).toList());
    this.caller = caller;
    setAuthenticated(true);
  }

  static String authority(Role role) {
    return "kodo:" + role.wire();
  }

  Caller caller() {
    return caller;
  }

  @Override
  public Object getCredentials() {
    return "";
  }

  @Override
  public Object getPrincipal() {
    return caller.subject();
  }

  @Override
  public String getName() {
    return caller.subject();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CallerAuthentication a && a.caller.equals(caller);
  }

  @Override
  public int hashCode() {
    return caller.hashCode();
  }

  static List<String> authorities(Caller caller) {
    return caller.roles().stream().map(CallerAuthentication::authority).toList();
  }
}
