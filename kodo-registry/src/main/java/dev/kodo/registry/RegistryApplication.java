package dev.kodo.registry;

import dev.kodo.web.WebConfig;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * The registry alone ({@code koco registry}; docs/architecture.md#the-registry): the HTTP service
 * where admins register nodes, nodes announce their flows and heartbeat, clients find flows to
 * launch, and registries federate. Everything it serves is {@link RegistryModule}; {@link #start}
 * runs it (port 3371 on 127.0.0.1 by default); the tests use it too.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({WebConfig.class, RegistryModule.class})
public class RegistryApplication {

  /**
   * Starts a registry with Spring Boot arguments such as {@code --server.port=0} or {@code
   * --kodo.registry.data=/tmp/x}.
   */
  public static ConfigurableApplicationContext start(String... args) {
    return start(new Class<?>[0], args);
  }

  /**
   * Starts a registry with more Spring configuration beside it, such as the registry's pages
   * (kodo-ui's {@code RegistryUiAlone}, docs/ui.md#registry-pages), which this module does not
   * know.
   */
  public static ConfigurableApplicationContext start(Class<?>[] extra, String... args) {
    Class<?>[] sources = new Class<?>[extra.length + 1];
    sources[0] = RegistryApplication.class;
    System.arraycopy(extra, 0, sources, 1, extra.length);
    SpringApplication app = new SpringApplication(sources);
    app.setAdditionalProfiles("kodo-registry");
    return app.run(args);
  }

  public static void main(String[] args) {
    start(args);
  }
}
