package dev.kodo.bench;

import dev.kodo.client.Event;
import dev.kodo.client.Json;
import dev.kodo.client.NodeClient;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import dev.kodo.client.TokenSupplier;
import dev.kodo.node.NodeApplication;
import dev.kodo.node.NodeProperties;
import dev.kodo.store.EventStore;
import dev.kodo.store.RunQuery;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The benchmark: starts a real node in this JVM (SQLite store, embedded Hazelcast member and
 * worker), measures each figure of issue 2 and the agentic engine's of issue 9 ({@link
 * AgentsScenario}), and prints each beside a baseline measured in the same run on the same machine,
 * as a ratio; then, after the node has stopped, the registry's figures of issue 4 ({@link
 * RegistryScenario}, against a registry service of its own), and the cost of auth of issue 10
 * ({@link AuthScenario}, two nodes of its own: auth on and {@code --no-auth}); then issue 13's:
 * dispatch latency on a {@code koco worker} process vs. the embedded worker ({@link
 * DispatchScenario}), runs/s with one and two worker processes ({@link WorkersScenario}), and the
 * node on PostgreSQL beside SQLite ({@link PostgresScenario}); and issue 12's on the bench's node:
 * events from 1,000 concurrent runs ({@link ConcurrentScenario}), SSE fan-out to 1,000 streams
 * ({@link FanoutScenario}), 100,000 parked runs ({@link ParkedScenario}) and {@code koco flows}
 * wall time ({@link CliScenario}). Run with {@code ./koco bench} or the main class.
 *
 * <pre>
 * Bench [--only launch,events,latency,locks,backpressure,durability,concurrent,fanout,parked,
 *              cli,agents,registry,auth,dispatch,workers,postgres] [--quick]
 * </pre>
 */
public final class Bench {
  private final boolean quick;
  private final NodeClient client;
  private final String base;
  private final URI uri;
  private final EventStore store;
  private final Path data;
  private final String token;
  private final ConfigurableApplicationContext node;
  // The single-stream emit → SSE p99 (ms) the latency scenario measured, NaN before it ran: the
  // fan-out scenario's baseline.
  private double singleStreamP99 = Double.NaN;

  private Bench(boolean quick, ConfigurableApplicationContext node, Path data) {
    this(quick, node, data, null);
  }

