package dev.kodo.cli;

import dev.kodo.client.Connect;
import dev.kodo.client.Heartbeat;
import dev.kodo.node.registry.LocalRegistry;
import dev.kodo.registry.nodes.NodesInProcess;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Joins node and registry when {@link Servers} composes them in one process ({@code koco serve},
 * {@code kodo.registry.enabled} true): the node's {@link LocalRegistry} is an adapter over the
 * registry's {@link NodesInProcess}, so that the node registers itself there out of the box and
 * announces itself by method calls (no HTTP, no token; docs/security.md) while neither service
 * knows the other. Off, like the registry's configuration, when the registry is. The adapter holds
 * no state of its own and is as thread-safe as the registry.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "kodo.registry.enabled", havingValue = "true", matchIfMissing = true)
class RegistryBesideNode {

  /** The registry in this process, as the node's announcer needs it. */
  @Bean
  LocalRegistry localRegistry(NodesInProcess nodes) {
    return new LocalRegistry() {
      @Override
      public void register(String node) {
        nodes.register(node);
      }

      @Override
      public List<String> connect(Connect connect) {
        return nodes.connect(connect);
      }

      @Override
      public boolean heartbeat(Heartbeat heartbeat) {
        return nodes.heartbeat(heartbeat);
      }

      @Override
      public void disconnect(String node) {
        nodes.disconnect(node);
      }
    };
  }
}
