package dev.kodo.cli;

import dev.kodo.cluster.ClusterOptions;
import dev.kodo.cluster.ClusterSecret;
import dev.kodo.cluster.KodoCluster;
import dev.kodo.engine.FlowCatalog;
import dev.kodo.engine.LoadedFlow;
import dev.kodo.engine.RunEnvironment;
import dev.kodo.node.NodeApplication;
import dev.kodo.node.telemetry.WorkerProcessTelemetry;
import dev.kodo.worker.Worker;
import dev.kodo.worker.WorkerOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code koco worker}: a worker in a process of its own (docs/architecture.md#remote-workers). It
 * joins a node's cluster as a member, loads the flows it is given, advertises them with its
 * capacity in {@code kodo.workers}, takes runs of those flows only, and sends their events to their
 * nodes. A member that no one accepts (another cluster secret or name, or nobody listening at
 * {@code --join}) is refused: the command says so and ends with exit code 1. Runs until Ctrl-C
 * (SIGTERM), which lets the runs in flight end within a grace period.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "worker",
    description = {
      "Start a worker that joins a node's cluster and executes runs of the flows it is given.",
      "The cluster secret comes from $KODO_CLUSTER_SECRET, else from the node's data directory (--data).",
      "With auth on, crews calling other flows (kodo_flow) send the worker's client token: set",
      "$KODO_AUTH_ISSUER, $KODO_AUTH_CLIENT_ID and $KODO_AUTH_CLIENT_SECRET (a worker client)."
    },
    footer = {
      "",
      "Examples:",
      "  koco worker --join 127.0.0.1:5710 --data ./data --flows dev.kodo.examples.MarketReport",
      "  KODO_CLUSTER_SECRET=… koco worker --join 10.0.0.5:5710 --flows flows/ --capacity 50",
      "  koco worker --data ./data --flows flows/ --metrics-port 9464   # Prometheus at :9464/metrics"
    })
final class WorkerCommand implements Callable<Integer> {
  /** The scrape token's variable, the same a node reads (kodo.auth.scrape-token). */
  static final String SCRAPE_TOKEN = "KODO_AUTH_SCRAPE_TOKEN";

  @Spec CommandSpec spec;

