package dev.kodo.client;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The tokens {@code koco} keeps for the current user
 * (docs/security.md#the-command-line-and-its-tokens): one file, {@code ~/.kodo/credentials.json},
 * with one {@link StoredToken} per node, registry or auth provider, keyed by its base URL in a
 * normal form ({@link #key}: {@code localhost} and {@code 127.0.0.1} are the same entry). {@code
 * koco login} writes an entry, {@code koco logout} removes it, every client command reads the one
 * for its URL, and {@code koco serve} writes the local operator's.
 *
 * <p>The directory is {@code $KODO_CONFIG_DIR} (or the system property {@value #DIR_PROPERTY},
 * which wins; tests set it), else {@code ~/.kodo}. On a POSIX file system the directory is made
 * owner-only (0700) and the file is written owner-only (0600) from its first byte: a save writes a
 * new file created with those permissions next to the old one and moves it over it atomically, so a
 * reader sees the old file or the new one, never a half-written or a world-readable one. Saves of
 * several threads or processes are serialised by a lock file, each re-reading the file, so none
 * loses another's entry.
 *
 * <pre>{@code
 * CredentialStore store = CredentialStore.standard();
 * store.save("http://127.0.0.1:3370", StoredToken.of(token, expiresAt, "user:alice"));
 * store.find("http://localhost:3370/").map(StoredToken::subject); // user:alice
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class CredentialStore {
  /** The file's name in the directory. */
  public static final String FILE = "credentials.json";

  /** The system property naming the directory (wins over {@value #DIR_ENV}). */
  public static final String DIR_PROPERTY = "kodo.config.dir";

  /** The environment variable naming the directory. */
  public static final String DIR_ENV = "KODO_CONFIG_DIR";

  private static final Set<PosixFilePermission> OWNER_ONLY_DIR =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
      PosixFilePermissions.fromString("rw-------");

  /** One lock per file within this JVM; a {@link java.nio.channels.FileLock} across processes. */
  private static final Map<Path, Object> LOCKS = new ConcurrentHashMap<>();

  private final Path dir;

  private CredentialStore(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  /** The current user's store: in {@link #directory} of this process's settings. */
  public static CredentialStore standard() {
    return in(directory(System::getProperty, System::getenv));
  }

  /** A store in {@code dir}. */
  public static CredentialStore in(Path dir) {
    return new CredentialStore(Check.notNull(dir, "dir"));
  }

  /**
   * The directory: the system property {@value #DIR_PROPERTY}, else {@code $KODO_CONFIG_DIR}, else
   * {@code .kodo} in the user's home.
   */
  static Path directory(Function<String, String> properties, Function<String, String> env) {
    String p = properties.apply(DIR_PROPERTY);
    if (p != null && !p.isBlank()) return Path.of(p.strip());
    String e = env.apply(DIR_ENV);
    if (e != null && !e.isBlank()) return Path.of(e.strip());
    return Path.of(properties.apply("user.home"), ".kodo");
  }

  /** The directory the file is in. */
  public Path dir() {
    return dir;
  }

  /** The file. */
  public Path file() {
    return dir.resolve(FILE);
  }

  /**
   * The entry key of a base URL: scheme and host in lower case, {@code localhost} and {@code [::1]}
   * as {@code 127.0.0.1}, the scheme's default port dropped, no trailing slash; a path prefix kept.
   *
   * @throws IllegalArgumentException if {@code url} is not a base URL ({@link BaseUrl})
   */
  public static String key(String url) {
    URI uri = URI.create(BaseUrl.of(Check.notNull(url, "url")));
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    if (host.equals("localhost")
        || host.equals("localhost.")
        || host.equals("::1")
        || host.equals("0:0:0:0:0:0:0:1")) {
      host = "127.0.0.1";
    } else if (host.contains(":")) {
      host = "[" + host + "]";
    }
    int port = uri.getPort();
    boolean defaultPort =
        port == -1
            || (scheme.equals("http") && port == 80)
            || (scheme.equals("https") && port == 443);
    String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
    return scheme + "://" + host + (defaultPort ? "" : ":" + port) + path;
  }

  /** The token kept for the service at {@code baseUrl}, if any. */
  public Optional<StoredToken> find(String baseUrl) {
    return Optional.ofNullable(read().get(key(baseUrl)));
  }

  /** Every entry, by key. */
  public Map<String, StoredToken> all() {
    return read();
  }

  /** Keeps {@code token} for the service at {@code baseUrl}, replacing what was kept for it. */
  public void save(String baseUrl, StoredToken token) {
    Check.notNull(token, "token");
    String key = key(baseUrl);
    update(
        entries -> {
          entries.put(key, token);
          return entries;
        });
  }

  /** Forgets the token kept for the service at {@code baseUrl}; whether there was one. */
  public boolean remove(String baseUrl) {
    String key = key(baseUrl);
    boolean[] removed = {false};
    update(
        entries -> {
          removed[0] = entries.remove(key) != null;
          return entries;
        });
    return removed[0];
  }

  private void update(UnaryOperator<Map<String, StoredToken>> change) {
    synchronized (LOCKS.computeIfAbsent(file(), f -> new Object())) {
      try {
        prepareDirectory();
        try (FileChannel lock =
                FileChannel.open(
                    dir.resolve(".credentials.lock"),
                    Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    ownerOnly(OWNER_ONLY_FILE));
            var held = lock.lock()) {
          write(change.apply(read()));
        }
      } catch (IOException e) {
        throw new KodoException("cannot write " + file() + ": " + e.getMessage(), e);
      }
    }
  }

  private void prepareDirectory() throws IOException {
    Files.createDirectories(dir, ownerOnly(OWNER_ONLY_DIR));
    if (posix() && !Files.getPosixFilePermissions(dir).equals(OWNER_ONLY_DIR)) {
      try {
        Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
      } catch (IOException | SecurityException e) {
        throw new KodoException(
            dir
                + " holds tokens and must be readable by its owner only, but its permissions cannot"
                + " be set to 0700 ("
                + e.getMessage()
                + "): set "
                + DIR_ENV
                + " to a directory of your own",
            e);
      }
    }
  }

  private void write(Map<String, StoredToken> entries) throws IOException {
    ObjectNode root = Json.object();
    root.put("version", 1);
    ObjectNode tokens = root.putObject("tokens");
    entries.forEach((k, t) -> tokens.set(k, toJson(t)));
    byte[] bytes = (Json.write(root) + "\n").getBytes(StandardCharsets.UTF_8);
    Path tmp = Files.createTempFile(dir, ".credentials-", ".tmp", ownerOnly(OWNER_ONLY_FILE));
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) ch.write(buffer);
        ch.force(true);
      }
      try {
        Files.move(
            tmp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private Map<String, StoredToken> read() {
    String text;
    try {
      text = Files.readString(file(), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return new LinkedHashMap<>();
    } catch (IOException e) {
      throw new KodoException("cannot read " + file() + ": " + e.getMessage(), e);
    }
    Map<String, StoredToken> entries = new LinkedHashMap<>();
    try {
      JsonNode tokens = Json.read(text).path("tokens");
      for (Iterator<Map.Entry<String, JsonNode>> it = tokens.properties().iterator();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        fromJson(e.getValue()).ifPresent(t -> entries.put(e.getKey(), t));
      }
    } catch (RuntimeException e) {
      // Never quote the file: it holds tokens.
      throw new KodoException(
          file() + " is not a credentials file koco can read; delete it and log in again", e);
    }
    return entries;
  }

  private static ObjectNode toJson(StoredToken t) {
    ObjectNode n = Json.object();
    n.put("access_token", t.accessToken());
    if (t.refreshToken() != null) n.put("refresh_token", t.refreshToken());
    if (t.expiresAt() != null) n.put("expires_at", Json.timestamp(t.expiresAt()));
    if (t.subject() != null) n.put("subject", t.subject());
    n.put("local", t.local());
    if (t.authUrl() != null) n.put("auth_url", t.authUrl());
    return n;
  }

  private static Optional<StoredToken> fromJson(JsonNode n) {
    String access = text(n, "access_token");
    if (access == null || access.isBlank()) return Optional.empty();
    Instant expires = null;
    String exp = text(n, "expires_at");
    if (exp != null) {
      try {
        expires = Instant.parse(exp);
      } catch (DateTimeParseException e) {
        // an unreadable expiry counts as unknown: the service will say if the token has expired
      }
    }
    return Optional.of(
        new StoredToken(
            access,
            text(n, "refresh_token"),
            expires,
            text(n, "subject"),
            n.path("local").asBoolean(false),
            text(n, "auth_url")));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asString();
  }

  private boolean posix() {
    return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private FileAttribute<?>[] ownerOnly(Set<PosixFilePermission> permissions) {
    return posix()
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
        : new FileAttribute<?>[0];
  }
}
