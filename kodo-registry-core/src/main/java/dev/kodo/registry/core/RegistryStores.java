package dev.kodo.registry.core;

import dev.kodo.client.Check;
import dev.kodo.registry.core.internal.JdbcRegistryStore;
import dev.kodo.store.StoreOptions;
import java.nio.file.Path;

/**
 * Opens a {@link RegistryStore} for a JDBC URL ({@code jdbc:sqlite:} or {@code jdbc:postgresql:}),
 * configured like the event store ({@link StoreOptions}). The tables are created or migrated
 * (Flyway, history table {@code registry_schema_history}) before the store is returned; they are
 * prefixed {@code registry_}, so they may share a database or schema with the event store.
 *
 * <pre>{@code
 * try (RegistryStore store = RegistryStores.open(RegistryStores.sqlite(dataDir))) {
 *   index.restore(store.load());
 * }
 * }</pre>
 */
public final class RegistryStores {
  private RegistryStores() {}

  /** The embedded default: a SQLite file {@code registry.db} in the data directory. */
  public static StoreOptions sqlite(Path dataDir) {
    return new StoreOptions(
        "jdbc:sqlite:" + dataDir.resolve("registry.db").toAbsolutePath(), null, null, null);
  }

  /**
   * Opens the store; close it when done.
   *
   * @throws dev.kodo.client.KodoException if the URL names no supported database, or the database
   *     cannot be reached or migrated
   */
  public static RegistryStore open(StoreOptions options) {
    return JdbcRegistryStore.open(Check.notNull(options, "store options"));
  }
}
