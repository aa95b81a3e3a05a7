package dev.kodo.bench;

import dev.kodo.cli.KocoProcess;
import dev.kodo.cluster.KodoCluster;
import dev.kodo.cluster.WorkerInfo;
import dev.kodo.node.NodeApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A node in the bench's JVM for the scenarios of issue 13 ({@link DispatchScenario}, {@link
 * WorkersScenario}, {@link PostgresScenario}): data, cluster name and cluster port of its own, auth
 * and the registry off, and optionally {@code koco worker} processes joining its cluster (each a
 * JVM of its own started as {@link KocoProcess}, with the bench's class path, so the bench's flows
 * and the examples are there). Closing it stops the workers and the node and removes its data.
 */
final class ScenarioNode implements AutoCloseable {
  private final Path dir;
  private final String cluster;
  private final ConfigurableApplicationContext node;
  private final List<KocoProcess> workers = new ArrayList<>();

  private ScenarioNode(Path dir, String cluster, ConfigurableApplicationContext node) {
    this.dir = dir;
    this.cluster = cluster;
    this.node = node;
  }

  /**
   * Starts a node with its data in {@code dir}, offering {@code flows}, with {@code settings}
   * ({@code --kodo.…=…}) added — {@code --kodo.worker.enabled=false} for a node without a worker of
   * its own, as {@code koco node --no-worker} starts it.
   */
  static ScenarioNode start(Path dir, String name, List<String> flows, String... settings)
      throws IOException {
    Path data = dir.resolve("node");
    Files.createDirectories(data);
    String cluster = "bench-" + name + "-" + ProcessHandle.current().pid();
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server.port=0",
                "--kodo.data=" + data,
                "--kodo.cluster.name=" + cluster,
                "--kodo.cluster.port=" + freePort(),
                "--kodo.auth.enabled=false",
                "--kodo.registry.enabled=false",
                "--kodo.flows=" + String.join(",", flows),
                "--logging.level.root=WARN"));
    args.addAll(List.of(settings));
    ConfigurableApplicationContext node =
        NodeApplication.start(new Class<?>[] {NoopEndpoints.class}, args.toArray(String[]::new));
    return new ScenarioNode(dir, cluster, node);
  }

  /** The scenarios of {@link Bench} against this node, without a token. */
  Bench bench(boolean quick) {
    return new Bench(quick, node, dir.resolve("node"), null);
  }

  ConfigurableApplicationContext context() {
    return node;
  }

  /** The workers on this node's cluster as they advertise themselves now. */
  List<WorkerInfo> workers() {
    return node.getBean(KodoCluster.class).workers();
  }

  /**
   * Starts {@code koco worker --name name --flows flows --capacity capacity} joining this node's
   * cluster with the node's data directory (its cluster secret) and waits until it advertises
   * itself; fails with its output if it exits or does not within 90 s.
   */
  KocoProcess startWorker(String name, List<String> flows, int capacity) throws Exception {
    String join = node.getBean(KodoCluster.class).joinAddress();
    KocoProcess w =
        KocoProcess.start(
            dir.resolve(name + ".log"),
            Map.of(),
            List.of("-Xmx512m"),
            "worker",
            "--join",
            join,
            "--data",
            dir.resolve("node").toString(),
            "--flows",
            String.join(",", flows),
            "--cluster-name",
            cluster,
            "--port",
            String.valueOf(freePort()),
            "--name",
            name,
            "--capacity",
            String.valueOf(capacity));
    workers.add(w);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (workers().stream().noneMatch(i -> i.name().equals(name))) {
      if (!w.process().isAlive()) {
        throw new IllegalStateException("worker " + name + " exited:\n" + w.output());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "worker " + name + " did not join within 90 s:\n" + w.output());
      }
      Thread.sleep(100);
    }
    return w;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    try {
      for (KocoProcess w : workers.reversed()) {
        w.close();
      }
    } finally {
      node.close();
      delete(dir);
    }
  }

  static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
