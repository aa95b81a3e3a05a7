package dev.kodo.web.security;

import dev.kodo.client.access.Caller;
import dev.kodo.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who the current request acts for (docs/security.md#tokens-on-every-request). Controllers and
 * services call {@link #current()} on the request's thread and pass the {@link Caller} on; nothing
 * else reads tokens.
 */
public final class Callers {
  private Callers() {}

  /**
   * The caller of the request on this thread: the verified token's subject, roles and groups, or
   * {@link Caller#NO_AUTH} when {@code kodo.auth.enabled=false}.
   *
   * @throws ApiException 401 when the request carries no verified caller (a public path, or a
   *     thread that serves no request)
   */
  public static Caller current() {
    Caller c = orNull();
    if (c == null) {
      throw new ApiException(
          HttpStatus.UNAUTHORIZED,
          "Authentication required",
          "this request needs a bearer token (Authorization: Bearer …)",
          null);
    }
    return c;
  }

  /** The current request's caller, or null when there is none. */
  public static Caller orNull() {
    Authentication a = SecurityContextHolder.getContext().getAuthentication();
    return a instanceof CallerAuthentication ca ? ca.caller() : null;
  }
}
