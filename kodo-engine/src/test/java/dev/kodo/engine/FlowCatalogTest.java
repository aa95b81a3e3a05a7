package dev.kodo.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.client.KodoException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowCatalogTest {
  private static final ClassLoader LOADER = FlowCatalogTest.class.getClassLoader();
  private static final String HELLO = EngineTestFlows.Hello.class.getName();
  private static final String CHATTY = EngineTestFlows.Chatty.class.getName();

  private static List<LoadedFlow> resolve(String source) {
    return FlowCatalog.resolve(source, LOADER);
  }

  @Test
  void loadsAFlowByClassNameUnderThatName() {
    LoadedFlow flow = resolve(HELLO).getFirst();
    assertThat(flow.path()).isEqualTo("dev.kodo.engine.EngineTestFlows$Hello");
    assertThat(flow.spec().name()).isEqualTo("Hello");
    assertThat(flow.info().release()).isEqualTo("1.2.3");
    assertThat(flow.info().schema().path("required").get(0).asString()).isEqualTo("name");
  }

  @Test
  void explainsAnUnknownClass() {
    assertThatThrownBy(() -> resolve("com.acme.Missing"))
        .isInstanceOf(KodoException.class)
        .hasMessage(
            "flow class com.acme.Missing is not on the classpath (a class name, a .java or .yaml file, a jar, a directory, or classpath:*)");
  }

  @Test
  void refusesAClassThatIsNotAFlow() {
    assertThatThrownBy(() -> resolve("java.lang.String"))
        .isInstanceOf(KodoException.class)
        .hasMessage("class java.lang.String is not a flow: it must implement dev.kodo.sdk.Flow");
  }

  @Test
  void refusesAFlowWithoutANoArgumentConstructor() {
    assertThatThrownBy(() -> resolve(EngineTestFlows.NoDefaultConstructor.class.getName()))
        .isInstanceOf(KodoException.class)
        .hasMessage(
            "flow class dev.kodo.engine.EngineTestFlows$NoDefaultConstructor needs a public constructor without arguments");
  }

  @Test
  void refusesAbstractAndNonPublicFlows() {
    assertThatThrownBy(() -> resolve(EngineTestFlows.Abstract.class.getName()))
        .hasMessage(
            "flow class dev.kodo.engine.EngineTestFlows$Abstract must be public and not abstract");
    assertThatThrownBy(() -> resolve("dev.kodo.engine.EngineTestFlows$NotPublic"))
        .hasMessage(
            "flow class dev.kodo.engine.EngineTestFlows$NotPublic must be public and not abstract");
  }

  @Test
  void explainsASpecThatFailsOrIsMissing() {
    assertThatThrownBy(() -> resolve(EngineTestFlows.BadSpec.class.getName()))
        .isInstanceOf(KodoException.class)
        .hasMessageStartingWith(
            "flow class dev.kodo.engine.EngineTestFlows$BadSpec failed to describe itself in spec(): ")
        .hasMessageContaining("release 'one'");
    assertThatThrownBy(() -> resolve(EngineTestFlows.NullSpec.class.getName()))
        .isInstanceOf(KodoException.class)
        .hasMessage(
            "flow class dev.kodo.engine.EngineTestFlows$NullSpec returned no spec; return FlowSpec.builder(...).build()");
  }

  @Test
  void classpathStarFindsEveryRegisteredFlow() {
    assertThat(resolve("classpath:*"))
        .extracting(LoadedFlow::path)
        .containsExactlyInAnyOrder(HELLO, CHATTY);
  }

  @Test
  void classpathStarExplainsABrokenRegistration(@TempDir Path dir) throws Exception {
    Path services = dir.resolve("META-INF/services/dev.kodo.sdk.Flow");
    Files.createDirectories(services.getParent());
    Files.writeString(services, EngineTestFlows.NoDefaultConstructor.class.getName() + "\n");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, LOADER)) {
      assertThatThrownBy(() -> FlowCatalog.resolve("classpath:*", loader))
          .isInstanceOf(KodoException.class)
          .hasMessageStartingWith(
              "a flow listed in META-INF/services/dev.kodo.sdk.Flow cannot be loaded: ")
          .hasMessageContaining("NoDefaultConstructor");
    }
  }

  @Test
  void explainsAMissingSourceFileAndAnEmptySource() {
    assertThatThrownBy(() -> resolve("flows/Nowhere.java"))
        .isInstanceOf(KodoException.class)
        .hasMessageStartingWith("flow source file ")
        .hasMessageEndingWith("Nowhere.java does not exist");
    assertThatThrownBy(() -> FlowCatalog.load(List.of("  "), LOADER))
        .hasMessage("empty flow source in the flow list");
  }

  @Test
  void loadsSeveralSourcesInOrderAndFindsFlowsByPath() {
    FlowCatalog catalog = FlowCatalog.load(List.of(" " + CHATTY + " ", HELLO), LOADER);
    assertThat(catalog.all()).extracting(LoadedFlow::path).containsExactly(CHATTY, HELLO);
    assertThat(catalog.size()).isEqualTo(2);
    assertThat(catalog.get(HELLO)).map(f -> f.spec().name()).contains("Hello");
    assertThat(catalog.get("dev.kodo.engine.Nope")).isEmpty();
  }

  @Test
  void keepsAFlowListedTwiceOnce() {
    FlowCatalog catalog = FlowCatalog.load(List.of(HELLO, "classpath:*"), LOADER);
    assertThat(catalog.all()).extracting(LoadedFlow::path).containsExactly(HELLO, CHATTY);
  }

  @Test
  void refusesTwoDifferentFlowsUnderOnePath(@TempDir Path dir) throws Exception {
    Path a = JavaSourceCompilerTest.write(dir.resolve("a"), "Hello", "from a");
    Path b = JavaSourceCompilerTest.write(dir.resolve("b"), "Hello", "from b");
    assertThatThrownBy(() -> FlowCatalog.load(List.of(a.toString(), b.toString()), LOADER))
        .isInstanceOf(KodoException.class)
        .hasMessageStartingWith("two different flows share the path Hello");
  }

  private static Path greeter(Path dir, String release, String answer) throws Exception {
    return Files.writeString(
        dir.resolve("Greeter.java"),
        """
        import dev.kodo.sdk.*;
        public class Greeter implements Flow {
          public FlowSpec spec() { return FlowSpec.builder("Greeter").release("%s").build(); }
          public Result run(FlowContext ctx) { return Result.markdown("%s"); }
        }
        """
            .formatted(release, answer));
  }

  @Test
  void aReloadReportsWhatChangedAndABrokenSourceChangesNothing(@TempDir Path dir) throws Exception {
    Path file = greeter(dir, "1.0.0", "A");
    List<String> sources = List.of(HELLO, file.toString());
    FlowCatalog catalog = FlowCatalog.load(sources, LOADER);
    Object first = catalog.get("Greeter").orElseThrow().identity();

    FlowCatalog.Change same = catalog.reload(sources, LOADER);
    assertThat(same.any()).isFalse();
    assertThat(catalog.version()).isZero();

    greeter(dir, "1.0.0", "B");
    assertThat(catalog.reload(sources, LOADER).any()).as("new code, same announcement").isFalse();
    assertThat(catalog.get("Greeter").orElseThrow().identity())
        .as("the new code is used")
        .isNotSameAs(first);
    assertThat(catalog.version()).isZero();

    greeter(dir, "1.1.0", "B");
    FlowCatalog.Change release = catalog.reload(sources, LOADER);
    assertThat(release.changed()).containsExactly("Greeter");
    assertThat(catalog.version()).isEqualTo(1);

    FlowCatalog.Change more = catalog.reload(List.of(HELLO, CHATTY, file.toString()), LOADER);
    assertThat(more.added()).containsExactly(CHATTY);
    FlowCatalog.Change fewer = catalog.reload(List.of(file.toString()), LOADER);
    assertThat(fewer.removed()).containsExactlyInAnyOrder(HELLO, CHATTY);
    assertThat(catalog.version()).isEqualTo(3);

    Files.writeString(file, "public class Greeter implements dev.kodo.sdk.Flow { nonsense }");
    assertThatThrownBy(() -> catalog.reload(List.of(file.toString()), LOADER))
        .isInstanceOf(KodoException.class)
        .hasMessageContaining("Greeter.java");
    assertThat(catalog.size()).isEqualTo(1);
    assertThat(catalog.get("Greeter").orElseThrow().info().release()).isEqualTo("1.1.0");
    assertThat(catalog.version()).isEqualTo(3);
  }

  private static Path write(Path file, String text) throws Exception {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }

  private static Path jar(Path file, String services) throws Exception {
    Files.createDirectories(file.getParent());
    try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(file))) {
      out.putNextEntry(new java.util.jar.JarEntry("META-INF/services/dev.kodo.sdk.Flow"));
      out.write(services.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.closeEntry();
    }
    return file;
  }

  @Test
  void aDirectoryOffersItsCrewsJavaFlowsAndJarsAndRefusesWhatItCannotUse(@TempDir Path dir)
      throws Exception {
    write(dir.resolve("crews/competitor-analysis.yaml"), "name: Competitors\n");
    write(dir.resolve("crews/deep/er/triage.yaml"), "name: Triage\n");
    write(dir.resolve("crews/broken.yaml"), "agents: {}\n");
    write(dir.resolve(".git/config.yaml"), "not a crew\n");
    write(dir.resolve("notes.txt"), "not a flow");
    greeter(Files.createDirectories(dir.resolve("java")), "1.0.0", "A");
    write(dir.resolve("java/Nonsense.java"), "public class Nonsense { nonsense }");
    jar(dir.resolve("lib/chatty.jar"), "# the flows\n" + CHATTY + "\n");
    jar(dir.resolve("lib/empty.jar"), "com.acme.Missing\n");

    FlowCatalog catalog = FlowCatalog.load(List.of(dir.toString(), HELLO), LOADER);

    assertThat(catalog.all())
        .extracting(LoadedFlow::path)
        .containsExactly(
            "crews/competitor-analysis", "crews/deep/er/triage", "Greeter", CHATTY, HELLO);
    assertThat(catalog.get("crews/deep/er/triage").orElseThrow().spec().name()).isEqualTo("Triage");
    assertThat(catalog.refusals())
        .extracting(FlowCatalog.Refusal::source)
        .containsExactly(
            dir.resolve("crews/broken.yaml").toString(),
            dir.resolve("java/Nonsense.java").toString(),
            dir.resolve("lib/empty.jar").toString());
    assertThat(catalog.refusals().get(0).message())
        .isEqualTo(dir.resolve("crews/broken.yaml") + ":1:1: expected 'name: …'");
    assertThat(catalog.refusals().get(1).message()).contains("Nonsense.java");
    assertThat(catalog.refusals().get(2).message())
        .isEqualTo(
            "flow jar "
                + dir.resolve("lib/empty.jar")
                + " lists flow class com.acme.Missing but does not contain it");
  }

  @Test
  void aCrewFileOnItsOwnIsNamedAfterItsFileAndABrokenOneIsRefused(@TempDir Path dir)
      throws Exception {
    Path good = write(dir.resolve("sub/report.yaml"), "name: Report\nneeds: OPENAI_API_KEY\n");
    Path bad = write(dir.resolve("bad.yaml"), "oops\n");

    FlowCatalog catalog = FlowCatalog.load(List.of(good.toString(), bad.toString()), LOADER);

    assertThat(catalog.all()).extracting(LoadedFlow::path).containsExactly("report");
    assertThat(catalog.refusals())
        .containsExactly(new FlowCatalog.Refusal(bad.toString(), bad + ":1:1: expected 'name: …'"));
    LoadedFlow report = catalog.get("report").orElseThrow();
    assertThat(report.launchProblems(Secrets.of(java.util.Map.of())))
        .containsExactly(
            "set OPENAI_API_KEY (in the environment or as kodo.secrets.OPENAI_API_KEY)");
    assertThat(report.launchProblems(Secrets.of(java.util.Map.of("OPENAI_API_KEY", "sk-x"))))
        .isEmpty();
    assertThatThrownBy(() -> resolve(bad.toString()))
        .as("resolve (koco run) throws the source's own exception")
        .isInstanceOf(KodoException.class)
        .hasMessage(bad + ":1:1: expected 'name: …'");
  }

  @Test
  void aMissingDirectoryOrCrewFileStopsTheLoad(@TempDir Path dir) {
    assertThatThrownBy(
            () -> FlowCatalog.load(List.of(dir.resolve("nowhere.yaml").toString()), LOADER))
        .hasMessageEndingWith("nowhere.yaml does not exist");
    assertThatThrownBy(() -> resolve(dir.resolve("lib.jar").toString()))
        .hasMessageEndingWith("lib.jar does not exist");
  }

  @Test
  void aDirectoryOffersAtMostItsBoundOfFiles(@TempDir Path dir) throws Exception {
    for (int i = 0; i <= FlowCatalog.MAX_DIRECTORY_FILES; i++) {
      write(dir.resolve("c%04d.yaml".formatted(i)), "name: C" + i + "\n");
    }
    FlowCatalog catalog = FlowCatalog.load(List.of(dir.toString()), LOADER);
    assertThat(catalog.size()).isEqualTo(FlowCatalog.MAX_DIRECTORY_FILES);
    assertThat(catalog.get("c0000")).isPresent();
    assertThat(catalog.get("c%04d".formatted(FlowCatalog.MAX_DIRECTORY_FILES))).isEmpty();
    assertThat(catalog.refusals())
        .singleElement()
        .satisfies(r -> assertThat(r.source()).isEqualTo(dir.toString()))
        .satisfies(r -> assertThat(r.message()).contains("more than the 1000"));
  }

  @Test
  void aReloadReadsCrewsAgainAndDropsOneThatBroke(@TempDir Path dir) throws Exception {
    Path crew = write(dir.resolve("crews/a.yaml"), "name: A\n");
    List<String> sources = List.of(dir.toString());
    FlowCatalog catalog = FlowCatalog.load(sources, LOADER);
    assertThat(catalog.reload(sources, LOADER).any()).isFalse();

    write(crew, "name: A2\n");
    assertThat(catalog.reload(sources, LOADER).changed()).containsExactly("crews/a");
    assertThat(catalog.get("crews/a").orElseThrow().spec().name()).isEqualTo("A2");

    write(dir.resolve("crews/b.yaml"), "name: B\n");
    assertThat(catalog.reload(sources, LOADER).added()).containsExactly("crews/b");

    write(crew, "broken\n");
    FlowCatalog.Change broke = catalog.reload(sources, LOADER);
    assertThat(broke.removed()).containsExactly("crews/a");
    assertThat(catalog.refusals())
        .extracting(FlowCatalog.Refusal::source)
        .containsExactly(crew.toString());

    write(crew, "name: A3\n");
    assertThat(catalog.reload(sources, LOADER).added()).containsExactly("crews/a");
    assertThat(catalog.refusals()).isEmpty();
  }
}
