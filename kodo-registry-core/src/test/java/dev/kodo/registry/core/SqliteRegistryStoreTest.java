package dev.kodo.registry.core;

import static dev.kodo.registry.core.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.client.KodoException;
import dev.kodo.store.EventStore;
import dev.kodo.store.EventStores;
import dev.kodo.store.RunQuery;
import dev.kodo.store.StoreOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on a SQLite file, plus what is particular to SQLite. */
class SqliteRegistryStoreTest extends RegistryStoreContract {
  @TempDir Path dir;

  @Override
  protected RegistryStore openStore() {
    return RegistryStores.open(RegistryStores.sqlite(dir.resolve("data")));
  }

  @Test
  void theDatabaseIsAFileInWalModeInADirectoryMadeForIt() {
    store.register("alpha", T0);
    assertThat(dir.resolve("data/registry.db")).isRegularFile();
    assertThat(dir.resolve("data/registry.db-wal")).isRegularFile();
  }

  @Test
  void itCanShareItsFileWithTheEventStore() {
    StoreOptions shared = StoreOptions.sqlite(dir.resolve("shared"));
    try (EventStore events = EventStores.open(shared);
        RegistryStore registry = RegistryStores.open(shared)) {
      registry.register("alpha", T0);
      assertThat(registry.load()).extracting(StoredNode::name).containsExactly("alpha");
      assertThat(events.runs(RunQuery.all()).total()).isZero();
    }
    try (RegistryStore again = RegistryStores.open(shared)) {
      assertThat(again.load()).hasSize(1);
    }
  }

  @Test
  void itCanShareItsFileWithAnEventStoreOpenedAfterIt() {
    StoreOptions shared = StoreOptions.sqlite(dir.resolve("registry-first"));
    try (RegistryStore registry = RegistryStores.open(shared)) {
      registry.register("alpha", T0);
    }
    try (EventStore events = EventStores.open(shared);
        RegistryStore registry = RegistryStores.open(shared)) {
      assertThat(events.runs(RunQuery.all()).total()).isZero();
      assertThat(registry.load()).extracting(StoredNode::name).containsExactly("alpha");
    }
  }

  @Test
  void anInMemoryDatabaseOrAnotherUrlIsRefusedClearly() {
    assertThatThrownBy(
            () -> RegistryStores.open(new StoreOptions("jdbc:sqlite::memory:", null, null, null)))
        .isInstanceOf(KodoException.class)
        .hasMessageContaining("needs a SQLite file");
    assertThatThrownBy(
            () -> RegistryStores.open(new StoreOptions("jdbc:mysql://x/y", null, null, null)))
        .isInstanceOf(KodoException.class)
        .hasMessageStartingWith("unsupported registry store URL 'jdbc:mysql://x/y'");
  }

  @Test
  void aClosedStoreSaysSo() {
    store.close();
    assertThatThrownBy(() -> store.register("alpha", T0))
        .isInstanceOf(KodoException.class)
        .hasMessageContaining("cannot register node 'alpha'")
        .hasMessageContaining("is closed");
    store = openStore();
    assertThat(store.load()).isEmpty();
    assertThatThrownBy(() -> store.connect("x", "http://x:1", List.of(), List.of(), T0))
        .isInstanceOf(KodoException.class)
        .hasMessageStartingWith("cannot save the connect of node 'x' in the registry store SQLite ")
        .hasMessageEndingWith(": node 'x' is not registered");
  }
}
