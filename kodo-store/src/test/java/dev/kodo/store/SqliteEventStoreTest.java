package dev.kodo.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
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
}
