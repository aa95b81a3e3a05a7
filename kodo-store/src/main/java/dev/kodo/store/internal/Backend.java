package dev.kodo.store.internal;

import dev.kodo.client.KodoException;
import dev.kodo.store.StoreOptions;
import java.sql.Connection;
import java.sql.SQLException;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * What differs between the databases a store can live in: how to reach them, how to set up a
 * connection and where the migrations are. Everything else (SQL, batching, folding) is shared.
 */
sealed interface Backend permits SqliteBackend, PostgresBackend {

  /** The backend for the options' JDBC URL. */
  static Backend of(StoreOptions options) {
    String url = options.url();
    if (url.startsWith("jdbc:sqlite:")) {
      return new SqliteBackend(options);
    }
    if (url.startsWith("jdbc:postgresql:")) {
      return new PostgresBackend(options);
    }
    throw new KodoException("unsupported event store URL '" + options.safeUrl()
        + "': use jdbc:sqlite:/path/kodo.db or jdbc:postgresql://host:port/database");
  }

  StoreOptions options();

  /** Where the store lives, safe to log: no password. */
  String describe();

  /** {@code text} (a driver's or Flyway's message) with the URL in it replaced by its safe form. */
  default String safe(String text) {
    return String.valueOf(text).replace(options().url(), options().safeUrl());
  }

  /** Makes the database reachable before the first connection (a directory, a schema name check). */
  void prepare();

  /** Points Flyway at this database and its migrations. */
  void configure(FluentConfiguration flyway);

  /** A new connection set up for the writer ({@code autoCommit} off). */
  Connection openWriter() throws SQLException;

  /** A new connection set up for reads ({@code autoCommit} on). */
  Connection openReader() throws SQLException;

  /** Starts the backend's background upkeep (closed with the store); none by default. */
  default AutoCloseable startMaintenance() throws SQLException {
    return () -> {};
  }

  /** How many read connections to keep. */
  int readers();
}
