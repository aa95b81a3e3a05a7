package dev.kodo.store;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where a service keeps its data, as configuration binds it ({@code kodo.store.*} for the node,
 * {@code kodo.registry.store.*} for the registry): a JDBC URL with user, password and schema, or
 * nothing for the embedded SQLite file in the data directory. Mutable for binding; turn it into
 * {@link StoreOptions} with {@link #options(Path, String)}.
 */
public class StoreSettings {
  /** A JDBC URL; empty for the SQLite file in the data directory. */
  private String url = "";

  private String user;

  /** Never logged. */
  private String password;

  /** The PostgreSQL schema (created if missing). */
  private String schema;

  /**
   * fsync: a commit is on disk before it is acknowledged; normal: a power cut may lose the last
   * ones.
   */
  private String durability = StoreOptions.DEFAULT_DURABILITY.wire();

  /** The longest a read may run before it is cancelled (503). */
  private Duration readTimeout = StoreOptions.DEFAULT_READ_TIMEOUT;

  /** The longest a read waits for a free connection (then 503). */
  private Duration readWait = StoreOptions.DEFAULT_READ_WAIT;

  /**
   * The options these settings name; without a URL, the SQLite file {@code fileName} in {@code
   * dataDir}.
   */
  public StoreOptions options(Path dataDir, String fileName) {
    Durability d = Durability.parse(durability);
    if (url == null || url.isBlank()) {
      return new StoreOptions(
          "jdbc:sqlite:" + dataDir.resolve(fileName).toAbsolutePath(),
          null,
          null,
          null,
          d,
          readTimeout,
          readWait);
    }
    return new StoreOptions(url, user, password, schema, d, readTimeout, readWait);
  }

  public String getDurability() {
    return durability;
  }

  public void setDurability(String durability) {
    Durability.parse(durability);
    this.durability = durability;
  }

  public Duration getReadTimeout() {
    return readTimeout;
  }

  public void setReadTimeout(Duration readTimeout) {
    this.readTimeout = readTimeout;
  }

  public Duration getReadWait() {
    return readWait;
  }

  public void setReadWait(Duration readWait) {
    this.readWait = readWait;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getUser() {
    return user;
  }

  public void setUser(String user) {
    this.user = user;
  }

  public String getPassword() {
    return password;
  }

  public void setPassword(String password) {
    this.password = password;
  }

  public String getSchema() {
    return schema;
  }

  public void setSchema(String schema) {
    this.schema = schema;
  }
}
