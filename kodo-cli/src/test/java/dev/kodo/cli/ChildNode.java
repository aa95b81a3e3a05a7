package dev.kodo.cli;

import dev.kodo.client.NodeClient;
import dev.kodo.cluster.testing.ServiceJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A node in a JVM of its own (the test's class path, {@code dev.kodo.node.NodeApplication}, started
 * by kodo-cluster-testing's {@code ServiceJvm}) on a loopback port, with its own data directory and
 * cluster name, its output in {@code <data>.log}: for tests where two nodes must be separate
 * processes.
 */
final class ChildNode implements AutoCloseable {
  private final Process process;
  private final Path log;
  final String url;

  private ChildNode(Process process, Path log, String url) {
    this.process = process;
    this.log = log;
    this.url = url;
  }

  /** Starts a node and waits (at most 90 s) until it answers; {@code settings} are more args. */
  static ChildNode start(Path data, String... settings) throws Exception {
    int port = AgentRuns.freePort();
    Files.createDirectories(data);
    Path log = data.resolveSibling(data.getFileName() + ".log");
    List<String> cmd =
        new ArrayList<>(
            ServiceJvm.command(
                "dev.kodo.node.NodeApplication", List.of("-Xmx384m", "-XX:TieredStopAtLevel=1")));
    cmd.addAll(
        List.of(
            "--server.port=" + port,
            "--kodo.data=" + data,
            "--kodo.cluster.name=child-" + UUID.randomUUID(),
            "--kodo.auth.enabled=false"));
    cmd.addAll(List.of(settings));
    Process process =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    ChildNode node = new ChildNode(process, log, "http://127.0.0.1:" + port);
    try {
      node.awaitReady();
    } catch (Exception | Error e) {
      node.kill();
      throw e;
    }
    return node;
  }

  private void awaitReady() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "node exited with " + process.exitValue() + "; log:\n" + readLog());
      }
      try {
        client().state();
        return;
      } catch (RuntimeException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("node did not answer within 90 s; log:\n" + readLog());
  }

  NodeClient client() {
    return NodeClient.connect(url);
  }

  String readLog() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
