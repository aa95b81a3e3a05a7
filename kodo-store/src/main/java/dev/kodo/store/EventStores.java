package dev.kodo.store;

import dev.kodo.store.internal.JdbcEventStore;

/**
 * The entry point of this module: opens an {@link EventStore} for a JDBC URL. The backend follows
 * from the URL ({@code jdbc:sqlite:} or {@code jdbc:postgresql:}); the tables are created or
 * migrated (Flyway) before the store is returned. A SQLite file's directory is created if missing;
 * a PostgreSQL {@code schema} is created if missing and used for every table. The returned store is
 * thread-safe and should be shared: it owns a writer thread and a few connections.
 *
 * <pre>{@code
 * try (EventStore store = EventStores.open(StoreOptions.sqlite(dataDir))) {
 *   store.create(new NewRun(fid, "hello.yaml", null, Instant.now(), "{}"), List.of()).join();
 * }
 * }</pre>
 */
public final class EventStores {
  private EventStores() {}

  /**
   * Opens the store; close it when done.
   *
   * @throws dev.kodo.client.KodoException if the URL names no supported database, or the database
   *     cannot be reached or migrated
   */
  public static EventStore open(StoreOptions options) {
    return JdbcEventStore.open(options);
  }
}
