package dev.kodo.cli;

import dev.kodo.client.NodeClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code koco} in a JVM of its own ({@code dev.kodo.cli.Koco} with the test's class path), its
 * output in a log file: for tests of {@code koco node --no-worker} with {@code koco worker}
 * processes on loopback, which must be killed for real (kill -9).
 */
final class KocoProcess implements AutoCloseable {
  final Process process;
  final Path log;

  private KocoProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code koco args…} with {@code env} added to the environment and {@code jvmFlags}. */
  static KocoProcess start(Path log, Map<String, String> env, List<String> jvmFlags, String... args)
      throws IOException {
    Files.createDirectories(log.getParent());
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(
        List.of(
            "--add-opens",
            "java.base/java.lang=ALL-UNNAMED",
            "--add-opens",
            "java.base/sun.nio.ch=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow",
            "-Xmx384m",
            "-XX:TieredStopAtLevel=1"));
    cmd.addAll(jvmFlags);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Koco.class.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().remove("KODO_CLUSTER_SECRET");
    pb.environment().putAll(env);
    return new KocoProcess(pb.start(), log);
  }

  long pid() {
    return process.pid();
  }

  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Waits up to {@code seconds} for a node to answer at {@code url}; fails with the log if not. */
  void awaitNode(String url, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "koco exited with " + process.exitValue() + ":\n" + output());
      }
      try {
        NodeClient.connect(url).state();
        return;
      } catch (RuntimeException notYet) {
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("koco did not answer within " + seconds + " s:\n" + output());
  }

  /** Kills the JVM at once (SIGKILL). */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        kill9();
      }
    }
  }
}
