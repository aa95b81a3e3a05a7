package dev.kodo.registry.web;

import dev.kodo.client.access.Caller;
import dev.kodo.web.ApiException;
import dev.kodo.web.ListParams;
import dev.kodo.web.security.Callers;
import org.springframework.http.HttpStatus;

/**
 * Who may do what at the registry (docs/security.md#registry-reads-nodes-and-peers). A request
 * without a valid token never gets here (kodo-web's {@code KodoWebSecurity} answers 401); these
 * checks answer 403:
 *
 * <ul>
 *   <li>reads: any authenticated caller; hidden entries ({@code hidden=true}) only for operators;
 *   <li>a node's handshake, heartbeat and goodbye: the node's own client token ({@code
 *       node:{name}}) or an operator — a node cannot announce or silence another node;
 *   <li>a contributor's push: that peer registry's client token ({@code node:{peer name}}, the
 *       peer's {@code kodo.registry.name}) or an operator;
 *   <li>everything an admin does (register, constraints, peers, cleanup): operators.
 * </ul>
 *
 * With auth off ({@code kodo.auth.enabled=false}) every caller is an operator. Stateless.
 */
public final class RegistryAccess {
  private RegistryAccess() {}

  /** The current request's caller. */
  public static Caller caller() {
    return Callers.current();
  }

  /**
   * Whether the current caller may see hidden entries: only when it asks ({@code hidden=true}) and
   * is an operator.
   *
   * @throws ApiException 403 when a caller that is not an operator asks; 400 if {@code raw} is not
   *     a boolean
   */
  public static boolean hidden(String raw) {
    boolean asked = ListParams.hidden(raw);
    if (asked && !caller().operator()) {
      throw forbidden(
          "only operators may list hidden nodes and flows (hidden=true); leave it out to list the"
              + " visible ones");
    }
    return asked;
  }

  /**
   * Requires an operator.
   *
   * @param what what the caller tried, e.g. {@code register nodes}
   */
  public static void operator(String what) {
    if (!caller().operator()) {
      throw forbidden("only operators may " + what);
    }
  }

  /**
   * Before a node's body is read: the caller must be a node's client or an operator, else 403 (a
   * person's token never announces a node).
   */
  public static void someNodeOrOperator(String what) {
    Caller c = caller();
    if (!c.operator() && c.nodeClient() == null) {
      throw forbidden("only a node's own client token (node:{name}) or an operator may " + what);
    }
  }

  /**
   * The caller must be node {@code node}'s own client or an operator: a node cannot announce or
   * silence another node.
   */
  public static void node(String node, String what) {
    Caller c = caller();
    if (c.operator() || node.equals(c.nodeClient())) return;
    if (c.nodeClient() == null) someNodeOrOperator(what);
    throw forbidden(
        "a node cannot announce or silence another node: this token is node '"
            + ApiException.shorten(c.nodeClient())
            + "''s, not node '"
            + ApiException.shorten(node)
            + "''s; only that node's own client token or an operator may "
            + what);
  }

  /**
   * The caller must be the client of peer registry {@code peer} ({@code node:{peer}}) or an
   * operator: a registry pushes only its own export.
   */
  public static void peer(String peer) {
    Caller c = caller();
    if (c.operator() || peer.equals(c.nodeClient())) return;
    throw forbidden(
        "a registry can push only its own export: registry '"
            + ApiException.shorten(peer)
            + "' pushes with its own client token (node:"
            + ApiException.shorten(peer)
            + ", its kodo.registry.name) or an operator's, and this token is "
            + (c.nodeClient() == null
                ? "not a registry's"
                : "node '" + ApiException.shorten(c.nodeClient()) + "''s"));
  }

  private static ApiException forbidden(String detail) {
    return new ApiException(HttpStatus.FORBIDDEN, "Forbidden", detail, null);
  }
}
