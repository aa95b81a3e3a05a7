package dev.kodo.store;

import dev.kodo.client.Check;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Where and how to open a store.
 *
 * @param url a JDBC URL: {@code jdbc:sqlite:/path/kodo.db} or {@code
 *     jdbc:postgresql://127.0.0.1:5432/kodo}
 * @param user database user (PostgreSQL), or null
 * @param password database password (PostgreSQL), or null; never logged
 * @param schema the PostgreSQL schema to use (created if missing), or null for {@code public}
 * @param durability when a commit counts as done; {@link Durability#FSYNC} by default
 * @param readTimeout the longest a read may run before it is cancelled (and fails, retryable)
 * @param readWait the longest a read waits for a free connection before it fails, retryable
 */
public record StoreOptions(
    String url,
    String user,
    String password,
    String schema,
    Durability durability,
    Duration readTimeout,
    Duration readWait) {
  private static final Pattern SECRET_PARAMETER =
      Pattern.compile("(?i)((?:password|pwd|sslpassword|sslkey|token)=)[^&;]*");

  public static final Durability DEFAULT_DURABILITY = Durability.FSYNC;
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_READ_WAIT = Duration.ofSeconds(2);

  public StoreOptions {
    Check.notBlank(url, "store url");
    durability = durability == null ? DEFAULT_DURABILITY : durability;
    readTimeout = readTimeout == null ? DEFAULT_READ_TIMEOUT : readTimeout;
    readWait = readWait == null ? DEFAULT_READ_WAIT : readWait;
    Check.that(
        readTimeout.toMillis() > 0,
        "the store's read timeout must be positive, not " + readTimeout);
    Check.that(
        !readWait.isNegative(), "the store's read wait must not be negative, not " + readWait);
  }

  /** Options with the default durability and read limits. */
  public StoreOptions(String url, String user, String password, String schema) {
    this(url, user, password, schema, null, null, null);
  }

  /** The embedded default: a SQLite file {@code kodo.db} in the data directory. */
  public static StoreOptions sqlite(Path dataDir) {
    return new StoreOptions(
        "jdbc:sqlite:" + dataDir.resolve("kodo.db").toAbsolutePath(), null, null, null);
  }

  /** These options with another durability. */
  public StoreOptions withDurability(Durability d) {
    return new StoreOptions(url, user, password, schema, d, readTimeout, readWait);
  }

  /** These options with other read limits. */
  public StoreOptions withReads(Duration timeout, Duration wait) {
    return new StoreOptions(url, user, password, schema, durability, timeout, wait);
  }

  /** The URL with any password in it replaced by {@code ***}: the form for logs and messages. */
  public String safeUrl() {
    return SECRET_PARAMETER
        .matcher(url)
        .replaceAll("$1***")
        .replaceAll("//([^/@:]*):[^/@]*@", "//$1:***@");
  }

  @Override
  public String toString() {
    return "StoreOptions[url="
        + safeUrl()
        + ", user="
        + user
        + ", schema="
        + schema
        + ", durability="
        + durability.wire()
        + "]";
  }
}
