package dev.kodo.store;

import dev.kodo.client.Check;
import java.nio.file.Path;
import java.util.regex.Pattern;

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
  private static final Pattern SECRET_PARAMETER =
      Pattern.compile("(?i)((?:password|pwd|sslpassword|sslkey|token)=)[^&;]*");

  public StoreOptions {
    Check.notBlank(url, "store url");
  }

  /** The embedded default: a SQLite file {@code kodo.db} in the data directory. */
  public static StoreOptions sqlite(Path dataDir) {
    return new StoreOptions("jdbc:sqlite:" + dataDir.resolve("kodo.db").toAbsolutePath(), null, null, null);
  }

  /** The URL with any password in it replaced by {@code ***}: the form for logs and messages. */
  public String safeUrl() {
    return SECRET_PARAMETER.matcher(url).replaceAll("$1***").replaceAll("//([^/@:]*):[^/@]*@", "//$1:***@");
  }

  @Override
  public String toString() {
    return "StoreOptions[url=" + safeUrl() + ", user=" + user + ", schema=" + schema + "]";
  }
}
