package dev.kodo.client;

import java.net.URI;

/**
 * A node, registry or auth provider answered 401: the request carried no token, or one that has
 * expired or that the service refused (docs/security.md#the-command-line-and-its-tokens). The
 * message says which and what to do ({@code koco login --url …}); it never holds a token. Not
 * retryable: the same call fails again until a valid token is given.
 */
public final class NotAuthenticatedException extends KodoException {

  /** Why the service did not accept the request. */
  public enum Reason {
    /** No token was sent: none is kept or given for the service's URL. */
    MISSING,
    /** The token sent has expired and could not be refreshed. */
    EXPIRED,
    /** The service refused the token (revoked, another issuer, a bad signature). */
    REFUSED
  }

  private final URI url;
  private final Reason reason;

  public NotAuthenticatedException(URI url, Reason reason, String message) {
    super(message);
    this.url = url;
    this.reason = reason;
  }

  /** The base URL of the service that answered 401. */
  public URI url() {
    return url;
  }

  public Reason reason() {
    return reason;
  }
}
