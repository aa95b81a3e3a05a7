package dev.kodo.node.registry;

import dev.kodo.client.Connect;
import dev.kodo.client.Heartbeat;
import java.util.List;

/**
 * A registry served by this same process ({@code koco serve}), as the node needs it: to register
 * the node so that its handshake is accepted out of the box, and to announce the node by method
 * calls rather than HTTP — so no token is needed for it, with auth on or off
 * (docs/security.md#registry-reads-nodes-and-peers). The node knows no registry implementation; the
 * composition root that puts node and registry in one process (kodo-cli's {@code Servers}) provides
 * this as a bean, and {@link RegistryAnnouncer} then announces the node to it under the node's own
 * URL. Without such a bean the node only knows the registries it is configured with.
 * Implementations must be thread-safe.
 */
public interface LocalRegistry {
  /** Registers {@code node} (a node name); registering a registered node changes nothing. */
  void register(String node);

  /**
   * The node's handshake.
   *
   * @return one line per flow the registry left out, with why; empty when it took them all
   * @throws RuntimeException when the registry refuses the handshake (e.g. the node is not
   *     registered, or its URL is not valid)
   */
  List<String> connect(Connect connect);

  /** A heartbeat; false when the registry dropped the node, which must then connect again. */
  boolean heartbeat(Heartbeat heartbeat);

  /** The node's goodbye; nothing if the registry does not know it. */
  void disconnect(String node);
}
