package dev.kodo.registry;

import dev.kodo.registry.core.Registry;
import dev.kodo.registry.core.RegistryOptions;
import dev.kodo.registry.outbound.AllowedTargets;
import dev.kodo.registry.outbound.OutboundHttp;
import dev.kodo.store.StoreOptions;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/**
 * The registry as a part of a Spring application: its core, its HTTP endpoints under {@code
 * /registry}, its prober, federation and cleanup. {@link RegistryApplication} serves it alone; a
 * node imports it and serves it on its own port when {@code kodo.registry.enabled} is true ({@code
 * koco serve}), so the same paths answer either way (docs/http-api.md).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "kodo.registry.enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(RegistryProperties.class)
@ComponentScan(
    basePackages = {
      "dev.kodo.registry.admin",
      "dev.kodo.registry.flows",
      "dev.kodo.registry.metrics",
      "dev.kodo.registry.nodes",
      "dev.kodo.registry.federation",
      "dev.kodo.registry.upkeep",
      "dev.kodo.registry.web"
    })
public class RegistryModule {

  /**
   * The registry's core: its store (SQLite in the data directory unless a URL is set) loaded into
   * its index.
   */
  @Bean(destroyMethod = "close")
  Registry registry(RegistryProperties p) {
    StoreOptions store = p.getStore().options(p.getData(), "registry.db");
    return Registry.open(
        RegistryOptions.builder(store)
            .name(p.getName())
            .heartbeatTimeout(p.getHeartbeatTimeout())
            .staleAfter(p.getStaleAfter())
            .maxNodes(p.getMaxNodes())
            .maxFlowsPerNode(p.getMaxFlowsPerNode())
            .maxPeers(p.getMaxPeers())
            .build());
  }

  /**
   * Where the registry may send requests: {@code kodo.registry.allowed-targets}, by default judged
   * by {@code server.address}.
   */
  @Bean
  AllowedTargets registryAllowedTargets(
      RegistryProperties p, @Value("${server.address:}") String bindAddress) {
    return AllowedTargets.of(p.getAllowedTargets(), bindAddress);
  }

  /** The registry's requests to nodes and peers (probes, pulls, pushes). */
  @Bean(destroyMethod = "close")
  OutboundHttp registryOutboundHttp(AllowedTargets targets) {
    return new OutboundHttp(targets, null);
  }
}
