package dev.kodo.store.internal;

import dev.kodo.client.KodoException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * Brings a store's database to the current schema with Flyway before it is used. Each part (the
 * event store, the registry's store) keeps its own history table and baselines at version 0, so
 * they can share a database (or schema), whichever of them created its tables first.
 */
final class Migrations {
  private Migrations() {}

  static void migrate(Backend backend) {
    FluentConfiguration config = Flyway.configure(Migrations.class.getClassLoader());
    backend.configure(config);
    config.table(backend.layout().historyTable()).baselineOnMigrate(true).baselineVersion("0");
    try {
      config.load().migrate();
    } catch (FlywayException e) {
      String message = backend.safe(e.getMessage());
      // Flyway quotes the URL, which may hold a password: then keep only the driver's error as the
      // cause.
      Throwable cause = message.equals(e.getMessage()) ? e : e.getCause();
      throw new KodoException(
          "cannot migrate the "
              + backend.layout().what()
              + " "
              + backend.describe()
              + ": "
              + message,
          cause);
    }
  }
}
