package dev.kodo.registryservice;

import dev.kodo.registry.Registry;
import dev.kodo.registry.RegistryOptions;
import dev.kodo.store.StoreOptions;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The registry (DESIGN §1, §5): the HTTP service where admins register nodes, nodes announce their
 * flows and heartbeat, and clients find flows to launch. The logic is {@link Registry}
 * (kodo-registry-core); this service is its HTTP layer. {@link #start} runs it alone (port 3371 on
 * 127.0.0.1 by default); the tests use it too.
 */
@SpringBootApplication
@org.springframework.context.annotation.Import(dev.kodo.web.WebConfig.class)
@EnableConfigurationProperties(RegistryProperties.class)
public class RegistryApplication {

  /** Starts a registry with Spring Boot arguments such as {@code --server.port=0} or {@code --kodo.registry.data=/tmp/x}. */
  public static ConfigurableApplicationContext start(String... args) {
    SpringApplication app = new SpringApplication(RegistryApplication.class);
    app.setAdditionalProfiles("kodo-registry");
    return app.run(args);
  }

  public static void main(String[] args) {
    start(args);
  }

  /** The registry's core: its store (SQLite in the data directory unless a URL is set) loaded into its index. */
  @Bean(destroyMethod = "close")
  Registry registry(RegistryProperties p) {
    StoreOptions store = p.getStore().options(p.getData(), "registry.db");
    return Registry.open(RegistryOptions.builder(store)
        .name(p.getName())
        .heartbeatTimeout(p.getHeartbeatTimeout())
        .build());
  }
}
