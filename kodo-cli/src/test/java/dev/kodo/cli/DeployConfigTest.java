package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The configuration files of {@code deploy/config} (docs/deploy.md) name only keys the code reads:
 * Spring Boot ignores a key nobody reads, so a misspelt one would silently leave its default in
 * place. Their values are checked by {@link DeployTopologyIT}, which starts the processes from
 * them.
 */
class DeployConfigTest {
  /** The Spring Boot keys the files may set besides Kodo's (docs/configuration.md). */
  private static final Set<String> SPRING = Set.of("server.address", "server.port");

  /**
   * The variables of {@code koco worker} (docs/configuration.md#koco-worker) a committed file may
   * set: its secrets come from {@code .env}.
   */
  private static final Set<String> WORKER_ENV = Set.of("KODO_AUTH_ISSUER", "KODO_AUTH_CLIENT_ID");

  @Test
  void everyKeyOfTheDeployFilesIsOneTheCodeReads() throws Exception {
    Set<String> known = ConfigurationKeys.scan().keys().keySet();
    List<String> unknown = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(deployDir().resolve("config"))) {
      files = s.sorted().toList();
    }
    assertThat(files).isNotEmpty();
    for (Path f : files) {
      String name = f.getFileName().toString();
      if (name.endsWith(".properties")) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(f)) {
          p.load(r);
        }
        assertThat(p).as(name).isNotEmpty();
        for (String key : p.stringPropertyNames()) {
          if (!known.contains(key) && !SPRING.contains(key)) unknown.add(name + ": " + key);
        }
        assertThat(p.stringPropertyNames())
            .as(name + " holds no secret")
            .noneMatch(k -> k.endsWith("password") || k.endsWith("secret"));
      } else if (name.endsWith(".env")) {
        for (String line : Files.readAllLines(f)) {
          String t = line.strip();
          if (t.isEmpty() || t.startsWith("#")) continue;
          String key = t.substring(0, Math.max(0, t.indexOf('=')));
          if (!WORKER_ENV.contains(key)) unknown.add(name + ": " + key);
        }
      } else {
        unknown.add(name + ": not a .properties or .env file");
      }
    }
    assertThat(unknown).as("keys no code reads, or secrets in committed files").isEmpty();
  }

  static Path deployDir() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("deploy").resolve("compose.yaml"))) {
        return p.resolve("deploy");
      }
    }
    throw new AssertionError("no deploy/compose.yaml above " + Path.of("").toAbsolutePath());
  }
}
