package dev.kodo.registry.internal;

import dev.kodo.client.KodoException;
import dev.kodo.store.StoreOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * The registry store's database: SQLite (a file in WAL mode) or PostgreSQL (optionally in its own
 * schema), migrated with Flyway on open, reached through one connection that runs one transaction
 * at a time. The registry writes little — admin changes, connects, and batched heartbeat state —
 * so one connection serves it; reads beyond the start-up load are rare. Thread-safe.
 *
 * <p>The migrations keep their own history table ({@code registry_schema_history}) and baseline
 * an existing database, so the registry's tables can live beside the event store's.
 */
final class Database implements AutoCloseable {
  /** Work done in one transaction. */
  @FunctionalInterface
  interface Work<T> {
    T apply(Connection c) throws SQLException;
  }

  private static final Pattern SCHEMA_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
  private static final int SQLITE_BUSY = 5;
  private static final int SQLITE_LOCKED = 6;

  private final StoreOptions options;
  private final boolean sqlite;
  private final String describe;
  private final ReentrantLock lock = new ReentrantLock();
  private Connection connection;
  private volatile boolean closed;

  private Database(StoreOptions options, boolean sqlite, String describe) {
    this.options = options;
    this.sqlite = sqlite;
    this.describe = describe;
  }

  static Database open(StoreOptions options) {
    String url = options.url();
    Database db;
    if (url.startsWith("jdbc:sqlite:")) {
      Path file = sqliteFile(options);
      db = new Database(options, true, "SQLite " + file);
      createDirectory(file, db.describe);
    } else if (url.startsWith("jdbc:postgresql:")) {
      if (options.schema() != null && !SCHEMA_NAME.matcher(options.schema()).matches()) {
        throw new KodoException("invalid PostgreSQL schema name '" + options.schema() + "' for the registry store "
            + options.safeUrl() + ": use letters, digits and '_' (at most 63), not starting with a digit");
      }
      db = new Database(options, false, "PostgreSQL " + options.safeUrl()
          + (options.schema() == null ? "" : " schema " + options.schema()));
    } else {
      throw new KodoException("unsupported registry store URL '" + options.safeUrl()
          + "': use jdbc:sqlite:/path/registry.db or jdbc:postgresql://host:port/database");
    }
    db.migrate();
    return db;
  }

  String describe() {
    return describe;
  }

  boolean sqlite() {
    return sqlite;
  }

  private static Path sqliteFile(StoreOptions options) {
    String name = options.url().substring("jdbc:sqlite:".length());
    if (name.startsWith("file:")) name = name.substring("file:".length());
    int q = name.indexOf('?');
    String params = q < 0 ? "" : name.substring(q);
    name = q < 0 ? name : name.substring(0, q);
    if (name.isBlank() || name.equals(":memory:") || params.contains("mode=memory")) {
      throw new KodoException("the registry store needs a SQLite file, not '" + options.safeUrl()
          + "': use a file (in a temporary directory for tests)");
    }
    return Path.of(name).toAbsolutePath();
  }

  private static void createDirectory(Path file, String describe) {
    try {
      if (file.getParent() != null) Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new KodoException("cannot create the directory of the registry store " + describe + ": " + e.getMessage(), e);
    }
  }

  private void migrate() {
    FluentConfiguration config = Flyway.configure(Database.class.getClassLoader())
        .dataSource(options.url(), options.user(), options.password())
        .locations("classpath:db/kodo-registry/" + (sqlite ? "sqlite" : "postgresql"))
        .table("registry_schema_history")
        .baselineOnMigrate(true)
        .baselineVersion("0");
    if (!sqlite && options.schema() != null) {
      config.schemas(options.schema()).defaultSchema(options.schema()).createSchemas(true);
    }
    try {
      config.load().migrate();
    } catch (FlywayException e) {
      String message = safe(e.getMessage());
      Throwable cause = message.equals(e.getMessage()) ? e : e.getCause();
      throw new KodoException("cannot migrate the registry store " + describe + ": " + message, cause);
    }
  }

  private String safe(String text) {
    return String.valueOf(text).replace(options.url(), options.safeUrl());
  }

  private Connection connect() throws SQLException {
    Properties p = new Properties();
    if (options.user() != null) p.setProperty("user", options.user());
    if (options.password() != null) p.setProperty("password", options.password());
    if (!sqlite) {
      p.setProperty("reWriteBatchedInserts", "true");
      p.setProperty("ApplicationName", "kodo-registry");
    }
    Connection c = DriverManager.getConnection(options.url(), p);
    try (Statement s = c.createStatement()) {
      if (sqlite) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=NORMAL");
        s.execute("PRAGMA busy_timeout=10000");
      } else if (options.schema() != null) {
        c.setSchema(options.schema());
      }
      c.setAutoCommit(false);
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /**
   * Runs {@code work} in a transaction, committed if it returns and rolled back if it throws.
   *
   * @param what what the work does, naming the node, for the message of a failure
   * @throws KodoException saying what failed and why; retryable if the database was unavailable or busy
   */
  <T> T transaction(String what, Work<T> work) {
    lock.lock();
    try {
      if (closed) {
        throw new KodoException("cannot " + what + ": the registry store " + describe + " is closed");
      }
      if (connection == null) {
        connection = connect();
      }
      try {
        T result = work.apply(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollback();
        throw e;
      }
    } catch (SQLException e) {
      dropIfBroken();
      String message = "cannot " + what + " in the registry store " + describe + ": " + reason(e);
      throw retryable(e) ? KodoException.retryable(message, e) : new KodoException(message, e);
    } finally {
      lock.unlock();
    }
  }

  private void rollback() {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the connection is checked and replaced below if it is broken
    }
  }

  private void dropIfBroken() {
    try {
      if (connection != null && !connection.isValid(2)) {
        connection.close();
        connection = null;
      }
    } catch (SQLException e) {
      connection = null;
    }
  }

  private static String reason(SQLException e) {
    SQLException cause = e.getNextException() != null ? e.getNextException() : e;
    String reason = String.valueOf(cause.getMessage()).strip();
    return reason.length() <= 500 ? reason : reason.substring(0, 500) + "…";
  }

  private static boolean retryable(SQLException s) {
    String state = s.getSQLState();
    return s instanceof SQLTransientException
        || s instanceof SQLRecoverableException
        || (state != null && (state.startsWith("08") || state.startsWith("40") || state.startsWith("57P")))
        || s.getErrorCode() == SQLITE_BUSY
        || s.getErrorCode() == SQLITE_LOCKED;
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      if (connection != null) {
        connection.close();
        connection = null;
      }
    } catch (SQLException ignored) {
      // closing is best effort
    } finally {
      lock.unlock();
    }
  }
}
