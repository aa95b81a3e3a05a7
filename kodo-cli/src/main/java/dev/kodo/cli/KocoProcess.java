package dev.kodo.cli;

import dev.kodo.client.NodeClient;
import dev.kodo.cluster.ServiceJvmFlags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code koco} in a JVM of its own ({@code dev.kodo.cli.Koco} with this JVM's class path and the
 * JVM flags {@code ./koco} gives its services), its output in a log file: for {@code koco node
 * --no-worker} with {@code koco worker} processes on loopback — the integration tests, which kill
 * them for real (kill -9), and the bench's worker scenarios (docs/architecture.md#remote-workers).
 */
public final class KocoProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private KocoProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code koco args…} with {@code env} added to the environment (without an inherited
   * {@code KODO_CLUSTER_SECRET}) and {@code jvmFlags} after the service flags; its output is
   * appended to {@code log}.
   */
  public static KocoProcess start(
      Path log, Map<String, String> env, List<String> jvmFlags, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(serviceFlags());
    cmd.addAll(jvmFlags);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Koco.class.getName()));
    return launch(log, env, cmd, args);
  }

  /**
   * As {@link #start}, with the JVM's command given whole: {@code java}, its flags, the class path
   * and {@code dev.kodo.cli.Koco} (tests build it with kodo-cluster-testing's {@code ServiceJvm},
   * which gives it an AOT cache); {@code args} go after it.
   */
  public static KocoProcess launch(
      Path log, Map<String, String> env, List<String> command, String... args) throws IOException {
    Files.createDirectories(log.toAbsolutePath().getParent());
    List<String> cmd = new ArrayList<>(command);
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().remove("KODO_CLUSTER_SECRET");
    pb.environment().putAll(env);
    return new KocoProcess(pb.start(), log);
  }

  /** The module flags {@code ./koco} gives a service's JVM ({@link ServiceJvmFlags}). */
  public static List<String> serviceFlags() {
    return ServiceJvmFlags.FLAGS;
  }

  /** The JVM's process. */
  public Process process() {
    return process;
  }

  public long pid() {
    return process.pid();
  }

  /** What the process has printed so far. */
  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Waits up to {@code seconds} for a node to answer at {@code url}; fails with the log if not. */
  public void awaitNode(String url, int seconds) throws InterruptedException {
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
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Stops the JVM with SIGTERM (a graceful stop); kills it if it has not exited after 20 s. */
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