  @Option(
      names = "--join",
      split = ",",
      paramLabel = "HOST:PORT",
      description =
          "Members to join, comma-separated: the cluster.join of the node's /api/state (default: 127.0.0.1:5710).")
  List<String> join = List.of("127.0.0.1:" + ClusterOptions.DEFAULT_PORT);

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "The node's data directory, to read its cluster.secret from when $KODO_CLUSTER_SECRET is not set (default: ./data).")
  Path data;

  @Option(
      names = "--flows",
      split = ",",
      required = true,
      paramLabel = "FLOW",
      description =
          "The flows to execute, comma-separated, as a node takes them: class names, .java or .yaml files, jars,"
              + " directories, or classpath:*.")
  List<String> flows;

  @Option(
      names = "--capacity",
      paramLabel = "N",
      description = "How many runs it executes at once (default: 100); more wait on the cluster.")
  int capacity = 100;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "The worker's name in the node's state (default: worker-<pid>).")
  String name;

  @Option(
      names = "--cluster-name",
      paramLabel = "NAME",
      description = "The cluster's name, the node's kodo.cluster.name (default: kodo).")
  String clusterName = "kodo";

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      description = "The address this member binds to and announces (default: 127.0.0.1).")
  String host = "127.0.0.1";

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "The first cluster port to try; the next free one is taken (default: 5710).")
  int port = ClusterOptions.DEFAULT_PORT;

  @Option(
      names = "--grace",
      paramLabel = "DURATION",
      description =
          "On Ctrl-C, how long runs in flight may take to end before they end with worker-stopped (default: PT10S).")
  Duration grace = Duration.ofSeconds(10);

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description =
          "Serve Prometheus metrics at http://<metrics-host>:PORT/metrics (0: a free port; default: none)."
              + " With $KODO_AUTH_SCRAPE_TOKEN set, scrapes must send it as a bearer token.")
  Integer metricsPort;

  @Option(
      names = "--metrics-host",
      paramLabel = "ADDRESS",
      description =
          "The address the metrics are served on (default: 127.0.0.1); any other than loopback needs"
              + " $KODO_AUTH_SCRAPE_TOKEN.")
  String metricsHost = "127.0.0.1";

  @Override
  public Integer call() {
    check();
    // The runs' kodo_flow calls carry the worker's own client token when one is configured.
    dev.kodo.client.TokenSupplier token = WorkerToken.from(System.getenv());
    WorkerLogging.quiet();
    PrintWriter out = spec.commandLine().getOut();
    String workerName = name == null ? "worker-" + ProcessHandle.current().pid() : name;
    ClusterSecret secret = secret();
    FlowCatalog catalog = catalog();
    KodoCluster cluster;
    try {
      cluster = KodoCluster.start(new ClusterOptions(clusterName, host, port, join, secret), true);
    } catch (RuntimeException e) {
      throw new CliException(Exit.FAILED, "koco worker did not start: " + e.getMessage());
    }
    if (cluster.memberCount() < 2) {
      cluster.close();
      throw new CliException(
          Exit.FAILED,
          "koco worker was refused: no member of cluster '"
              + clusterName
              + "' at "
              + String.join(",", join)
              + " accepted it. Its cluster secret or --cluster-name differs from the node's"
              + " (use the node's --data directory or its $KODO_CLUSTER_SECRET), or no node listens there"
              + " (see cluster.join in the node's /api/state)");
    }
    WorkerProcessTelemetry telemetry = telemetry(workerName, cluster);
    Worker worker =
        Worker.start(
            cluster,
            catalog,
            new WorkerOptions(workerName, capacity, true),
            RunEnvironment.PROCESS.withToken(token),
            telemetry);
    CountDownLatch stopped = new CountDownLatch(1);
    Runnable stop =
        () -> {
          try {
            worker.stop(grace);
          } finally {
            cluster.close();
            telemetry.close();
            stopped.countDown();
          }
        };
    Thread hook = new Thread(stop, "koco-worker-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    out.printf(
        Locale.ROOT,
        "Kodo worker %s joined cluster '%s' at %s (%d members) — %d flow%s, capacity %d (Ctrl-C stops it)%n",
        worker.id(),
        clusterName,
        cluster.joinAddress(),
        cluster.memberCount(),
        catalog.size(),
        catalog.size() == 1 ? "" : "s",
        capacity);
    if (telemetry.url() != null) {
      out.println("  metrics at " + telemetry.url());
    }
    if (telemetry.tracing()) {
      out.println("  traces to " + System.getenv("OTEL_EXPORTER_OTLP_ENDPOINT"));
    }
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Runtime.getRuntime().removeShutdownHook(hook);
      stop.run();
      Thread.currentThread().interrupt();
    }
    return Exit.OK;
  }

  private void check() {
    if (capacity < 1) {
      throw CliException.usage("--capacity must be 1 or more, not " + capacity);
    }
    if (port < 1 || port > 65_535) {
      throw CliException.usage("--port must be between 1 and 65535, not " + port);
    }
    for (String member : join) {
      if (!member.matches("[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5}")) {
        throw CliException.usage(
            "--join takes host:port entries (e.g. 127.0.0.1:5710), not '" + member + "'");
      }
    }
    if (name != null && !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      throw CliException.usage(
          "--name must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit,"
              + " not '"
              + name
              + "'");
    }
    for (String source : flows) {
      ServerOptions.Node.checkFlow(source.trim());
    }
    if (metricsPort != null) {
      if (metricsPort < 0 || metricsPort > 65_535) {
        throw CliException.usage("--metrics-port must be between 0 and 65535, not " + metricsPort);
      }
      if (!isLoopback(metricsHost) && isBlank(System.getenv(SCRAPE_TOKEN))) {
        throw CliException.usage(
            "--metrics-host "
                + metricsHost
                + " is not a loopback address: set $"
                + SCRAPE_TOKEN
                + " so only your Prometheus may scrape (or serve on 127.0.0.1)");
      }
    }
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  /** The worker's metrics endpoint and traces (docs/operations.md#worker-processes). */
  private WorkerProcessTelemetry telemetry(String workerName, KodoCluster cluster) {
    WorkerProcessTelemetry.Endpoint endpoint =
        metricsPort == null
            ? null
            : new WorkerProcessTelemetry.Endpoint(
                metricsHost, metricsPort, System.getenv(SCRAPE_TOKEN));
    try {
      return WorkerProcessTelemetry.start(workerName, capacity, endpoint, System.getenv());
    } catch (java.io.IOException | RuntimeException e) {
      cluster.close();
      throw new CliException(
          Exit.FAILED,
          "koco worker cannot serve metrics on "
              + metricsHost
              + ":"
              + metricsPort
              + ": "
              + e.getMessage()
              + " (is the port in use, or the address not this machine's?)");
    }
  }

  private ClusterSecret secret() {
    Path dir =
        data != null ? data : Path.of(System.getenv().getOrDefault("KODO_HOME", "."), "data");
    try {
      return ClusterSecret.forWorker(System.getenv(ClusterSecret.ENV), dir);
    } catch (RuntimeException e) {
      throw new CliException(Exit.FAILED, "koco worker: " + e.getMessage());
    }
  }

  private FlowCatalog catalog() {
    List<String> sources = flows.stream().map(String::trim).toList();
    FlowCatalog catalog;
    try {
      catalog = FlowCatalog.load(sources, Thread.currentThread().getContextClassLoader());
    } catch (RuntimeException e) {
      throw new CliException(Exit.FAILED, "koco worker: cannot load its flows: " + e.getMessage());
    }
    NodeApplication.logRefusals(catalog.refusals());
    if (catalog.size() == 0) {
      throw new CliException(
          Exit.FAILED,
          "koco worker: none of --flows " + String.join(",", sources) + " gives a flow to execute");
    }
    for (LoadedFlow f : catalog.all()) {
      spec.commandLine().getOut().println("  executes " + f.path());
    }
    return catalog;
  }
}
