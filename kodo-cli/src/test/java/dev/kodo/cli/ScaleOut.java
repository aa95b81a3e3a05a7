package dev.kodo.cli;

import dev.kodo.client.NodeClient;
import dev.kodo.client.RunDocument;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * A node started with {@code koco node --no-worker} and {@code koco worker} processes joining its
 * cluster, each a JVM of its own on loopback, with a cluster name, ports and data of their own (see
 * docs/architecture.md#remote-workers). Closing it stops every process it started.
 */
final class ScaleOut implements AutoCloseable {
  final String cluster = "scale-" + UUID.randomUUID();
  final Path dir = Path.of("target", "it-data", cluster).toAbsolutePath();
  final Path nodeData = dir.resolve("node");

  /** A small heap and C1 only: these processes start fast and do little. */
  private static final List<String> TEST_FLAGS = List.of("-Xmx384m", "-XX:TieredStopAtLevel=1");

  private final List<KocoProcess> processes = new ArrayList<>();
  KocoProcess node;
  String url;
  NodeClient client;

  /** Starts the node offering {@code flows}; {@code env} adds settings ({@code KODO_*}). */
  void startNode(String flows, Map<String, String> env) throws Exception {
    int port = AgentRuns.freePort();
    Map<String, String> all = new HashMap<>(env);
    all.put("KODO_CLUSTER_NAME", cluster);
    all.put("KODO_CLUSTER_PORT", String.valueOf(AgentRuns.freePort()));
    node =
        TestKoco.start(
            dir.resolve("node.log"),
            all,
            TEST_FLAGS,
            "node",
            "--no-worker",
            "--no-auth",
            "--port",
            String.valueOf(port),
            "--data",
            nodeData.toString(),
            "--flows",
            flows);
    processes.add(node);
    url = "http://127.0.0.1:" + port;
    node.awaitNode(url, 90);
    client = NodeClient.connect(url);
  }

  /** Where workers join: the node's {@code cluster.join}. */
  String join() {
    return client.state().path("cluster").path("join").asString();
  }

  /** Starts {@code koco worker} with the node's data directory (its secret); does not wait. */
  KocoProcess worker(String name, String flows, List<String> jvmFlags, Map<String, String> env)
      throws Exception {
    return worker(name, flows, jvmFlags, env, List.of());
  }

  /** As {@link #worker(String, String, List, Map)}, with {@code options} added to its command. */
  KocoProcess worker(
      String name,
      String flows,
      List<String> jvmFlags,
      Map<String, String> env,
      List<String> options)
      throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "worker",
                "--join",
                join(),
                "--data",
                nodeData.toString(),
                "--flows",
                flows,
                "--cluster-name",
                cluster,
                "--port",
                String.valueOf(AgentRuns.freePort()),
                "--name",
                name,
                "--capacity",
                "8"));
    args.addAll(options);
    KocoProcess w =
        TestKoco.start(
            dir.resolve(name + ".log"),
            env,
            Stream.concat(TEST_FLAGS.stream(), jvmFlags.stream()).toList(),
            args.toArray(String[]::new));
    processes.add(w);
    return w;
  }

  /** Starts a worker and waits until the node's state lists it. */
  KocoProcess startWorker(String name, String flows, List<String> jvmFlags) throws Exception {
    return startWorker(name, flows, jvmFlags, Map.of(), List.of());
  }

  /** Starts a worker with {@code env} and {@code options} and waits until the state lists it. */
  KocoProcess startWorker(
      String name,
      String flows,
      List<String> jvmFlags,
      Map<String, String> env,
      List<String> options)
      throws Exception {
    KocoProcess w = worker(name, flows, jvmFlags, env, options);
    await(
        "worker " + name + " to show in the node's state",
        90,
        () -> {
          if (!w.process().isAlive()) {
            throw new IllegalStateException("worker " + name + " exited:\n" + w.output());
          }
          return workerEntry(name);
        });
    return w;
  }

  /** The node's state entry of the worker named {@code name}, or null. */
  JsonNode workerEntry(String name) {
    for (JsonNode w : client.state().path("workers")) {
      if (name.equals(w.path("name").asString())) {
        return w;
      }
    }
    return null;
  }

  RunDocument untilFinished(String fid, int seconds) throws InterruptedException {
    return await(
        "run " + fid + " to end",
        seconds,
        () -> {
          RunDocument r = client.run(fid);
          return r.state().finished() ? r : null;
        });
  }

  /** Polls {@code check} every 100 ms until it gives non-null; fails after {@code seconds}. */
  static <T> T await(String what, int seconds, Supplier<T> check) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      T t = check.get();
      if (t != null) {
        return t;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + seconds + " s for " + what);
      }
      Thread.sleep(100);
    }
  }

  @Override
  public void close() throws Exception {
    for (KocoProcess p : processes.reversed()) {
      p.close();
    }
  }
}
