package dev.kodo.registryservice;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The registry's configuration under {@code kodo.registry.*}, overridable by {@code KODO_REGISTRY_*}
 * environment variables (e.g. {@code KODO_REGISTRY_DATA}, {@code KODO_REGISTRY_NAME}).
 */
@ConfigurationProperties("kodo.registry")
public class RegistryProperties {
  /** This registry's name: the origin of its own nodes when peers import them. */
  private String name = "registry";
  /** Where the registry keeps its data (the SQLite file registry.db). */
  private Path data = Path.of("data");
  /** A node whose last heartbeat is older than this is offline. */
  private Duration heartbeatTimeout = Duration.ofSeconds(300);
  private final dev.kodo.store.StoreSettings store = new dev.kodo.store.StoreSettings();

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Path getData() {
    return data;
  }

  public void setData(Path data) {
    this.data = data;
  }

  public Duration getHeartbeatTimeout() {
    return heartbeatTimeout;
  }

  public void setHeartbeatTimeout(Duration heartbeatTimeout) {
    this.heartbeatTimeout = heartbeatTimeout;
  }

  public dev.kodo.store.StoreSettings getStore() {
    return store;
  }

}
