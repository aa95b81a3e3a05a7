package dev.kodo.agents.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.agents.crew.CrewException;
import dev.kodo.engine.FlowCatalog;
import dev.kodo.engine.LoadedFlow;
import dev.kodo.engine.Secrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crews in a {@link FlowCatalog} through {@link CrewSource}, found by ServiceLoader. */
class CrewSourceTest {
  private static final ClassLoader LOADER = CrewSourceTest.class.getClassLoader();

  private static Path examples() {
    Path root = Path.of("").toAbsolutePath();
    while (!Files.isDirectory(root.resolve("examples/crews"))) {
      root = root.getParent();
    }
    return root.resolve("examples/crews");
  }

  private static Path copyExample(Path dir, String name) throws Exception {
    Files.createDirectories(dir);
    return Files.copy(examples().resolve(name), dir.resolve(name));
  }

  @Test
  void aDirectoryOffersItsCrewsByRelativePathAndRefusesABrokenOneWithItsPosition(@TempDir Path dir)
      throws Exception {
    copyExample(dir.resolve("crews"), "competitor-analysis.yaml");
    copyExample(dir, "research-desk.yaml");
    Path bad =
        Files.writeString(
            dir.resolve("crews/bad.yaml"),
            """
            name: Bad
            agentz: {}
            """);

    FlowCatalog catalog = FlowCatalog.load(List.of(dir.toString()), LOADER);

    assertThat(catalog.all())
        .extracting(LoadedFlow::path)
        .containsExactly("crews/competitor-analysis", "research-desk");
    assertThat(catalog.get("crews/competitor-analysis").orElseThrow().spec().name())
        .isEqualTo("Competitor analysis");
    assertThat(catalog.refusals())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.source()).isEqualTo(bad.toString());
              assertThat(r.message()).containsPattern("bad\\.yaml:2:1: ");
            });
  }

  @Test
  void theLaunchCheckNamesEachMissingVariableAndNoValue(@TempDir Path dir) throws Exception {
    LoadedFlow crew =
        FlowCatalog.resolve(copyExample(dir, "competitor-analysis.yaml").toString(), LOADER)
            .getFirst();
    assertThat(crew.path()).isEqualTo("competitor-analysis");

    assertThat(crew.launchProblems(Secrets.of(Map.of())))
        .containsExactly(
            "set OPENAI_API_KEY (in the environment or as kodo.secrets.OPENAI_API_KEY)");
    assertThat(crew.launchProblems(Secrets.of(Map.of("OPENAI_API_KEY", ""))))
        .as("empty is unset")
        .hasSize(1);
    assertThat(crew.launchProblems(Secrets.of(Map.of("OPENAI_API_KEY", "sk-x")))).isEmpty();
  }

  @Test
  void resolvingABrokenCrewThrowsEveryProblemWithFileLineAndColumn(@TempDir Path dir)
      throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "name: Bad\nagentz: {}\n");
    assertThatThrownBy(() -> FlowCatalog.resolve(bad.toString(), LOADER))
        .isInstanceOf(CrewException.class)
        .hasMessageStartingWith(bad + ":1:1: ")
        .hasMessageContaining(bad + ":2:1: unknown key 'agentz'");
  }

  @Test
  void aReloadOfAnUnchangedCrewChangesNothingAndAnEditIsSeen(@TempDir Path dir) throws Exception {
    Path file = copyExample(dir, "competitor-analysis.yaml");
    List<String> sources = List.of(dir.toString());
    FlowCatalog catalog = FlowCatalog.load(sources, LOADER);
    Object first = catalog.get("competitor-analysis").orElseThrow().identity();

    assertThat(catalog.reload(sources, LOADER).any()).isFalse();
    assertThat(catalog.get("competitor-analysis").orElseThrow().identity()).isSameAs(first);

    Files.writeString(file, Files.readString(file).replace("release: 0.1.0", "release: 0.2.0"));
    assertThat(catalog.reload(sources, LOADER).changed()).containsExactly("competitor-analysis");
    assertThat(catalog.get("competitor-analysis").orElseThrow().info().release())
        .isEqualTo("0.2.0");
  }
}
