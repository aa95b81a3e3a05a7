package dev.kodo.registry.core;

import static dev.kodo.registry.core.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.client.KodoException;
import dev.kodo.store.EventStore;
import dev.kodo.store.EventStores;
import dev.kodo.store.RunQuery;
import dev.kodo.store.StoreOptions;
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
 * The store contract on the PostgreSQL at 127.0.0.1:5432 (database {@code test}, user {@code
 * postgres}), in a schema of its own that is dropped afterwards.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class PostgresRegistryStoreIT extends RegistryStoreContract {
  private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final String USER = "postgres";
  private static final String SCHEMA = schema();
  private static final String SHARED = schema();

  private static String schema() {
    return "kodo_reg_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  @Override
  protected RegistryStore openStore() {
    return RegistryStores.open(new StoreOptions(URL, USER, null, SCHEMA));
  }

  @AfterAll
  static void dropSchemas() throws SQLException {
    try (Connection c = DriverManager.getConnection(URL, USER, null);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
      s.execute("DROP SCHEMA IF EXISTS " + SHARED + " CASCADE");
    }
  }

  private static List<String> tables(String schema) throws SQLException {
    try (Connection c = DriverManager.getConnection(URL, USER, null);
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name")) {
      ps.setString(1, schema);
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) tables.add(rs.getString(1));
      }
      return tables;
    }
  }

  @Test
  void theTablesLiveInTheStoresSchema() throws SQLException {
    assertThat(tables(SCHEMA))
        .contains(
            "registry_nodes",
            "registry_flows",
            "registry_constraints",
            "registry_health",
            "registry_schema_history");
  }

  @Test
  void itCanShareASchemaWithTheEventStoreOpenedFirst() throws SQLException {
    StoreOptions shared = new StoreOptions(URL, USER, null, SHARED);
    try (EventStore events = EventStores.open(shared);
        RegistryStore registry = RegistryStores.open(shared)) {
      registry.register("alpha", T0);
      assertThat(registry.load()).extracting(StoredNode::name).containsExactly("alpha");
      assertThat(events.runs(RunQuery.all()).total()).isZero();
    }
    assertThat(tables(SHARED))
        .contains(
            "runs", "events", "registry_nodes", "kodo_schema_history", "registry_schema_history");
  }

  @Test
  void aBadSchemaNameOrUnreachableDatabaseIsNamed() {
    assertThatThrownBy(() -> RegistryStores.open(new StoreOptions(URL, USER, null, "x; drop")))
        .isInstanceOf(KodoException.class)
        .hasMessageStartingWith("invalid PostgreSQL schema name 'x; drop'");
    assertThatThrownBy(
            () ->
                RegistryStores.open(
                    new StoreOptions(
                        "jdbc:postgresql://127.0.0.1:1/test?password=sekrit", USER, "sekrit", "s")))
        .isInstanceOf(KodoException.class)
        .hasMessageStartingWith(
            "cannot migrate the registry store PostgreSQL jdbc:postgresql://127.0.0.1:1/test?password=***")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("sekrit"));
  }
}
