package dev.kodo.cluster.testing;

import dev.kodo.cluster.ServiceJvmFlags;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The command that starts a Kodo service (a node, a registry, {@code koco}) in a JVM of its own
 * with the test's class path, for tests that must run several processes or kill one for real
 * (docs/performance.md#tests-that-start-jvms).
 *
 * <p>On JDK 25 and newer the command maps an AOT cache of the class path's classes (JEP 483/514):
 * such a node starts in about half the time (7.5 → 3.6 s on a 2-core machine). The cache is trained
 * once per test JVM and class path, by a node started and stopped for the purpose, and kept in
 * {@code target/service-jvm}; a cache the JVM can no longer use (a jar rebuilt) is trained again.
 * The cache holds classes from jars only, so the command's class path lists the test's jars first
 * and its directories ({@code target/test-classes}) after them. Where no cache can be made (an
 * older JDK, a training that fails) the command runs without one, which only costs time; {@code
 * -Dkodo.test.no-aot-cache=true} turns the cache off.
 */
public final class ServiceJvm {
  /**
   * The module flags {@code ./koco} gives a service's JVM (Hazelcast, sqlite-jdbc and Tomcat want
   * them). The cache is valid only for the module flags it was trained with, so every child gets
   * the same.
   */
  public static final List<String> FLAGS = ServiceJvmFlags.FLAGS;

  private static final String TRAINING_MAIN = "dev.kodo.node.NodeApplication";
  private static final Duration TRAINING_READY = Duration.ofMinutes(2);
  // A small heap, as the children have: a JVM refuses a cache made with other compressed oops,
  // which a default heap on a large machine would turn off.
  private static final String TRAINING_HEAP = "-Xmx512m";
  private static final Duration TRAINING_EXIT = Duration.ofMinutes(3);
  private static List<String> cacheFlags;

  private ServiceJvm() {}

  /**
   * {@code java}, the service flags, the cache (when there is one), {@code moreFlags}, the class
   * path and {@code mainClass}; the program's arguments go after it. The first call in a test JVM
   * trains the cache: ~30 s, at most about 6 minutes if the training node neither answers nor stops
   * (it is then killed, and the children start without a cache).
   */
  public static List<String> command(String mainClass, List<String> moreFlags) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.addAll(FLAGS);
    cmd.addAll(cacheFlags());
    cmd.addAll(moreFlags);
    cmd.addAll(List.of("-cp", classPath(), mainClass));
    return cmd;
  }

  /**
   * The test's class path with its jars first and its directories last: an AOT cache is made from
   * jars only and used only by a class path that starts with the one it was made from.
   */
  public static String classPath() {
    List<String> entries = entries(false);
    entries.addAll(entries(true));
    return String.join(File.pathSeparator, entries);
  }

  /** The test's class path entries that are directories, or those that are not, in order. */
  private static List<String> entries(boolean directories) {
    List<String> found = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator, -1)) {
      if (!entry.isEmpty() && Files.isDirectory(Path.of(entry)) == directories) found.add(entry);
    }
    return found;
  }

  /** The flags that map the cache, trained first if needed; none where no cache can be made. */
  static synchronized List<String> cacheFlags() {
    if (cacheFlags == null) {
      cacheFlags = makeCache();
    }
    return cacheFlags;
  }

  private static List<String> makeCache() {
    if (Runtime.version().feature() < 25 || Boolean.getBoolean("kodo.test.no-aot-cache")) {
      return List.of();
    }
    String jars = jarsOnly();
    try {
      Path dir = Path.of("target", "service-jvm").toAbsolutePath();
      Files.createDirectories(dir);
      Path cache = dir.resolve("service-" + key(jars) + ".aot");
      List<String> use = List.of("-XX:AOTCache=" + cache, "-Xlog:aot*=off", "-Xlog:cds*=off");
      if (Files.exists(cache) && usable(cache, jars)) return use;
      long started = System.nanoTime();
      if (train(cache, jars, dir)) {
        System.err.printf(
            "ServiceJvm: trained an AOT cache for child JVMs in %d s: %s%n",
            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), cache);
        return use;
      }
    } catch (IOException e) {
      System.err.println("ServiceJvm: child JVMs start without an AOT cache: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return List.of();
  }

  /** Whether the JVM maps {@code cache} for this class path (it refuses one whose jars changed). */
  private static boolean usable(Path cache, String jars) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(java()));
    cmd.addAll(FLAGS);
    cmd.addAll(
        List.of(TRAINING_HEAP, "-XX:AOTCache=" + cache, "-XX:AOTMode=on", "-cp", jars, "-version"));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return false;
    }
    return p.exitValue() == 0;
  }

  /**
   * Starts a node with {@code -XX:AOTCacheOutput} on the jars, waits until it answers, stops it
   * gracefully (the cache is written as it exits) and moves the cache into place.
   */
  private static boolean train(Path cache, String jars, Path dir)
      throws IOException, InterruptedException {
    Path tmp = dir.resolve(cache.getFileName() + "." + ProcessHandle.current().pid());
    Path data = dir.resolve("training-" + UUID.randomUUID());
    Path log = dir.resolve("training.log");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> cmd = new ArrayList<>(List.of(java()));
    cmd.addAll(FLAGS);
    cmd.addAll(List.of(TRAINING_HEAP, "-XX:AOTCacheOutput=" + tmp, "-cp", jars, TRAINING_MAIN));
    cmd.addAll(
        List.of(
            "--server.port=" + port,
            "--kodo.data=" + data,
            "--kodo.auth.enabled=false",
            "--kodo.cluster.name=aot-training-" + UUID.randomUUID()));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
            .start();
    try {
      if (!answers(p, port)) return false;
      p.destroy();
      if (!p.waitFor(TRAINING_EXIT.toSeconds(), TimeUnit.SECONDS)) return false;
      if (!Files.exists(tmp) || Files.size(tmp) == 0) return false;
      Files.move(tmp, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } finally {
      if (p.isAlive()) {
        // JDK 25 assembles the cache in a child JVM of the training one: stop both.
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        System.err.println("ServiceJvm: the AOT training node did not finish; see " + log);
      }
      Files.deleteIfExists(tmp);
      Files.deleteIfExists(Path.of(tmp + ".config"));
      deleteTree(data);
    }
  }

  private static boolean answers(Process p, int port) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest state =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/state"))
            .timeout(Duration.ofSeconds(5))
            .build();
    long deadline = System.nanoTime() + TRAINING_READY.toNanos();
    try (http) {
      while (System.nanoTime() < deadline && p.isAlive()) {
        try {
          if (http.send(state, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            return true;
          }
        } catch (IOException notYet) {
          // not listening yet
        }
        Thread.sleep(200);
      }
    }
    return false;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The class path's jars, in order (what the cache is made from). */
  private static String jarsOnly() {
    return String.join(File.pathSeparator, entries(false));
  }

  /** Names a cache after what it depends on: the JDK, the flags and the jars. */
  private static String key(String jars) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      String what =
          System.getProperty("java.home") + "|" + Runtime.version() + "|" + FLAGS + "|" + jars;
      return HexFormat.of().formatHex(sha.digest(what.getBytes(StandardCharsets.UTF_8)), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
