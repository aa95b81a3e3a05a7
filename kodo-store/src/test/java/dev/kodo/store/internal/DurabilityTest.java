package dev.kodo.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.store.Durability;
import dev.kodo.store.StoreOptions;
import dev.kodo.store.StoreSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kodo.store.durability}: what each setting makes of the writer's SQLite connection. */
class DurabilityTest {
  private static final int SYNCHRONOUS_NORMAL = 1;
  private static final int SYNCHRONOUS_FULL = 2;

  @TempDir Path dir;

  private int synchronous(StoreOptions options) throws Exception {
    Backend backend = Backend.of(options, Backend.EVENTS);
    backend.prepare();
    try (Connection c = backend.openWriter();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA synchronous")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  void fsyncIsTheDefaultAndSyncsEveryCommit() throws Exception {
    assertThat(StoreOptions.sqlite(dir).durability()).isEqualTo(Durability.FSYNC);
    assertThat(synchronous(StoreOptions.sqlite(dir))).isEqualTo(SYNCHRONOUS_FULL);
    assertThat(synchronous(new StoreSettings().options(dir, "kodo.db")))
        .isEqualTo(SYNCHRONOUS_FULL);
  }

  @Test
  void normalLeavesSyncingToCheckpoints() throws Exception {
    StoreSettings settings = new StoreSettings();
    settings.setDurability("normal");
    assertThat(synchronous(settings.options(dir, "kodo.db"))).isEqualTo(SYNCHRONOUS_NORMAL);
  }

  @Test
  void anUnknownSettingIsRefusedNamingTheChoices() {
    assertThatThrownBy(() -> new StoreSettings().setDurability("sometimes"))
        .hasMessage("unknown store durability 'sometimes': use fsync or normal");
  }
}
