package dev.kodo.store;

import dev.kodo.client.KodoException;
import dev.kodo.store.internal.SharedDatabase;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A database some part of Kodo keeps its own tables in, reached the way the event store reaches its
 * own: SQLite (a file in WAL mode, checkpointed in the background) or PostgreSQL (optionally in its
 * own schema), migrated with Flyway on open from the part's own migrations and history table, so
 * several parts can share one database. The registry's store is built on it.
 *
 * <pre>{@code
 * StoreDatabase db = StoreDatabase.open(options, new StoreDatabase.Layout(
 *     "registry store", "db/kodo-registry", "registry_schema_history", "kodo-registry"));
 * try (Connection c = db.openWriter()) { … }
 * }</pre>
 */
public interface StoreDatabase extends AutoCloseable {

  /**
   * What a part keeps in the database.
   *
   * @param what how messages name it, e.g. {@code "registry store"}
   * @param migrations the classpath folder of its Flyway migrations, with {@code sqlite/} and
   *     {@code postgresql/} below it
   * @param historyTable its own Flyway history table
   * @param applicationName how its PostgreSQL connections introduce themselves
   */
  record Layout(String what, String migrations, String historyTable, String applicationName) {}

  /**
   * Makes the database reachable (a directory, a schema name check), migrates it and starts its
   * upkeep.
   *
   * @throws KodoException saying what is wrong with the options or the database
   */
  static StoreDatabase open(StoreOptions options, Layout layout) {
    return SharedDatabase.open(options, layout);
  }

  /**
   * Why a database call failed, as a {@link KodoException} saying {@code what} failed: retryable
   * when the database was only unavailable or busy; the database's own error, not a batch's echo.
   */
  static KodoException failure(String what, SQLException e) {
    return SharedDatabase.failure(what, e);
  }

  /** Where the database is, safe to log: no password. */
  String describe();

  /** A new connection for writes, {@code autoCommit} off; the caller closes it. */
  Connection openWriter() throws SQLException;

  /** Stops the upkeep; connections handed out are the callers' to close. */
  @Override
  void close();
}
