package dev.kodo.store.internal;

import dev.kodo.client.KodoException;
import dev.kodo.store.StoreDatabase;
import dev.kodo.store.StoreOptions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * What differs between the databases a store can live in: how to reach them, how to set up a
 * connection and where the migrations are. Everything else (SQL, batching, folding) is shared.
 * Implemented by {@link SqliteBackend} and {@link PostgresBackend} (tests wrap one to inject
 * faults).
 */
interface Backend {

  /** What the event store keeps: its tables, migrations and history. */
  StoreDatabase.Layout EVENTS =
      new StoreDatabase.Layout("event store", "db/kodo", "kodo_schema_history", "kodo-store");

  /** The backend for the options' JDBC URL, holding the tables of {@code layout}. */
  static Backend of(StoreOptions options, StoreDatabase.Layout layout) {
    String url = options.url();
    if (url.startsWith("jdbc:sqlite:")) {
      return new SqliteBackend(options, layout);
    }
    if (url.startsWith("jdbc:postgresql:")) {
      return new PostgresBackend(options, layout);
    }
    throw new KodoException(
        "unsupported "
            + layout.what()
            + " URL '"
            + options.safeUrl()
            + "': use jdbc:sqlite:/path/file.db or jdbc:postgresql://host:port/database");
  }

  StoreOptions options();

  /** Statements that set up a new connection. */
  @FunctionalInterface
  interface Setup {
    void apply(Statement s) throws SQLException;
  }

  /** Sets up the new connection {@code c} with {@code setup}; closes it if that fails. */
  static Connection setUp(Connection c, Setup setup) throws SQLException {
    try (Statement s = c.createStatement()) {
      setup.apply(s);
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** What is kept in it. */
  StoreDatabase.Layout layout();

  /** Where the store lives, safe to log: no password. */
  String describe();

  /** {@code text} (a driver's or Flyway's message) with the URL in it replaced by its safe form. */
  default String safe(String text) {
    return String.valueOf(text).replace(options().url(), options().safeUrl());
  }

  /**
   * Makes the database reachable before the first connection (a directory, a schema name check).
   */
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

  /**
   * Cancels what runs on {@code c} right now (another thread may call this while a statement runs);
   * the statement fails with an error. Does nothing if nothing runs.
   */
  void interrupt(Connection c) throws SQLException;
}
