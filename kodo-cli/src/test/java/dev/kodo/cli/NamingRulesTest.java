package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the naming rules of docs/architecture.md true over every module's sources, main and test: a
 * module's classes are in the package named after its artifact ({@code dev.kodo.} and the
 * artifactId without {@code kodo-}, dashes as dots) or below it, and no two classes share a simple
 * name.
 */
class NamingRulesTest {
  private static final Pattern PACKAGE = Pattern.compile("(?m)^package ([\\w.]+);");
  private static final Pattern ARTIFACT = Pattern.compile("<artifactId>([^<]+)</artifactId>");

  private static Path root;

  @BeforeAll
  static void findRoot() {
    root = Path.of("").toAbsolutePath();
    while (!Files.isRegularFile(root.resolve("docs/architecture.md"))) {
      root = root.getParent();
      assertThat(root).as("docs/architecture.md above the module directory").isNotNull();
    }
  }

  @Test
  void packagesFollowArtifacts() throws IOException {
    List<String> wrong = new ArrayList<>();
    try (Stream<Path> modules = Files.list(root)) {
      for (Path module :
          modules.filter(m -> Files.isDirectory(m.resolve("src"))).sorted().toList()) {
        String expected =
            "dev.kodo." + artifactId(module).replaceFirst("^kodo-", "").replace('-', '.');
        for (Path file : javaFiles(module)) {
          Matcher m = PACKAGE.matcher(Files.readString(file));
          String pkg = m.find() ? m.group(1) : "(none)";
          if (!pkg.equals(expected) && !pkg.startsWith(expected + ".")) {
            wrong.add(root.relativize(file) + " is in " + pkg + ", not " + expected);
          }
        }
      }
    }
    assertThat(wrong).as("classes outside their module's package").isEmpty();
  }

  @Test
  void classNamesAreUnique() throws IOException {
    Map<String, List<String>> byName = new TreeMap<>();
    try (Stream<Path> modules = Files.list(root)) {
      for (Path module :
          modules.filter(m -> Files.isDirectory(m.resolve("src"))).sorted().toList()) {
        for (Path file : javaFiles(module)) {
          String name = file.getFileName().toString();
          if (!name.equals("package-info.java")) {
            byName
                .computeIfAbsent(name, n -> new ArrayList<>())
                .add(root.relativize(file).toString());
          }
        }
      }
    }
    byName.values().removeIf(files -> files.size() < 2);
    assertThat(byName).as("class names used more than once").isEmpty();
  }

  /** The module's own artifactId: the first one after its parent block. */
  private static String artifactId(Path module) throws IOException {
    String pom =
        Files.readString(module.resolve("pom.xml")).replaceFirst("(?s)<parent>.*?</parent>", "");
    Matcher m = ARTIFACT.matcher(pom);
    assertThat(m.find()).as("artifactId in " + module.resolve("pom.xml")).isTrue();
    return m.group(1);
  }

  private static List<Path> javaFiles(Path module) throws IOException {
    try (Stream<Path> files = Files.walk(module.resolve("src"))) {
      return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
    }
  }
}
