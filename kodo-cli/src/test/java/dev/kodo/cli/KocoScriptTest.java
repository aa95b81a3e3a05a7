package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.cluster.testing.ServiceJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

/**
 * The {@code ./koco} launcher's list of client commands (those it starts on the client class path,
 * docs/architecture.md#koco) names exactly the commands of {@link Koco} that are neither a server
 * nor {@code run} nor {@code help}: a new command is not left on the slower path, and none is put
 * on the client class path by mistake.
 */
class KocoScriptTest {
  /** The commands the launcher starts on the full class path. */
  private static final Set<String> NOT_CLIENT =
      Set.of("run", "serve", "node", "registry", "auth", "worker", "help");

  @Test
  void theLauncherStartsEveryClientCommandAndNoOtherOnTheClientClassPath() {
    List<String> commands =
        Koco.COMMANDS.stream()
            .map(c -> c.getAnnotation(Command.class).name())
            .filter(name -> !NOT_CLIENT.contains(name))
            .sorted()
            .toList();

    assertThat(clientCommands().stream().sorted().toList()).isEqualTo(commands);
  }

  /**
   * The tests' child JVMs (kodo-cluster-testing's {@code ServiceJvm}, whose AOT cache is valid only
   * for the module flags it was trained with) get the flags {@link KocoProcess} gives the bench's.
   */
  @Test
  void theTestsChildJvmsGetTheServiceFlagsKocoProcessGives() {
    assertThat(ServiceJvm.FLAGS).isEqualTo(KocoProcess.serviceFlags());
  }

  /** The repository's root: the directory above the module that holds the launcher. */
  static Path root() {
    Path root = Path.of("").toAbsolutePath();
    while (!Files.isRegularFile(root.resolve("koco"))) {
      root = root.getParent();
      assertThat(root).as("./koco above the module directory").isNotNull();
    }
    return root;
  }

  /** The launcher's {@code CLIENT_COMMANDS}. */
  static List<String> clientCommands() {
    try {
      String line =
          Files.readAllLines(root().resolve("koco")).stream()
              .filter(l -> l.startsWith("CLIENT_COMMANDS="))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no CLIENT_COMMANDS= line in ./koco"));
      String list = line.substring(line.indexOf('"') + 1, line.lastIndexOf('"'));
      return Arrays.stream(list.trim().split(" +")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
