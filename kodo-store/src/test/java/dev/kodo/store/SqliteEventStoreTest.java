package dev.kodo.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.client.KodoException;
import java.nio.file.Files;
import java.nio.file.Path;
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
  void theDatabaseFileIsCreatedWithItsDirectory() {
    assertThat(Files.isRegularFile(dir.resolve("data/kodo/kodo.db"))).isTrue();
  }

  @Test
  void anInMemoryDatabaseIsRefused() {
    assertThatThrownBy(() -> EventStores.open(new StoreOptions("jdbc:sqlite::memory:", null, null, null)))
        .isInstanceOf(KodoException.class)
        .hasMessageContaining("file");
  }

  @Test
  void anUnsupportedUrlIsRefusedWithoutShowingItsPassword() {
    assertThatThrownBy(() -> EventStores.open(new StoreOptions("jdbc:mysql://db/kodo?password=hunter2", "u", "pw", null)))
        .isInstanceOf(KodoException.class)
        .hasMessageContaining("jdbc:sqlite:")
        .hasMessageContaining("jdbc:mysql://db/kodo")
        .hasMessageNotContaining("hunter2");
  }
}
