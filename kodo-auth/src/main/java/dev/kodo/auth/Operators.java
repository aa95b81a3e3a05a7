package dev.kodo.auth;

import dev.kodo.client.access.Caller;
import dev.kodo.web.ApiException;
import dev.kodo.web.security.Callers;
import org.springframework.http.HttpStatus;

/** The provider's one rule for management: operators only (docs/security.md#auth-provider). */
public final class Operators {
  private Operators() {}

  /**
   * The current caller if it is an operator.
   *
   * @throws ApiException 401 without a verified caller, 403 for anyone but an operator
   */
  public static Caller require() {
    Caller c = Callers.current();
    if (!c.operator())
      throw forbidden("only operators manage users, groups, grants, clients and keys");
    return c;
  }

  /** 403 with {@code detail}. */
  public static ApiException forbidden(String detail) {
    return new ApiException(HttpStatus.FORBIDDEN, "Forbidden", detail, null);
  }
}
