package dev.kodo.node;

import dev.kodo.cluster.testing.ServiceJvm;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Kodo service in its own JVM on a loopback port, for tests that must kill one for real: the
 * test's own classpath and the launcher's JVM flags (kodo-cluster-testing's {@code ServiceJvm},
 * with its AOT cache), output appended to {@code <data>-<port>.log} beside the data directory (so a
 * restart on the same port and data keeps the first run's output).
 */
abstract class JvmProcess implements AutoCloseable {
  private final String what;
  private final Process process;
  private final int port;
  private final Path log;

  JvmProcess(String what, String mainClass, int port, Path data, List<String> args)
      throws IOException {
    this.what = what;
    this.port = port;
    this.log = data.resolveSibling(data.getFileName() + "-" + port + ".log");
    Files.createDirectories(data.getParent());
    List<String> cmd = jvm(mainClass);
    cmd.addAll(args);
    this.process =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * The command that runs {@code mainClass} in a JVM of its own with the test's classpath;
   * arguments go after it.
   */
  static List<String> jvm(String mainClass) {
    return new ArrayList<>(
        ServiceJvm.command(mainClass, List.of("-Xmx512m", "-XX:TieredStopAtLevel=1")));
  }

  /** Whether the service answers yet (any exception counts as no). */
  abstract boolean answers() throws Exception;

  /** Waits up to 60 s for the service to answer; kills it and fails with its log if it does not. */
  final void awaitReady() throws Exception {
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              what + " exited with " + process.exitValue() + "; log:\n" + Files.readString(log));
        }
        try {
          if (answers()) return;
        } catch (RuntimeException notYet) {
          // not listening yet
        }
        Thread.sleep(200);
      }
      throw new IllegalStateException(
          what + " did not answer within 60 s; log:\n" + Files.readString(log));
    } catch (Exception | Error e) {
      kill9();
      throw e;
    }
  }

  /** The base URL, as the service announces itself. */
  final String url() {
    return "http://127.0.0.1:" + port;
  }

  final int port() {
    return port;
  }

  /** The file the service's output goes to. */
  final Path log() {
    return log;
  }

  /** Kills the JVM at once, like kill -9. */
  final void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /**
   * Stops the JVM as a service manager does (SIGTERM: a graceful stop), waits up to {@code wait}
   * for it to exit and returns its exit code; kills it and fails if it does not exit in time.
   */
  final int terminate(Duration wait) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
      kill9();
      throw new IllegalStateException(
          what + " did not stop within " + wait + " of SIGTERM; see " + log);
    }
    return process.exitValue();
  }

  @Override
  public final void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        kill9();
      }
    }
  }
}
