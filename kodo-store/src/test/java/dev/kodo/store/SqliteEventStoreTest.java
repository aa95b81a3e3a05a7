package dev.kodo.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.RunState;
import dev.kodo.client.RunUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event store contract on a SQLite file, plus what is particular to SQLite. */
class SqliteEventStoreTest extends EventStoreContract {
  @TempDir Path dir;

  @Override
  protected EventStore openStore() {
    return EventStores.open(StoreOptions.sqlite(dir.resolve("data/kodo")));
  }

  @Test
  void theDatabaseIsAFileInWalModeInADirectoryCreatedForIt() {
    store.create(new NewRun("run-wal", "flow.yaml", null, Instant.now(), "{}"), List.of()).join();

    assertThat(dir.resolve("data/kodo/kodo.db")).isRegularFile();
    assertThat(dir.resolve("data/kodo/kodo.db-wal")).isRegularFile();
  }

  @Test
  void aRunStoredBeforeUsageExistedReadsWithNoneAndCountsOnAfterTheMigration()
      throws IOException, SQLException {
    Path old = dir.resolve("old/kodo");
    Files.createDirectories(old);
    String url = "jdbc:sqlite:" + old.resolve("kodo.db");
    // The schema as it was before V3 (usage), with a run in it.
    Flyway.configure(getClass().getClassLoader())
        .dataSource(url, null, null)
        .locations("classpath:db/kodo/sqlite")
        .table("kodo_schema_history")
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .target("2")
        .load()
        .migrate();
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO runs (fid, flow, state, inputs, created, last_seq)"
              + " VALUES ('run-old', 'old.yaml', 'pending', '{}', 0, 1)");
      st.execute(
          "INSERT INTO events (fid, seq, ts, kind, type, data)"
              + " VALUES ('run-old', 1, 0, 'data', 'inputs', '{}')");
    }

    try (EventStore migrated = EventStores.open(StoreOptions.sqlite(old))) {
      assertThat(migrated.run("run-old").orElseThrow().usage()).isEqualTo(RunUsage.NONE);
      migrated
          .append(
              List.of(
                  Event.of(
                      "run-old",
                      2,
                      Instant.EPOCH,
                      EventType.ACTION,
                      "{\"name\":\"llm\",\"input_tokens\":3,\"output_tokens\":4}")))
          .join();
      RunRecord r = migrated.run("run-old").orElseThrow();
      assertThat(r.usage()).isEqualTo(new RunUsage(1, 3, 4, null));
      assertThat(r.state()).isEqualTo(RunState.PENDING);
    }
  }
}
