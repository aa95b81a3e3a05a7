package dev.kodo.cluster;

import dev.kodo.client.KodoException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secret every member of a Kodo cluster shares; a member without it cannot join (see {@link
 * ClusterOptions}). Only one-way derivations of it ever leave this class: it is never logged,
 * printed by {@link #toString()}, put in a member attribute or sent over the cluster.
 *
 * <p>Where it comes from, in this order: the configured text ({@code kodo.cluster.secret}, or the
 * environment variable {@value #ENV}), else the file {@value #FILE} in the node's data directory,
 * which the node makes on its first start (256 random bits as hex, mode 0600) and reads on every
 * later one. A worker of that node ({@link #forWorker}) reads the same file and never makes one.
 *
 * <p>Immutable and thread-safe.
 */
public final class ClusterSecret {
  /** The name of the file that holds the secret, in the node's data directory. */
  public static final String FILE = "cluster.secret";

  /** The environment variable a worker (or any member) may take the secret from. */
  public static final String ENV = "KODO_CLUSTER_SECRET";

  /** The shortest secret accepted: 32 characters, e.g. {@code openssl rand -hex 32} (64). */
  public static final int MIN_LENGTH = 32;

  private static final int MAX_LENGTH = 1024;
  private static final int RANDOM_BYTES = 32;
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final Logger log = LoggerFactory.getLogger(ClusterSecret.class);

  private final byte[] key;

  private ClusterSecret(byte[] key) {
    this.key = key;
  }

  /** A new random secret (256 bits). */
  public static ClusterSecret generate() {
    return of(randomText());
  }

  /**
   * The secret given as text (configuration, environment, or the file); surrounding white space is
   * ignored. The message of a refusal never repeats the text.
   */
  public static ClusterSecret of(String text) {
    String t = text == null ? "" : text.strip();
    if (t.length() < MIN_LENGTH || t.length() > MAX_LENGTH) {
      throw new KodoException(
          "the cluster secret has "
              + t.length()
              + " characters; it needs "
              + MIN_LENGTH
              + " to "
              + MAX_LENGTH
              + " (e.g. the output of `openssl rand -hex 32`)");
    }
    return new ClusterSecret(t.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The secret of a node: {@code configured} if it is not blank, else the one in {@code dataDir}'s
   * {@value #FILE}, made there first if there is none.
   */
  public static ClusterSecret forNode(String configured, Path dataDir) {
    if (configured != null && !configured.isBlank()) {
      return of(configured);
    }
    return loadOrCreate(dataDir);
  }

  /**
   * The secret of a worker joining the cluster of the node whose data directory is {@code
   * nodeDataDir}: {@code configured} (e.g. {@code System.getenv(ENV)}) if it is not blank, else the
   * node's {@value #FILE}, which must exist.
   */
  public static ClusterSecret forWorker(String configured, Path nodeDataDir) {
    if (configured != null && !configured.isBlank()) {
      return of(configured);
    }
    Path file = nodeDataDir.resolve(FILE);
    try {
      return read(file);
    } catch (NoSuchFileException e) {
      throw new KodoException(
          "no cluster secret at "
              + file
              + ": start the node with that data directory first, or set "
              + ENV
              + " to the secret of the cluster to join",
          e);
    } catch (IOException e) {
      throw new KodoException(
          "cannot read the cluster secret at " + file + ": " + e.getMessage(), e);
    }
  }

  /** The secret in {@code dataDir}'s {@value #FILE}; made there (mode 0600) when there is none. */
  public static ClusterSecret loadOrCreate(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    try {
      try {
        return read(file);
      } catch (NoSuchFileException e) {
        create(dataDir, file);
        log.info(
            "made a new cluster secret in {}; members joining this cluster need the same one",
            file);
        return read(file);
      }
    } catch (IOException e) {
      throw new KodoException(
          "cannot read or make the cluster secret at " + file + ": " + e.getMessage(), e);
    }
  }

  private static ClusterSecret read(Path file) throws IOException {
    restrictToOwner(file);
    try {
      return of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (KodoException e) {
      throw new KodoException(
          e.getMessage()
              + "; the file "
              + file
              + " is damaged: delete it to make a new secret "
              + "(every member of the cluster then needs the new one)",
          e);
    }
  }

  /** Writes a new secret to a private temporary file, then renames it into place. */
  private static void create(Path dir, Path file) throws IOException {
    Files.createDirectories(dir);
    boolean posix = Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
    Path tmp =
        posix
            ? Files.createTempFile(
                dir, ".cluster.secret-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
            : Files.createTempFile(dir, ".cluster.secret-", ".tmp");
    try {
      try (FileChannel ch =
          FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer text =
            ByteBuffer.wrap((randomText() + "\n").getBytes(StandardCharsets.US_ASCII));
        while (text.hasRemaining()) {
          ch.write(text);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * A secret file others may read is tightened to its owner (and said so): it must not stay open.
   */
  private static void restrictToOwner(Path file) throws IOException {
    if (!Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
      return;
    }
    Set<PosixFilePermission> now = Files.getPosixFilePermissions(file);
    if (!OWNER_ONLY.containsAll(now)) {
      Files.setPosixFilePermissions(file, EnumSet.copyOf(OWNER_ONLY));
      log.warn(
          "the cluster secret {} was readable by others ({}); it is now {} (owner only). If someone else may have "
              + "read it, delete it and restart every member to make a new one",
          file,
          PosixFilePermissions.toString(now),
          PosixFilePermissions.toString(OWNER_ONLY));
    }
  }

  private static String randomText() {
    byte[] bytes = new byte[RANDOM_BYTES];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /**
   * A one-way derivation of the secret for {@code purpose} (HMAC-SHA256, URL-safe Base64): equal
   * for equal secrets and purposes, and telling nothing about the secret.
   */
  String derive(String purpose) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] out = mac.doFinal(("kodo/" + purpose).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClusterSecret other && MessageDigest.isEqual(key, other.key);
  }

  @Override
  public int hashCode() {
    return derive("hash").hashCode();
  }

  @Override
  public String toString() {
    return "ClusterSecret[hidden]";
  }
}
