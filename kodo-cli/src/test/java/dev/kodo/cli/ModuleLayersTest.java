package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the module graph of docs/architecture.md true where it says no service knows another: the
 * node neither depends on the registry's modules nor imports their classes; only the composition
 * root (kodo-cli) joins them.
 */
class ModuleLayersTest {

  @Test
  void theNodeKnowsNoRegistryModule() throws IOException {
    Path node = root().resolve("kodo-node");
    String pom = Files.readString(node.resolve("pom.xml"));
    assertThat(pom)
        .as("kodo-node's dependencies (test scope aside)")
        .doesNotContain("<artifactId>kodo-registry-core</artifactId></dependency>")
        .doesNotContain("<artifactId>kodo-registry</artifactId></dependency>");
    List<String> importing;
    try (Stream<Path> files = Files.walk(node.resolve("src/main/java"))) {
      importing =
          files
              .filter(f -> f.toString().endsWith(".java"))
              .filter(ModuleLayersTest::importsRegistry)
              .map(f -> node.relativize(f).toString())
              .toList();
    }
    assertThat(importing).as("kodo-node main classes importing dev.kodo.registry").isEmpty();
  }

  @Test
  void theEngineKnowsNoFrameworkAndTheNodeNoAgentClass() throws IOException {
    Path engine = root().resolve("kodo-engine");
    assertThat(Files.readString(engine.resolve("pom.xml")))
        .as("kodo-engine's dependencies")
        .doesNotContain("<artifactId>kodo-agents</artifactId>")
        .doesNotContain("langchain4j");
    for (String module : List.of("kodo-engine", "kodo-node", "kodo-worker")) {
      Path dir = root().resolve(module).resolve("src/main/java");
      List<String> importing;
      try (Stream<Path> files = Files.walk(dir)) {
        importing =
            files
                .filter(f -> f.toString().endsWith(".java"))
                .filter(f -> read(f).contains("import dev.kodo.agents."))
                .map(f -> dir.relativize(f).toString())
                .toList();
      }
      assertThat(importing)
          .as("%s main classes importing dev.kodo.agents (crews come through FlowSource)", module)
          .isEmpty();
    }
    assertThat(Files.readString(root().resolve("kodo-node/pom.xml")))
        .as("the node has kodo-agents at run time only")
        .contains("<artifactId>kodo-agents</artifactId><scope>runtime</scope>");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean importsRegistry(Path file) {
    try {
      return Files.readString(file).contains("import dev.kodo.registry.");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path root() {
    Path root = Path.of("").toAbsolutePath();
    while (!Files.isRegularFile(root.resolve("docs/architecture.md"))) {
      root = root.getParent();
      assertThat(root).as("docs/architecture.md above the module directory").isNotNull();
    }
    return root;
  }
}
