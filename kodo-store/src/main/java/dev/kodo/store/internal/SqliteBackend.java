package dev.kodo.store.internal;

import dev.kodo.client.KodoException;
import dev.kodo.store.Durability;
import dev.kodo.store.StoreDatabase;
import dev.kodo.store.StoreOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.sqlite.SQLiteConnection;

/**
 * A SQLite file in WAL mode: one write connection, a few read connections, and a {@link
 * Checkpointer} that moves the WAL into the database in the background, so commits never wait for a
 * checkpoint. {@link Durability#FSYNC} is {@code synchronous=FULL} (the WAL is synced at every
 * commit), {@link Durability#NORMAL} is {@code synchronous=NORMAL} (synced at checkpoints only).
 */
final class SqliteBackend implements Backend {
  private static final int BUSY_TIMEOUT_MILLIS = 10_000;
  private static final long WAL_SIZE_LIMIT_BYTES = 64L << 20;
  private static final int READERS = 4;

  private final StoreOptions options;
  private final StoreDatabase.Layout layout;
  private final String url;
  private final Path file;

  SqliteBackend(StoreOptions options, StoreDatabase.Layout layout) {
    this.options = options;
    this.layout = layout;
    this.url = options.url();
    this.file = fileOf(options, layout);
  }

  private static Path fileOf(StoreOptions options, StoreDatabase.Layout layout) {
    String url = options.url();
    String name = url.substring("jdbc:sqlite:".length());
    if (name.startsWith("file:")) {
      name = name.substring("file:".length());
    }
    int query = name.indexOf('?');
    String params = query < 0 ? "" : name.substring(query);
    name = query < 0 ? name : name.substring(0, query);
    if (name.isBlank() || name.equals(":memory:") || params.contains("mode=memory")) {
      throw new KodoException(
          "the "
              + layout.what()
              + " needs a SQLite file, not '"
              + options.safeUrl()
              + "': every connection to an in-memory database sees a different one; use a file in a"
              + " temporary directory instead");
    }
    return Path.of(name).toAbsolutePath();
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
    return "SQLite " + file;
  }

  @Override
  public void prepare() {
    Path dir = file.getParent();
    try {
      if (dir != null) {
        Files.createDirectories(dir);
      }
    } catch (IOException e) {
      throw new KodoException(
          "cannot create the directory "
              + dir
              + " for the "
              + layout.what()
              + " "
              + file
              + ": "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public void configure(FluentConfiguration flyway) {
    flyway.dataSource(url, null, null).locations("classpath:" + layout.migrations() + "/sqlite");
  }

  @Override
  public Connection openWriter() throws SQLException {
    Connection c =
        Backend.setUp(
            open(),
            s -> {
              s.execute("PRAGMA journal_mode=WAL");
              s.execute("PRAGMA wal_autocheckpoint=0");
              s.execute("PRAGMA journal_size_limit=" + WAL_SIZE_LIMIT_BYTES);
            });
    c.setAutoCommit(false);
    return c;
  }

  @Override
  public Connection openReader() throws SQLException {
    return Backend.setUp(open(), s -> s.execute("PRAGMA query_only=ON"));
  }

  private Connection open() throws SQLException {
    return Backend.setUp(
        DriverManager.getConnection(url),
        s -> {
          s.execute("PRAGMA busy_timeout=" + BUSY_TIMEOUT_MILLIS);
          s.execute(
              "PRAGMA synchronous="
                  + (options.durability() == Durability.FSYNC ? "FULL" : "NORMAL"));
        });
  }

  @Override
  public AutoCloseable startMaintenance() throws SQLException {
    return new Checkpointer(open(), describe());
  }

  @Override
  public int readers() {
    return READERS;
  }

  @Override
  public void interrupt(Connection c) throws SQLException {
    c.unwrap(SQLiteConnection.class).getDatabase().interrupt();
  }
}
