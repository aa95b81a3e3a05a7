package dev.kodo.store;

import dev.kodo.client.Check;
import java.nio.file.Path;

/**
 * Where and how to open a store.
 *
 * @param url a JDBC URL: {@code jdbc:sqlite:/path/kodo.db} or {@code
 *     jdbc:postgresql://127.0.0.1:5432/kodo}
 * @param user database user (PostgreSQL), or null
 * @param password database password (PostgreSQL), or null; never logged
 * @param schema the PostgreSQL schema to use (created if missing), or null for {@code public}
 */
public record StoreOptions(String url, String user, String password, String schema) {
  public StoreOptions {
    Check.notBlank(url, "store url");
  }

  /** The embedded default: a SQLite file {@code kodo.db} in the data directory. */
  public static StoreOptions sqlite(Path dataDir) {
    return new StoreOptions("jdbc:sqlite:" + dataDir.resolve("kodo.db").toAbsolutePath(), null, null, null);
  }

  @Override
  public String toString() {
    return "StoreOptions[url=" + url + ", user=" + user + ", schema=" + schema + "]";
  }
}
