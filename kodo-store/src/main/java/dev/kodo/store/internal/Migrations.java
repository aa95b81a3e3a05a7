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
      String message = backend.safe(e.getMessage());
      // Flyway quotes the URL, which may hold a password: then keep only the driver's error as the cause.
      Throwable cause = message.equals(e.getMessage()) ? e : e.getCause();
      throw new KodoException("cannot migrate the event store " + backend.describe() + ": " + message, cause);
    }
  }
}
