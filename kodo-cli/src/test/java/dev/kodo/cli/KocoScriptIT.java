package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./koco} launcher itself, as a user starts it, against a real node: the client commands
 * run on the client class path ({@code kodo-cli/target/client-lib}, docs/architecture.md#koco), so
 * a class one of them needs from a jar outside it would fail here, not in a user's hands. Runs in
 * the integration phase, after {@code package} made the jars the launcher uses.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class KocoScriptIT {
  @TempDir static Path data;
  @TempDir static Path home;
  static TestNode node;
  static Path script;

  @BeforeAll
  static void startNode() {
    node = TestNode.start(data);
    script = KocoScriptTest.root().resolve("koco");
  }

  @AfterAll
  static void stopNode() {
    if (node != null) node.close();
  }

  @Test
  void onJdk25ThePicocliOfTheClientClassPathIsOfAVersionTheAotCacheHolds() throws Exception {
    // kodo-cli's build rewrites it (src/build/java/dev/kodo/cli/build/UpgradeClassVersion.java,
    // profile aot-class-versions)
    assumeTrue(Runtime.version().feature() >= 25);
    Path lib = KocoScriptTest.root().resolve("kodo-cli/target/client-lib");
    Path picocli;
    try (var jars = Files.list(lib)) {
      picocli =
          jars.filter(p -> p.getFileName().toString().startsWith("picocli-")).findFirst().get();
    }
    try (JarFile jar = new JarFile(picocli.toFile())) {
      byte[] head = jar.getInputStream(jar.getEntry("picocli/CommandLine.class")).readNBytes(8);
      int major = ((head[6] & 0xff) << 8) | (head[7] & 0xff);
      assertThat(major).as("class file version of picocli.CommandLine").isGreaterThanOrEqualTo(50);
    }
  }

  @Test
  void everyClientCommandHelpsOnTheClientClassPath() throws Exception {
    for (String command : KocoScriptTest.clientCommands()) {
      Run help = koco(command, "--help");
      assertThat(help.exit()).as(command + ": " + help.output()).isZero();
      assertThat(help.output()).as(command).contains("Usage: koco " + command);
    }
  }

  @Test
  void clientCommandsWorkOnTheClientClassPath() throws Exception {
    Run flows = koco("flows", "--node", node.url);
    assertThat(flows.exit()).as(flows.output()).isZero();
    assertThat(flows.output()).contains("dev.kodo.examples.MarketReport");

    Run show = koco("flows", "show", "dev.kodo.examples.ResearchSteps", "--node", node.url);
    assertThat(show.exit()).as(show.output()).isZero();

    Run launch =
        koco(
            "launch",
            "dev.kodo.examples.ResearchSteps",
            "-i",
            "topic=heat pumps",
            "-i",
            "steps=2",
            "-i",
            "pause=0",
            "--follow",
            "--node",
            node.url);
    assertThat(launch.exit()).as(launch.output()).isZero();
    assertThat(launch.output()).contains("final         done in");

    Run fid =
        koco("launch", "dev.kodo.examples.MarketReport", "-i", "company=ACME", "--node", node.url);
    assertThat(fid.exit()).as(fid.output()).isZero();
    String run = fid.output().strip().lines().reduce((a, b) -> b).orElseThrow();
    for (List<String> args :
        List.of(
            List.of("follow", run),
            List.of("status", run),
            List.of("runs"),
            List.of("runs", "--json"),
            List.of("ack", run),
            List.of("kill", run),
            List.of("lock", run, "--data", "approve=true"),
            List.of("whoami"),
            List.of("nodes"),
            List.of("cleanup"))) {
      List<String> all = new ArrayList<>(args);
      String at =
          switch (args.get(0)) {
            case "whoami" -> "--url";
            case "nodes" -> "--registry";
            default -> "--node";
          };
      all.addAll(List.of(at, node.url));
      Run r = koco(all.toArray(String[]::new));
      // The node may refuse some (a run already final cannot be killed): what matters is that
      // each command ran to an answer, on the classes the client class path holds.
      assertThat(r.output())
          .as(String.join(" ", args))
          .doesNotContain("unexpected error", "NoClassDefFoundError", "ClassNotFoundException");
      assertThat(r.exit()).as(String.join(" ", args) + ": " + r.output()).isNotEqualTo(Exit.FAILED);
    }
  }

  private record Run(int exit, String output) {}

  private static Run koco(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(script.toString());
    command.addAll(List.of(args));
    Path out = Files.createTempFile(home, "koco", ".out");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.redirectOutput(out.toFile());
    pb.environment().put("KOCO_SKIP_BUILD", "1");
    pb.environment().put("NO_COLOR", "1");
    pb.environment().put("HOME", home.toString());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().remove("KODO_NODE");
    pb.environment().remove("KODO_TOKEN");
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("koco " + String.join(" ", args) + " did not exit in 60 s");
    }
    return new Run(p.exitValue(), Files.readString(out));
  }
}
