package dev.kodo.node.registry;

/**
 * A registry served by this same process ({@code koco serve}), as the node needs it: to register
 * the node so that its handshake is accepted out of the box. The node knows no registry
 * implementation; the composition root that puts node and registry in one process (kodo-cli's
 * {@code Servers}) provides this as a bean, and {@link RegistryAnnouncer} then connects to the
 * registry on the node's own port. Without such a bean the node only knows the registries it is
 * configured with. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface LocalRegistry {
  /** Registers {@code node} (a node name); registering a registered node changes nothing. */
  void register(String node);
}
