package dev.kodo.node;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A registry ({@code RegistryApplication}) in its own JVM on a loopback port, for tests that must
 * kill and restart a registry for real. Like {@link NodeProcess}: the test's classpath, output to
 * {@code <data>-<port>.log} beside the data directory.
 */
final class RegistryProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;

  private RegistryProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts a registry named {@code name} keeping its data in {@code data}, and waits until it answers. */
  static RegistryProcess start(int port, Path data, String name, String... extra) throws Exception {
    List<String> cmd = NodeProcess.jvm("dev.kodo.registryservice.RegistryApplication");
    cmd.addAll(List.of("--server.port=" + port, "--kodo.registry.data=" + data, "--kodo.registry.name=" + name));
    cmd.addAll(List.of(extra));
    Path log = data.resolveSibling(data.getFileName() + "-" + port + ".log");
    Files.createDirectories(data.getParent());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    RegistryProcess registry = new RegistryProcess(p, port, log);
    try {
      registry.awaitReady();
    } catch (Exception | Error e) {
      registry.kill9();
      throw e;
    }
    return registry;
  }

  private void awaitReady() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("registry exited with " + process.exitValue() + "; log:\n" + Files.readString(log));
      }
      try {
        var r = NodeTestSupport.send(HttpRequest.newBuilder(URI.create(url() + "/registry/state"))
            .timeout(Duration.ofSeconds(5)).GET().build());
        if (r.statusCode() == 200) return;
      } catch (RuntimeException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("registry did not answer within 60 s; log:\n" + Files.readString(log));
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  /** The file the registry's output goes to; a restart on the same port and data appends to it. */
  Path log() {
    return log;
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