  /**
   * The scenarios against {@code node}, every request carrying {@code token} as a bearer token
   * (null: none, for a node with auth off).
   */
  Bench(boolean quick, ConfigurableApplicationContext node, Path data, String token) {
    this.quick = quick;
    this.base = "http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port");
    this.token = token;
    this.client =
        NodeClient.connect(
            base,
            token == null ? TokenSupplier.none() : TokenSupplier.fixed(token, "the bench's login"));
    this.uri = URI.create(base);
    this.store = node.getBean(EventStore.class);
    this.data = data;
    this.node = node;
  }

  /** The benchmarked node itself (it runs in the bench's JVM). */
  ConfigurableApplicationContext node() {
    return node;
  }

  /** Whether this bench runs the quick sizes ({@code --quick}). */
  boolean quick() {
    return quick;
  }

  /**
   * The single-stream emit → SSE p99 in ms the {@code latency} scenario measured in this run, or
   * NaN if it did not run.
   */
  double singleStreamP99() {
    return singleStreamP99;
  }

  /** The client of the benchmarked node, sending the bench's token if it has one. */
  NodeClient client() {
    return client;
  }

  /** The bearer token every request of the bench carries, or null (auth off). */
  String token() {
    return token;
  }

  /** The benchmarked node's base URL. */
  URI uri() {
    return uri;
  }

  /** The benchmarked node's store, read directly (the bench runs in the node's JVM). */
  EventStore store() {
    return store;
  }

  /** The scenarios, in the order they run; all of them unless {@code --only} names some. */
  static final List<String> SCENARIOS =
      List.of(
          "launch",
          "events",
          "latency",
          "locks",
          "backpressure",
          "durability",
          "concurrent",
          "fanout",
          "parked",
          "cli",
          "agents",
          "registry",
          "auth",
          "dispatch",
          "workers",
          "postgres");

  /** The scenarios that start nodes of their own instead of using the bench's node. */
  private static final Set<String> OWN_NODES =
      Set.of("registry", "auth", "dispatch", "workers", "postgres");

  private static final String USAGE =
      "usage: bench [--only " + String.join(",", SCENARIOS) + "] [--quick]";

  /** What the command line asks for: the scenarios to run, in order, and whether quickly. */
  record Options(Set<String> only, boolean quick) {
    /**
     * Reads {@code [--only a,b] [--quick]}.
     *
     * @throws IllegalArgumentException saying what is wrong, for an unknown argument or scenario
     */
    static Options parse(String... args) {
      Set<String> only = new LinkedHashSet<>(SCENARIOS);
      boolean quick = false;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--quick" -> quick = true;
          case "--only" -> {
            if (i + 1 == args.length) {
              throw new IllegalArgumentException("--only needs a list of scenarios");
            }
            only = new LinkedHashSet<>(List.of(args[++i].split(",")));
            for (String s : only) {
              if (!SCENARIOS.contains(s)) {
                throw new IllegalArgumentException(
                    "unknown scenario '"
                        + s
                        + "'; the scenarios are "
                        + String.join(", ", SCENARIOS));
              }
            }
          }
          default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
        }
      }
      return new Options(Collections.unmodifiableSet(only), quick);
    }
  }

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      usage(e.getMessage());
      return;
    }
    Set<String> only = options.only();
    boolean quick = options.quick();
    Path data = Files.createTempDirectory("kodo-bench");
    System.out.printf(
        Locale.ROOT,
        "kodo-bench: %d cores, Java %s%s%n",
        Runtime.getRuntime().availableProcessors(),
        Runtime.version(),
        quick ? " (quick)" : "");
    List<Figure> figures = new ArrayList<>();
    if (only.stream().anyMatch(s -> !OWN_NODES.contains(s))) {
      AgentsScenario agents =
          only.contains("agents") ? AgentsScenario.prepare(data.resolve("agents")) : null;
      List<String> flows =
          new ArrayList<>(
              List.of(
                  "classpath:*",
                  "dev.kodo.bench.Noop",
                  "dev.kodo.bench.Emitter",
                  "dev.kodo.bench.Approve",
                  "dev.kodo.bench.GatedEmitter",
                  "dev.kodo.bench.HeldEmitter"));
      List<String> arguments =
          new ArrayList<>(
              List.of(
                  "--server.port=0",
                  "--kodo.data=" + data,
                  "--kodo.cluster.name=bench-" + ProcessHandle.current().pid(),
                  "--kodo.auth.enabled=false", // no auth provider here: --no-auth on loopback
                  // a parked run holds its worker slot: room for the parked scenario's 100,000
                  "--kodo.worker.capacity=" + (ParkedScenario.FULL + 10_000),
                  "--logging.level.root=WARN"));
      if (agents != null) {
        flows.addAll(agents.flows());
        arguments.addAll(agents.nodeArguments());
      }
      arguments.add("--kodo.flows=" + String.join(",", flows));
      ConfigurableApplicationContext node =
          NodeApplication.start(
              new Class<?>[] {NoopEndpoints.class}, arguments.toArray(String[]::new));
      try {
        Bench bench = new Bench(quick, node, data);
        System.out.printf(
            Locale.ROOT,
            "node: on %s, store SQLite (WAL), durability %s%n",
            bench.base,
            node.getBean(NodeProperties.class).getStore().getDurability());
        if (only.contains("launch")) figures.add(bench.launchThroughput());
        if (only.contains("events")) figures.add(bench.eventThroughput());
        if (only.contains("latency")) figures.addAll(bench.latency());
        if (only.contains("locks")) figures.addAll(bench.locks());
        if (only.contains("backpressure")) figures.addAll(bench.backPressure());
        if (only.contains("durability")) figures.add(bench.durability());
        if (only.contains("concurrent")) {
          figures.addAll(timed("concurrent", () -> List.of(new ConcurrentScenario(bench).run())));
        }
        if (only.contains("fanout")) {
          figures.addAll(timed("fanout", new FanoutScenario(bench)::run));
        }
        if (only.contains("parked")) {
          figures.addAll(timed("parked", new ParkedScenario(bench)::run));
        }
        if (only.contains("cli")) {
          figures.addAll(
              timed("cli", () -> List.of(new CliScenario(bench, data.resolve("cli")).run())));
        }
        if (agents != null) {
          figures.addAll(agents.run(quick, bench.client, bench.uri, bench.store));
        }
      } finally {
        node.close();
        if (agents != null) {
          agents.close();
        }
      }
    }
    if (only.contains("registry")) {
      RegistryScenario.Size size = quick ? RegistryScenario.Size.QUICK : RegistryScenario.Size.FULL;
      figures.addAll(new RegistryScenario(size, data.resolve("registry")).run());
    }
    if (only.contains("auth")) {
      figures.addAll(new AuthScenario(quick, data.resolve("auth")).run());
    }
    if (only.contains("dispatch")) {
      figures.addAll(timed("dispatch", new DispatchScenario(quick, data.resolve("dispatch"))::run));
    }
    if (only.contains("workers")) {
      figures.addAll(timed("workers", new WorkersScenario(quick, data.resolve("workers"))::run));
    }
    if (only.contains("postgres")) {
      figures.addAll(timed("postgres", new PostgresScenario(quick, data.resolve("postgres"))::run));
    }
    System.out.println();
    System.out.println(Figure.header());
    figures.forEach(f -> System.out.println(f.row()));
    System.exit(0);
  }

  /** A scenario that starts nodes and processes of its own. */
  interface Scenario {
    List<Figure> run() throws Exception;
  }

  /**
   * Runs {@code scenario} and says how long it took, starts and stops included, and the machine's
   * load average meanwhile (the whole bench should stay under about 5 minutes).
   */
  static List<Figure> timed(String name, Scenario scenario) throws Exception {
    long start = System.nanoTime();
    List<Figure> figures = scenario.run();
    System.out.printf(
        Locale.ROOT,
        "%s: took %.1f s, load average %.1f%n",
        name,
        (System.nanoTime() - start) / 1e9,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    return figures;
  }

  private static void usage(String problem) {
    System.err.println("bench: " + problem);
    System.err.println(USAGE);
    System.exit(2);
  }

  /**
   * (a) Runs/s of a trivial flow to final, vs. the same server's no-op POST rate: the best of two
   * alternating rounds of each after a warm-up. One round of each, no-op first, measured the no-op
   * while the JIT was still compiling the HTTP stack that the launches after it then had compiled:
   * that flattered the ratio. The application's CPU time per request of the last round is printed
   * beside the rates ({@link AppCpu}).
   */
  Figure launchThroughput() throws InterruptedException {
    int runs = quick ? 500 : 5_000;
    int concurrency = 64;
    String launch = "{\"flow\":\"dev.kodo.bench.Noop\",\"inputs\":{}}";
    // Warm up both paths (JIT, connection pool, SQLite pages).
    int warm = Integer.getInteger("kodo.bench.launch.warmup", runs / 5);
    Load.run(uri, warm, concurrency, "/bench/noop", launch, 200);
    launchAndWait(warm, concurrency, launch);

    double noopSeconds = Double.MAX_VALUE;
    double launchSeconds = Double.MAX_VALUE;
    double noopCpu = 0;
    double launchCpu = 0;
    for (int round = 0; round < 2; round++) {
      long cpu = AppCpu.nanos();
      noopSeconds =
          Math.min(noopSeconds, Load.run(uri, runs, concurrency, "/bench/noop", launch, 200));
      noopCpu = AppCpu.microsPer(cpu, runs);
      cpu = AppCpu.nanos();
      launchSeconds = Math.min(launchSeconds, launchAndWait(runs, concurrency, launch));
      launchCpu = AppCpu.microsPer(cpu, runs);
    }
    double noopRate = runs / noopSeconds;
    double launchRate = runs / launchSeconds;
    System.out.printf(
        Locale.ROOT,
        "launch: %d runs of Noop to final in %.2f s from %d clients; %d no-op POSTs in %.2f s"
            + " (each the best of two alternating rounds); %s%n",
        runs,
        launchSeconds,
        concurrency,
        runs,
        noopSeconds,
        AppCpu.describe("launch", launchCpu, noopCpu));
    return new Figure(
            "launch → final throughput",
            launchRate,
            "runs/s",
            noopRate,
            "no-op POST/s",
            true,
            1_000)
        .withRatioTarget(0.80);
  }

  /**
   * (e) Back-pressure (issue 8): one run emits 2,000,000 events as fast as it can — far faster than
   * the store writes — while one client asks {@code GET /api/state} every 20 ms. Events/s vs. raw
   * batched SQLite inserts of as many rows; the state's p99 during the flood vs. its p99 on the
   * idle node just before.
   */
  List<Figure> backPressure() throws Exception {
    int count = quick ? 200_000 : 2_000_000;
    String state = base + "/api/state";
    Histogram idle = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    for (int i = 0; i < 300; i++) {
      long t0 = System.nanoTime();
      Load.send(Load.get(state), 200);
      idle.recordValue((System.nanoTime() - t0) / 1_000);
      Thread.sleep(5);
    }
    Histogram busy = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    long start = System.nanoTime();
    RunDocument run = client.launch("dev.kodo.bench.Emitter", Map.of("count", count, "rate", 0));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(900);
    while (!store.run(run.fid()).orElseThrow().state().finished()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("run " + run.fid() + " did not finish within 900 s");
      }
      long t0 = System.nanoTime();
      Load.send(Load.get(state), 200);
      busy.recordValue((System.nanoTime() - t0) / 1_000);
      Thread.sleep(20);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long stored = store.run(run.fid()).orElseThrow().lastSeq();
    if (stored != count + 4L) {
      throw new IllegalStateException(
          "run " + run.fid() + " persisted " + stored + " events, expected " + (count + 4));
    }
    double rate = (count + 4) / seconds;
    double raw = rawSqliteInserts(count);
    System.out.printf(
        Locale.ROOT,
        "backpressure: %,d events from one run emitting without pause persisted in %.2f s"
            + " (%,.0f events/s; raw SQLite %,.0f rows/s); GET /api/state during it: %,d answers, p50 %.2f ms, p99 %.2f ms,"
            + " max %.2f ms; idle: p50 %.2f ms, p99 %.2f ms%n",
        count + 4,
        seconds,
        rate,
        raw,
        busy.getTotalCount(),
        ms(busy, 50),
        ms(busy, 99),
        busy.getMaxValue() / 1000.0,
        ms(idle, 50),
        ms(idle, 99));
    String n = String.format(Locale.ROOT, "%,d", count);
    return List.of(
        new Figure(
            "back-pressure: " + n + " events",
            rate,
            "events/s",
            raw,
            "raw batched SQLite rows/s",
            true,
            Double.NaN),
        new Figure(
            "back-pressure: /api/state p99",
            ms(busy, 99),
            "ms",
            ms(idle, 99),
            "idle /api/state p99 ms",
            false,
            1_000));
  }

  /**
   * (f) The cost of {@code kodo.store.durability=fsync} (issue 8): events/s persisted for one run
   * on this node (fsync, the default) vs. a second node in this JVM with {@code normal}, the same
   * number of events each, alternating twice after a warm-up; the best of each.
   */
  Figure durability() throws Exception {
    int count = quick ? 20_000 : 100_000;
    Path normalData = data.resolve("normal");
    ConfigurableApplicationContext normalNode =
        NodeApplication.start(
            new Class<?>[] {NoopEndpoints.class},
            "--server.port=0",
            "--kodo.data=" + normalData,
            "--kodo.cluster.name=bench-normal-" + ProcessHandle.current().pid(),
            "--kodo.flows=dev.kodo.bench.Emitter",
            "--kodo.store.durability=normal",
            "--kodo.registry.enabled=false",
            "--kodo.auth.enabled=false",
            "--logging.level.root=WARN");
    try {
      Bench normal = new Bench(quick, normalNode, normalData);
      emitAndWait(count / 5);
      normal.emitAndWait(count / 5);
      double fsyncBest = Double.MAX_VALUE;
      double normalBest = Double.MAX_VALUE;
      for (int i = 0; i < 2; i++) {
        fsyncBest = Math.min(fsyncBest, emitAndWait(count));
        normalBest = Math.min(normalBest, normal.emitAndWait(count));
      }
      double fsyncRate = (count + 4) / fsyncBest;
      double normalRate = (count + 4) / normalBest;
      System.out.printf(
          Locale.ROOT,
          "durability: %,d events of one run persisted at %,.0f events/s with fsync"
              + " (synchronous=FULL) and %,.0f events/s with normal (synchronous=NORMAL): fsync keeps %.0f %%%n",
          count + 4,
          fsyncRate,
          normalRate,
          100 * fsyncRate / normalRate);
      return new Figure(
          "durability fsync (events, one run)",
          fsyncRate,
          "events/s",
          normalRate,
          "events/s with normal",
          true,
          Double.NaN);
    } finally {
      normalNode.close();
    }
  }

  /**
   * Launches {@code runs} runs of {@code body} (a run of {@link Noop}) from {@code concurrency}
   * clients and waits until all are {@code done}; returns the seconds from the first launch.
   */
  double launchAndWait(int runs, int concurrency, String body) throws InterruptedException {
    long doneBefore = done();
    long start = System.nanoTime();
    Load.run(uri, token, runs, concurrency, "/api/runs", body, 201);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (done() < doneBefore + runs) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "only " + (done() - doneBefore) + " of " + runs + " runs reached final within 120 s");
      }
      Thread.sleep(2);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private long done() {
    return store
        .runs(
            new RunQuery(Set.of(RunState.DONE), "dev.kodo.bench.Noop", null, null, List.of(), 0, 1))
        .filtered();
  }

  /**
   * (b) Events/s persisted for one run emitting 100,000 events, vs. raw batched SQLite inserts of
   * the same rows: five rounds of each, alternating, the best of each. A run of 100,000 events
   * takes under half a second here; one alone moved with how busy the JIT still was (measured
   * first, the runs had it compiling on most of a core while the raw rounds after them had it
   * almost idle: docs/performance.md, "Events from one run"), as one raw round did with its file.
   */
  Figure eventThroughput() throws Exception {
    int count = quick ? 20_000 : 100_000;
    emitAndWait(count / 5);
    double best = Double.MAX_VALUE;
    double raw = 0;
    List<String> each = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      double seconds = emitAndWait(count);
      best = Math.min(best, seconds);
      each.add(String.format(Locale.ROOT, "%.3f", seconds));
      raw = Math.max(raw, rawSqliteInsertsOnce(count));
    }
    double rate = (count + 4) / best;
    System.out.printf(
        Locale.ROOT,
        "events: %,d events emitted, carried and persisted in %.3f s, the best of %s s; raw SQLite: %,.0f rows/s (the best of 5, alternating with the runs)%n",
        count + 4,
        best,
        String.join(", ", each),
        raw);
    return new Figure(
            "events persisted (one run)",
            rate,
            "events/s",
            raw,
            "raw batched SQLite rows/s",
            true,
            50_000)
        .withRatioTarget(0.70);
  }

  double emitAndWait(int count) throws InterruptedException {
    long start = System.nanoTime();
    RunDocument run = client.launch("dev.kodo.bench.Emitter", Map.of("count", count, "rate", 0));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!store.run(run.fid()).orElseThrow().state().finished()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("run " + run.fid() + " did not finish within 120 s");
      }
      Thread.sleep(1);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (store.run(run.fid()).orElseThrow().lastSeq() != count + 4) {
      throw new IllegalStateException(
          "run "
              + run.fid()
              + " persisted "
              + store.run(run.fid()).orElseThrow().lastSeq()
              + " events, expected "
              + (count + 4));
    }
    return seconds;
  }

  /**
   * The same rows, inserted straight into a fresh SQLite file in batches of 1,000 per transaction:
   * the best of three such files for up to 200,000 rows (one alone varied by a quarter between runs
   * on a quiet machine, and a slow one flattered the ratio beside it), one for more.
   */
  double rawSqliteInserts(int count) throws Exception {
    int rounds = count <= 200_000 ? 3 : 1;
    double best = 0;
    for (int i = 0; i < rounds; i++) {
      best = Math.max(best, rawSqliteInsertsOnce(count));
    }
    return best;
  }

  private double rawSqliteInsertsOnce(int count) throws Exception {
    // A file of its own for every call: the events and back-pressure scenarios both measure it.
    Path file = Files.createTempFile(data, "raw-baseline-", ".db");
    Files.delete(file);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=NORMAL");
        s.execute(
            "CREATE TABLE events (fid TEXT NOT NULL, seq INTEGER NOT NULL, ts INTEGER NOT NULL, kind TEXT NOT NULL,"
                + " type TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (fid, seq)) WITHOUT ROWID");
      }
      c.setAutoCommit(false);
      String fid = UUID.randomUUID().toString();
      long start = System.nanoTime();
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO events (fid, seq, ts, kind, type, data) VALUES (?,?,?,?,?,?)")) {
        for (int i = 1; i <= count; i++) {
          ps.setString(1, fid);
          ps.setLong(2, i);
          ps.setLong(3, System.currentTimeMillis());
          ps.setString(4, "process");
          ps.setString(5, "result");
          ps.setString(
              6,
              "{\"format\":\"json\",\"body\":"
                  + Json.write(new Emitter.Stamp(i, System.nanoTime()))
                  + "}");
          ps.addBatch();
          if (i % 1000 == 0) {
            ps.executeBatch();
            c.commit();
          }
        }
        ps.executeBatch();
        c.commit();
      }
      return count / ((System.nanoTime() - start) / 1e9);
    }
  }

  /**
   * (c) p50/p99 from emit to receipt by an SSE client at 1,000 events/s, vs. a no-op GET round trip
   * at the same rate.
   */
  List<Figure> latency() throws Exception {
    int seconds = quick ? 3 : 10;
    int rate = 1_000;
    Histogram sse = sseLatency(seconds, rate);
    singleStreamP99 = ms(sse, 99);
    Histogram noop = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
    long interval = 1_000_000_000L / rate;
    long start = System.nanoTime();
    for (int i = 0; i < seconds * rate; i++) {
      Pacing.parkUntil(start + i * interval);
      long t0 = System.nanoTime();
      Load.send(Load.get(base + "/bench/noop"), 200);
      noop.recordValue((System.nanoTime() - t0) / 1_000);
    }
    System.out.printf(
        Locale.ROOT,
        "latency: %,d events over SSE at %d/s: p50 %.2f ms, p99 %.2f ms, max %.2f ms;"
            + " no-op GET: p50 %.2f ms, p99 %.2f ms%n",
        sse.getTotalCount(),
        rate,
        ms(sse, 50),
        ms(sse, 99),
        sse.getMaxValue() / 1000.0,
        ms(noop, 50),
        ms(noop, 99));
    return List.of(
        new Figure(
            "emit → SSE p50 @1,000 ev/s",
            ms(sse, 50),
            "ms",
            ms(noop, 50),
            "no-op GET p50 ms",
            false,
            Double.NaN),
        new Figure(
            "emit → SSE p99 @1,000 ev/s",
            ms(sse, 99),
            "ms",
            ms(noop, 99),
            "no-op GET p99 ms",
            false,
            20));
  }

  /**
   * Emit → SSE receipt: a run of {@link Emitter} at {@code rate} events/s for {@code seconds}, read
   * live over {@code /stream} (after a warm-up run of one second); the microseconds from each
   * {@code result} event's stamp to its receipt.
   */
  Histogram sseLatency(int seconds, int rate) {
    Histogram sse = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
    RunDocument warm = client.launch("dev.kodo.bench.Emitter", Map.of("count", rate, "rate", rate));
    client.stream(warm.fid(), 0, e -> {});
    RunDocument run =
        client.launch("dev.kodo.bench.Emitter", Map.of("count", seconds * rate, "rate", rate));
    client.stream(
        run.fid(),
        0,
        (Event e) -> {
          if (e.type().equals("result")) {
            long t = e.dataNode().path("body").path("t").asLong();
            sse.recordValue(Math.max(0, (System.nanoTime() - t) / 1_000));
          }
        });
    return sse;
  }

  /**
   * (d) Runs parked on open locks: heap in use and RSS with 10,000 runs waiting in a lock vs. the
   * same figures just before launching them; then the rate at which answers release them, vs. the
   * same server's no-op POST rate; then every run must reach {@code final}.
   */
  List<Figure> locks() throws Exception {
    int runs = quick ? 1_000 : 10_000;
    int concurrency = 64;
    String flow = Approve.class.getName();
    String launch = "{\"flow\":\"" + flow + "\",\"inputs\":{}}";
    if (count(flow, RunState.LOCKED) != 0) {
      throw new IllegalStateException(
          count(flow, RunState.LOCKED)
              + " runs of "
              + flow
              + " are locked before the scenario starts");
    }
    // Warm up both paths (JIT, connection pool, SQLite pages) with a tenth of the runs, parked and
    // released.
    int warm = Integer.getInteger("kodo.bench.locks.warmup", runs / 10);
    long warmDone = count(flow, RunState.DONE);
    Load.run(uri, warm, concurrency, "/bench/noop", "{\"ok\":true}", 200);
    Load.run(uri, warm, concurrency, "/api/runs", launch, 201);
    awaitCount(flow, RunState.LOCKED, warm, 120);
    List<String> warmAnswers = lockPaths(flow, warm);
    Load.run(uri, warm, concurrency, warmAnswers::get, "{\"ok\":true}", 200);
    awaitCount(flow, RunState.DONE, warmDone + warm, 120);
    long doneBefore = count(flow, RunState.DONE);

    Memory idle = Memory.measure();
    long start = System.nanoTime();
    double launchSeconds = Load.run(uri, runs, concurrency, "/api/runs", launch, 201);
    awaitCount(flow, RunState.LOCKED, runs, 300);
    double parkSeconds = (System.nanoTime() - start) / 1e9;
    Memory locked = Memory.measure();
    System.out.printf(
        Locale.ROOT,
        "locks: %,d runs of Approve launched in %.2f s from %d clients, all locked after %.2f s;"
            + " heap in use %,.0f → %,.0f MB (%+,.1f KB a run), RSS %,.0f → %,.0f MB (%+,.1f KB a run)%n",
        runs,
        launchSeconds,
        concurrency,
        parkSeconds,
        idle.heapMb(),
        locked.heapMb(),
        (locked.heapBytes() - idle.heapBytes()) / 1024.0 / runs,
        idle.rssMb(),
        locked.rssMb(),
        (locked.rssBytes() - idle.rssBytes()) / 1024.0 / runs);

    List<String> answers = lockPaths(flow, runs);
    long cpu = AppCpu.nanos();
    double noopSeconds = Load.run(uri, runs, concurrency, "/bench/noop", "{\"ok\":true}", 200);
    double noopCpu = AppCpu.microsPer(cpu, runs);
    long releaseStart = System.nanoTime();
    cpu = AppCpu.nanos();
    double releaseSeconds = Load.run(uri, runs, concurrency, answers::get, "{\"ok\":true}", 200);
    double releaseCpu = AppCpu.microsPer(cpu, runs);
    awaitCount(flow, RunState.DONE, doneBefore + runs, 120);
    double finalSeconds = (System.nanoTime() - releaseStart) / 1e9;
    long stillLocked = count(flow, RunState.LOCKED);
    if (stillLocked != 0) {
      throw new IllegalStateException(
          stillLocked + " runs of " + flow + " are still locked after every answer was accepted");
    }
    double releaseRate = runs / releaseSeconds;
    double noopRate = runs / noopSeconds;
    System.out.printf(
        Locale.ROOT,
        "locks: %,d locks released (200) in %.2f s from %d clients, all %,d runs final after %.2f s;"
            + " %,d no-op POSTs in %.2f s; %s%n",
        runs,
        releaseSeconds,
        concurrency,
        runs,
        finalSeconds,
        runs,
        noopSeconds,
        AppCpu.describe("release", releaseCpu, noopCpu));

    String n = String.format(Locale.ROOT, "%,d", runs);
    return List.of(
        new Figure(
            "heap in use, " + n + " locked runs",
            locked.heapMb(),
            "MB",
            idle.heapMb(),
            "MB before launching",
            false,
            1024),
        new Figure(
            "RSS, " + n + " locked runs",
            locked.rssMb(),
            "MB",
            idle.rssMb(),
            "MB before launching",
            false,
            Double.NaN),
        Figure.ratioTarget(
            "lock release throughput",
            releaseRate,
            "releases/s",
            noopRate,
            "no-op POST/s",
            true,
            0.70));
  }

  /**
   * The answer path ({@code /api/runs/{fid}/locks/{lid}}) of each locked run of {@code flow}, read
   * from the runs list.
   */
  List<String> lockPaths(String flow, int runs) throws IOException {
    List<String> paths = new ArrayList<>(runs);
    Set<String> fids = new HashSet<>();
    try (RawHttp http = new RawHttp(uri.getHost(), uri.getPort())) {
      for (int p = 0; paths.size() < runs; p++) {
        RawHttp.Response r =
            http.send("GET", "/api/runs?state=locked&flow=" + flow + "&pp=1000&p=" + p, null);
        if (r.status() != 200) {
          throw new IllegalStateException("GET /api/runs answered " + r.status() + ": " + r.body());
        }
        var items = Json.read(r.body()).path("items");
        if (items.isEmpty()) {
          break;
        }
        for (var run : items) {
          String fid = run.path("fid").asString();
          String lid = run.path("lock").path("lid").asString("");
          if (lid.isEmpty()) {
            throw new IllegalStateException(
                "locked run " + fid + " has no lock.lid in its document: " + run);
          }
          if (fids.add(fid)) {
            paths.add("/api/runs/" + fid + "/locks/" + lid);
          }
        }
      }
    }
    if (paths.size() != runs) {
      throw new IllegalStateException(
          "the runs list showed "
              + paths.size()
              + " locked runs of "
              + flow
              + ", expected "
              + runs);
    }
    return paths;
  }

  long count(String flow, RunState state) {
    return store.runs(new RunQuery(Set.of(state), flow, null, null, List.of(), 0, 1)).filtered();
  }

  /**
   * Waits until {@code expected} runs of {@code flow} are in {@code state}; fails loudly after
   * {@code seconds}.
   */
  void awaitCount(String flow, RunState state, long expected, int seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    long n;
    while ((n = count(flow, state)) < expected) {
      if (System.nanoTime() > deadline) {
        StringBuilder states = new StringBuilder();
        for (RunState s : RunState.values()) {
          states
              .append(' ')
              .append(s.name().toLowerCase(Locale.ROOT))
              .append('=')
              .append(count(flow, s));
        }
        throw new IllegalStateException(
            "only "
                + n
                + " of "
                + expected
                + " runs of "
                + flow
                + " were "
                + state
                + " after "
                + seconds
                + " s; by state:"
                + states);
      }
      Thread.sleep(10);
    }
  }

  /** Heap in use after a full collection, and the process's resident set. */
  record Memory(long heapBytes, long rssBytes) {
    static Memory measure() throws IOException, InterruptedException {
      for (int i = 0; i < 3; i++) {
        System.gc();
        Thread.sleep(100);
      }
      long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      return new Memory(heap, rss());
    }

    /** VmRSS from {@code /proc/self/status}, in bytes. */
    static long rss() throws IOException {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          String[] parts = line.substring(6).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024;
        }
      }
      throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    double heapMb() {
      return heapBytes / 1024.0 / 1024.0;
    }

    double rssMb() {
      return rssBytes / 1024.0 / 1024.0;
    }
  }

  static double ms(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1000.0;
  }
}
