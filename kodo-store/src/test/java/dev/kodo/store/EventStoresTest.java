package dev.kodo.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.kodo.client.KodoException;
import org.junit.jupiter.api.Test;

/** How {@link EventStores#open} refuses what it cannot open, without showing secrets. */
class EventStoresTest {

  @Test
  void anUnsupportedUrlIsRefusedWithoutShowingItsPassword() {
    StoreOptions mysql = new StoreOptions("jdbc:mysql://db/kodo?password=hunter2", "u", "pw", null);

    assertThatThrownBy(() -> EventStores.open(mysql))
        .isInstanceOf(KodoException.class)
        .hasMessageContainingAll("jdbc:mysql://db/kodo", "jdbc:sqlite:", "jdbc:postgresql:")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void anInMemorySqliteDatabaseIsRefused() {
    assertThatThrownBy(
            () -> EventStores.open(new StoreOptions("jdbc:sqlite::memory:", null, null, null)))
        .isInstanceOf(KodoException.class)
        .hasMessageContaining("needs a SQLite file");
  }

  @Test
  void anInvalidPostgresSchemaNameIsRefusedBeforeConnecting() {
    assertThatThrownBy(
            () ->
                EventStores.open(
                    new StoreOptions(
                        "jdbc:postgresql://127.0.0.1:1/test",
                        "postgres",
                        null,
                        "x\"; DROP SCHEMA public; --")))
        .isInstanceOf(KodoException.class)
        .hasMessageContaining("invalid PostgreSQL schema name");
  }

  @Test
  void aDatabaseThatCannotBeReachedIsReportedWithoutItsPassword() {
    Throwable failure =
        catchThrowable(
            () ->
                EventStores.open(
                    new StoreOptions(
                        "jdbc:postgresql://127.0.0.1:1/test?password=hunter2",
                        "kodo",
                        "s3cret-pw",
                        "kodo")));

    assertThat(failure).isInstanceOf(KodoException.class).hasMessageContaining("127.0.0.1:1");
    for (Throwable t = failure; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain("hunter2", "s3cret-pw");
    }
  }

  @Test
  void optionsDoNotShowThePassword() {
    StoreOptions options =
        new StoreOptions(
            "jdbc:postgresql://kodo:pw1@db/kodo?user=kodo&password=pw2", "kodo", "pw3", null);

    assertThat(options.toString()).contains("db/kodo").doesNotContain("pw1", "pw2", "pw3");
  }
}
