package dev.kodo.node;

import dev.kodo.client.NodeClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A node in its own JVM on a loopback port, for tests that must kill a node for real. Uses the
 * test's own classpath and the JVM flags of the launcher.
 */
final class NodeProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;

  private NodeProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static NodeProcess start(int port, Path data, String cluster, String... extra) throws Exception {
    List<String> cmd = jvm("dev.kodo.node.NodeApplication");
    cmd.addAll(List.of("--server.port=" + port, "--kodo.data=" + data, "--kodo.cluster.name=" + cluster));
    cmd.addAll(List.of(extra));
    Path log = data.resolveSibling(data.getFileName() + "-" + port + ".log");
    java.nio.file.Files.createDirectories(data.getParent());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    NodeProcess node = new NodeProcess(p, port, log);
    try {
      node.awaitReady();
    } catch (Exception | Error e) {
      node.kill9();
      throw e;
    }
    return node;
  }

  /** The command that runs {@code mainClass} in a JVM of its own with the test's classpath; arguments go after it. */
  static List<String> jvm(String mainClass) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Xmx512m", "-XX:TieredStopAtLevel=1"));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    return cmd;
  }

  private void awaitReady() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("node exited with " + process.exitValue() + "; log:\n" + java.nio.file.Files.readString(log));
      }
      try {
        client().state();
        return;
      } catch (RuntimeException notYet) {
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("node did not answer within 60 s; log:\n" + java.nio.file.Files.readString(log));
  }

  /** The node's base URL, as it announces itself to registries. */
  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The file the node's output goes to. */
  Path log() {
    return log;
  }

  NodeClient client() {
    return NodeClient.connect("http://127.0.0.1:" + port);
  }

  /** Kills the JVM at once, like kill -9. */
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
