package dev.kodo.store.internal;

import dev.kodo.client.KodoException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/** Brings a store's database to the current schema with Flyway before it is used. */
final class Migrations {
  private Migrations() {}

  static void migrate(Backend backend) {
    FluentConfiguration config = Flyway.configure(Migrations.class.getClassLoader());
    backend.configure(config);
    try {
      config.load().migrate();
    } catch (FlywayException e) {
      throw new KodoException(
          "cannot migrate the event store " + backend.describe() + ": " + backend.safe(e.getMessage()), e);
    }
  }
}
