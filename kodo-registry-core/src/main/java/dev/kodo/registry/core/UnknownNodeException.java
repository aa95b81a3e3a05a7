package dev.kodo.registry.core;

import dev.kodo.client.KodoException;

/**
 * The registry does not know the node: it was never registered by an admin, or was unregistered.
 * For {@code connect} the HTTP layer answers 403 (an admin must register the node first); for
 * lookups and admin changes, 404.
 */
public final class UnknownNodeException extends KodoException {
  private final String node;

  /**
   * @param node the node's name as given
   */
  public UnknownNodeException(String node) {
    super(
        "node '"
            + node
            + "' is not registered with this registry: an admin registers it first"
            + " (POST /registry/register)");
    this.node = node;
  }

  /** The node's name as given. */
  public String node() {
    return node;
  }
}
