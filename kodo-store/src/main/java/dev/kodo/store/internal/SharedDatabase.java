package dev.kodo.store.internal;

import dev.kodo.client.Check;
import dev.kodo.client.KodoException;
import dev.kodo.store.StoreDatabase;
import dev.kodo.store.StoreOptions;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * {@link StoreDatabase} on the event store's own {@link Backend}s, migrations and error handling.
 */
public final class SharedDatabase implements StoreDatabase {
  private final Backend backend;
  private final AutoCloseable maintenance;

  private SharedDatabase(Backend backend, AutoCloseable maintenance) {
    this.backend = backend;
    this.maintenance = maintenance;
  }

  public static StoreDatabase open(StoreOptions options, Layout layout) {
    Check.notNull(options, "store options");
    Check.notNull(layout, "layout");
    Backend backend = Backend.of(options, layout);
    backend.prepare();
    Migrations.migrate(backend);
    try {
      return new SharedDatabase(backend, backend.startMaintenance());
    } catch (SQLException e) {
      throw SqlErrors.wrap("open the " + layout.what() + " " + backend.describe(), e);
    }
  }

  public static KodoException failure(String what, SQLException e) {
    return SqlErrors.wrap(what, e);
  }

  @Override
  public String describe() {
    return backend.describe();
  }

  @Override
  public Connection openWriter() throws SQLException {
    return backend.openWriter();
  }

  @Override
  public void close() {
    try {
      maintenance.close();
    } catch (Exception e) {
      // stopping the upkeep is best effort
    }
  }
}
