package dev.kodo.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The event store contract on the PostgreSQL at 127.0.0.1:5432 (database {@code test}, user {@code
 * postgres}), in a schema of its own that is dropped afterwards.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class PostgresEventStoreIT extends EventStoreContract {
  private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final String USER = "postgres";
  private static final String SCHEMA =
      "kodo_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  @Override
  protected EventStore openStore() {
    return EventStores.open(new StoreOptions(URL, USER, null, SCHEMA));
  }

  @AfterAll
  static void dropSchema() throws SQLException {
    try (Connection c = DriverManager.getConnection(URL, USER, null);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }
  }

  @Test
  void theTablesLiveInTheStoresSchema() throws SQLException {
    try (Connection c = DriverManager.getConnection(URL, USER, null);
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name")) {
      ps.setString(1, SCHEMA);
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      assertThat(tables).contains("events", "runs", "shares");
    }
  }
}
