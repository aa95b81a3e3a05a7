package dev.kodo.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class CredentialStoreTest {
  private static final Instant EXP = Instant.parse("2026-12-05T12:00:00Z");

  @Test
  void keepsOneTokenPerUrlAndForgetsIt(@TempDir Path dir) {
    CredentialStore store = CredentialStore.in(dir.resolve("kodo"));
    assertThat(store.find("http://127.0.0.1:3370")).isEmpty();

    StoredToken alice =
        new StoredToken("a.b.c", "r-1", EXP, "user:alice", false, "http://auth:3372");
    store.save("http://127.0.0.1:3370", alice);
    store.save("http://127.0.0.1:3371", StoredToken.of("x.y.z", null, null).asLocal());

    assertThat(store.find("http://127.0.0.1:3370")).contains(alice);
    assertThat(store.find("http://127.0.0.1:3371").orElseThrow().local()).isTrue();
    assertThat(store.find("http://127.0.0.1:3371").orElseThrow().expiresAt()).isNull();
    assertThat(store.all()).hasSize(2);

    assertThat(store.remove("http://localhost:3370/")).isTrue();
    assertThat(store.remove("http://localhost:3370/")).isFalse();
    assertThat(store.find("http://127.0.0.1:3370")).isEmpty();
    assertThat(store.find("http://127.0.0.1:3371")).isPresent();
  }

  @Test
  void localhostAnd127001AndDefaultPortsAreTheSameEntry() {
    assertThat(CredentialStore.key("http://localhost:3370/"))
        .isEqualTo(CredentialStore.key("http://127.0.0.1:3370"))
        .isEqualTo(CredentialStore.key(" HTTP://LocalHost:3370// "))
        .isEqualTo(CredentialStore.key("http://[::1]:3370"))
        .isEqualTo("http://127.0.0.1:3370");
    assertThat(CredentialStore.key("http://kodo.example.org:80"))
        .isEqualTo(CredentialStore.key("http://Kodo.Example.org"))
        .isEqualTo("http://kodo.example.org");
    assertThat(CredentialStore.key("https://kodo.example.org:443/kodo/"))
        .isEqualTo("https://kodo.example.org/kodo");
    assertThat(CredentialStore.key("https://kodo.example.org:8443"))
        .isEqualTo("https://kodo.example.org:8443");
    assertThat(CredentialStore.key("http://[2001:db8::1]:3370"))
        .isEqualTo("http://[2001:db8::1]:3370");
    assertThat(CredentialStore.key("http://127.0.0.1:3370"))
        .isNotEqualTo(CredentialStore.key("http://127.0.0.1:3371"))
        .isNotEqualTo(CredentialStore.key("https://127.0.0.1:3370"));
    assertThatThrownBy(() -> CredentialStore.key("http://alice:secret@host:1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("secret");
  }

  @Test
  void theDirectoryIsTheSystemPropertyElseTheEnvironmentElseTheHome() {
    Map<String, String> props = Map.of("user.home", "/home/ada", "kodo.config.dir", "/p");
    Map<String, String> env = Map.of("KODO_CONFIG_DIR", "/e");
    assertThat(CredentialStore.directory(props::get, env::get)).isEqualTo(Path.of("/p"));
    assertThat(CredentialStore.directory(Map.of("user.home", "/home/ada")::get, env::get))
        .isEqualTo(Path.of("/e"));
    assertThat(CredentialStore.directory(Map.of("user.home", "/home/ada")::get, k -> null))
        .isEqualTo(Path.of("/home/ada/.kodo"));
  }

  @Test
  void theDirectoryIsOwnerOnlyAndTheFileTooEvenWhenTheyWereNot(@TempDir Path tmp)
      throws IOException {
    Path dir = tmp.resolve("kodo");
    CredentialStore store = CredentialStore.in(dir);
    store.save("http://127.0.0.1:3370", StoredToken.of("t1", EXP, "user:alice"));
    assertThat(mode(dir)).isEqualTo("rwx------");
    assertThat(mode(store.file())).isEqualTo("rw-------");

    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(store.file(), PosixFilePermissions.fromString("rw-r--r--"));
    store.save("http://127.0.0.1:3370", StoredToken.of("t2", EXP, "user:alice"));
    assertThat(mode(dir)).isEqualTo("rwx------");
    assertThat(mode(store.file())).isEqualTo("rw-------");
    assertThat(leftovers(dir)).isEmpty();
  }

  @Test
  @Timeout(60)
  void theFileIsNeverSeenHalfWrittenOrReadableByOthers(@TempDir Path tmp) throws Exception {
    CredentialStore store = CredentialStore.in(tmp.resolve("kodo"));
    store.save("http://127.0.0.1:1", StoredToken.of("first", EXP, "user:alice"));
    AtomicBoolean stop = new AtomicBoolean();
    List<String> seen = new ArrayList<>();
    Thread watcher =
        Thread.ofPlatform()
            .start(
                () -> {
                  while (!stop.get()) {
                    try {
                      String mode = mode(store.file());
                      String text = Files.readString(store.file(), StandardCharsets.UTF_8);
                      if (!mode.equals("rw-------")) seen.add("mode " + mode);
                      Json.read(text); // a half-written file would not parse
                      if (!text.endsWith("}\n")) seen.add("cut: " + text.length());
                    } catch (IOException | RuntimeException e) {
                      seen.add(e.toString());
                    }
                  }
                });
    try {
      for (int i = 0; i < 200; i++) {
        store.save("http://127.0.0.1:" + (i % 7 + 1), StoredToken.of("t" + i, EXP, "user:u" + i));
      }
    } finally {
      stop.set(true);
      watcher.join();
    }
    assertThat(seen).isEmpty();
  }

  @Test
  @Timeout(60)
  void concurrentSavesLoseNoEntry(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("kodo");
    int threads = 8;
    int each = 15;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  // A store per thread, as separate koco processes each have their own.
                  CredentialStore store = CredentialStore.in(dir);
                  start.await();
                  for (int i = 0; i < each; i++) {
                    store.save(
                        "http://node-" + thread + "-" + i + ":3370",
                        StoredToken.of("t", EXP, "user:u" + thread));
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) f.get(50, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertThat(CredentialStore.in(dir).all()).hasSize(threads * each);
    assertThat(leftovers(dir)).isEmpty();
  }

  @Test
  void aDamagedFileIsSaidWithoutQuotingIt(@TempDir Path tmp) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("kodo"));
    Files.writeString(dir.resolve("credentials.json"), "{\"tokens\": {\"secret-token-text");
    CredentialStore store = CredentialStore.in(dir);
    assertThatThrownBy(() -> store.find("http://127.0.0.1:3370"))
        .isInstanceOf(KodoException.class)
        .hasMessageContaining("credentials.json is not a credentials file")
        .hasMessageContaining("log in again")
        .hasMessageNotContaining("secret-token-text");
  }

  @Test
  void aStoredTokensTextShowsNoToken() {
    StoredToken t = new StoredToken("access-123", "refresh-456", EXP, "user:alice", false, null);
    assertThat(t.toString())
        .contains("user:alice")
        .doesNotContain("access-123")
        .doesNotContain("refresh-456");
    assertThat(t.expired(EXP.minusSeconds(60))).isFalse();
    assertThat(t.expired(EXP.minusSeconds(10))).as("within the skew").isTrue();
    assertThat(StoredToken.of("x", null, null).expired(Instant.MAX)).isFalse();
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static List<String> leftovers(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
    }
  }
}
