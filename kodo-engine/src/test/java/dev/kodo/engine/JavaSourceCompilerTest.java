package dev.kodo.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.client.Event;
import dev.kodo.client.KodoException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaSourceCompilerTest {
  private static final ClassLoader LOADER = JavaSourceCompilerTest.class.getClassLoader();

  @TempDir Path dir;

  /**
   * Writes a flow {@code className} (default package) answering {@code answer} into {@code dir}.
   */
  static Path write(Path dir, String className, String answer) throws Exception {
    Files.createDirectories(dir);
    return Files.writeString(
        dir.resolve(className + ".java"),
        """
        import dev.kodo.sdk.*;
        import java.util.function.Supplier;

        public class %s implements Flow {
          public FlowSpec spec() {
            return FlowSpec.builder("%s").inputs(Form.builder().text("who", f -> f.defaultValue("world"))).build();
          }

          public Result run(FlowContext ctx) {
            Supplier<String> greeting = new Supplier<>() {
              public String get() { return "%s, " + ctx.inputs().text("who"); }
            };
            ctx.progress(0.5, "greeting");
            return Result.markdown(greeting.get());
          }
        }
        """
            .formatted(className, className, answer));
  }

  @Test
  void aFlowInAJavaFileCompilesAndRuns() throws Exception {
    Path file = write(dir, "Greeter", "Hi");
    LoadedFlow flow = FlowCatalog.resolve(file.toString(), LOADER).getFirst();
    assertThat(flow.path()).isEqualTo("Greeter");

    List<Event> events = new ArrayList<>();
    RunOutcome outcome = LocalRun.execute(flow, Map.of("who", "Ada"), events::add);

    assertThat(outcome).isEqualTo(RunOutcome.DONE);
    assertThat(events.getLast().dataNode().path("result").path("body").asString())
        .isEqualTo("Hi, Ada");
  }

  @Test
  void aFlowInAPackageKeepsItsFullName() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("Packaged.java"),
            """
        package com.acme.flows;

        import dev.kodo.sdk.*;

        public class Packaged implements Flow {
          public FlowSpec spec() { return FlowSpec.builder("Packaged").build(); }
          public Result run(FlowContext ctx) { return Result.json(java.util.Map.of("ok", true)); }
        }
        """);
    LoadedFlow flow = FlowCatalog.resolve(file.toString(), LOADER).getFirst();
    assertThat(flow.path()).isEqualTo("com.acme.flows.Packaged");
    assertThat(LocalRun.execute(flow, Map.of(), e -> {})).isEqualTo(RunOutcome.DONE);
  }

  @Test
  void aCompileErrorNamesFileLineAndColumn() throws Exception {
    String badLine = "  public Result run(FlowContext ctx) { return undefinedThing; }";
    Path file =
        Files.writeString(
            dir.resolve("Broken.java"),
            """
        import dev.kodo.sdk.*;
        public class Broken implements Flow {
          public FlowSpec spec() { return FlowSpec.builder("Broken").build(); }
        %s
        }
        """
                .formatted(badLine));
    int column = badLine.indexOf("undefinedThing") + 1;
    assertThatThrownBy(() -> FlowCatalog.resolve(file.toString(), LOADER))
        .isInstanceOf(KodoException.class)
        .hasMessageStartingWith("flow source " + file + " does not compile:\n")
        .hasMessageContaining("Broken.java:4:" + column + ": cannot find symbol");
  }

  @Test
  void reportsEveryCompileError() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("Twice.java"),
            """
        public class Twice implements dev.kodo.sdk.Flow {
          int a = "text";
          int b = "more text";
        }
        """);
    assertThatThrownBy(() -> FlowCatalog.resolve(file.toString(), LOADER))
        .hasMessageContaining("Twice.java:1:8: ")
        .hasMessageContaining("Twice.java:2:11: ")
        .hasMessageContaining("Twice.java:3:11: ");
  }

  @Test
  void aFileWithoutItsNamesakeClassIsExplained() throws Exception {
    Path file = Files.writeString(dir.resolve("Named.java"), "class Other {}\n");
    assertThatThrownBy(() -> FlowCatalog.resolve(file.toString(), LOADER))
        .isInstanceOf(KodoException.class)
        .hasMessage("flow source " + file + " declares no class named Named");
  }

  @Test
  void aCompiledClassThatIsNoFlowIsRefused() throws Exception {
    Path file = Files.writeString(dir.resolve("Plain.java"), "public class Plain {}\n");
    assertThatThrownBy(() -> FlowCatalog.resolve(file.toString(), LOADER))
        .hasMessage("class Plain is not a flow: it must implement dev.kodo.sdk.Flow");
  }
}
