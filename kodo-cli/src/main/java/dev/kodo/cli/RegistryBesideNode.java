package dev.kodo.cli;

import dev.kodo.node.registry.LocalRegistry;
import dev.kodo.registry.core.Registry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Joins node and registry when {@link Servers} composes them in one process ({@code koco serve},
 * {@code kodo.registry.enabled} true): the node's {@link LocalRegistry} is an adapter over the
 * registry-core {@link Registry}, so that the node registers itself there out of the box while
 * neither service knows the other. Off, like the registry's configuration, when the registry is.
 * The adapter holds no state of its own and is as thread-safe as {@link Registry}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "kodo.registry.enabled", havingValue = "true", matchIfMissing = true)
class RegistryBesideNode {

  /** The registry in this process, as the node's announcer needs it. */
  @Bean
  LocalRegistry localRegistry(Registry registry) {
    return registry::register;
  }
}
