package dev.kodo.store.internal;

import dev.kodo.client.KodoException;
import dev.kodo.store.Durability;
import dev.kodo.store.StoreDatabase;
import dev.kodo.store.StoreOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.regex.Pattern;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.postgresql.PGConnection;

/**
 * A PostgreSQL database, optionally in its own schema: a writer connection plus a few readers.
 * {@link Durability#NORMAL} turns {@code synchronous_commit} off on the writer's connection.
 */
final class PostgresBackend implements Backend {
  private static final Pattern SCHEMA_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
  private static final int READERS = 4;

  private final StoreOptions options;
  private final StoreDatabase.Layout layout;
  private final String url;
  private final String user;
  private final String password;
  private final String schema;

  PostgresBackend(StoreOptions options, StoreDatabase.Layout layout) {
    this.options = options;
    this.layout = layout;
    this.url = options.url();
    this.user = options.user();
    this.password = options.password();
    this.schema = options.schema();
  }

  @Override
  public StoreOptions options() {
    return options;
  }

  @Override
  public StoreDatabase.Layout layout() {
    return layout;
  }

  @Override
  public String describe() {
    return "PostgreSQL "
        + options.safeUrl()
        + (schema == null ? "" : " schema " + schema)
        + (user == null ? "" : " as " + user);
  }

  @Override
  public void prepare() {
    if (schema != null && !SCHEMA_NAME.matcher(schema).matches()) {
      throw new KodoException(
          "invalid PostgreSQL schema name '"
              + schema
              + "' for the "
              + layout.what()
              + " "
              + options.safeUrl()
              + ": use letters, digits and '_' (at most 63), not starting with a digit");
    }
  }

  @Override
  public void configure(FluentConfiguration flyway) {
    flyway
        .dataSource(url, user, password)
        .locations("classpath:" + layout.migrations() + "/postgresql");
    if (schema != null) {
      flyway.schemas(schema).defaultSchema(schema).createSchemas(true);
    }
  }

  @Override
  public Connection openWriter() throws SQLException {
    Connection c =
        Backend.setUp(
            open(),
            s ->
                s.execute(
                    "SET synchronous_commit = "
                        + (options.durability() == Durability.FSYNC ? "on" : "off")));
    c.setAutoCommit(false);
    return c;
  }

  @Override
  public Connection openReader() throws SQLException {
    // A second guard beside the pool's own deadline: the server stops the statement even if the
    // cancel is lost.
    return Backend.setUp(
        open(),
        s -> s.execute("SET statement_timeout = " + (options.readTimeout().toMillis() + 1_000)));
  }

  @Override
  public void interrupt(Connection c) throws SQLException {
    c.unwrap(PGConnection.class).cancelQuery();
  }

  private Connection open() throws SQLException {
    Properties p = new Properties();
    if (user != null) {
      p.setProperty("user", user);
    }
    if (password != null) {
      p.setProperty("password", password);
    }
    p.setProperty("reWriteBatchedInserts", "true");
    p.setProperty("ApplicationName", layout.applicationName());
    Connection c = DriverManager.getConnection(url, p);
    try {
      if (schema != null) {
        c.setSchema(schema);
      }
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  @Override
  public int readers() {
    return READERS;
  }
}
