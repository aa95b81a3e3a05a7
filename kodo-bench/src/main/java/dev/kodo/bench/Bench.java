package dev.kodo.bench;

import dev.kodo.client.Event;
import dev.kodo.client.Json;
import dev.kodo.client.NodeClient;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import dev.kodo.node.NodeApplication;
import dev.kodo.store.EventStore;
import dev.kodo.store.RunQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The benchmark: starts a real node in this JVM (SQLite store, embedded Hazelcast member and
 * worker), measures each figure of issue 2, and prints it beside a baseline measured in the same
 * run on the same machine, as a ratio. Run with {@code ./koco bench} or the main class.
 *
 * <pre>
 * Bench [--only launch,events,latency] [--quick]
 * </pre>
 */
public final class Bench {
  private final boolean quick;
  private final NodeClient client;
  private final String base;
  private final java.net.URI uri;
  private final EventStore store;
  private final Path data;

  private Bench(boolean quick, ConfigurableApplicationContext node, Path data) {
    this.quick = quick;
    this.base = "http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port");
    this.client = NodeClient.connect(base);
    this.uri = java.net.URI.create(base);
    this.store = node.getBean(EventStore.class);
    this.data = data;
  }

  public static void main(String[] args) throws Exception {
    Set<String> only = new LinkedHashSet<>(List.of("launch", "events", "latency"));
    boolean quick = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--only" -> only = new LinkedHashSet<>(List.of(args[++i].split(",")));
        default -> {
          System.err.println("usage: bench [--only launch,events,latency] [--quick]");
          System.exit(2);
        }
      }
    }
    Path data = Files.createTempDirectory("kodo-bench");
    ConfigurableApplicationContext node = NodeApplication.start(new Class<?>[] {NoopEndpoints.class},
        "--server.port=0", "--kodo.data=" + data, "--kodo.cluster.name=bench-" + ProcessHandle.current().pid(),
        "--kodo.flows=classpath:*,dev.kodo.bench.Noop,dev.kodo.bench.Emitter", "--logging.level.root=WARN");
    List<Figure> figures = new ArrayList<>();
    try {
      Bench bench = new Bench(quick, node, data);
      System.out.printf(Locale.ROOT, "kodo-bench: %d cores, Java %s, store SQLite (WAL), node on %s%s%n",
          Runtime.getRuntime().availableProcessors(), Runtime.version(), bench.base, quick ? " (quick)" : "");
      if (only.contains("launch")) figures.add(bench.launchThroughput());
      if (only.contains("events")) figures.add(bench.eventThroughput());
      if (only.contains("latency")) figures.addAll(bench.latency());
    } finally {
      node.close();
    }
    System.out.println();
    System.out.println(Figure.header());
    figures.forEach(f -> System.out.println(f.row()));
    System.exit(0);
  }

  /** (a) Runs/s of a trivial flow to final, vs. the same server's no-op POST rate. */
  Figure launchThroughput() throws InterruptedException {
    int runs = quick ? 500 : 5_000;
    int concurrency = 64;
    String launch = "{\"flow\":\"dev.kodo.bench.Noop\",\"inputs\":{}}";
    // Warm up both paths (JIT, connection pool, SQLite pages).
    Load.run(uri, runs / 5, concurrency, "/bench/noop", launch, 200);
    launchAndWait(runs / 5, concurrency, launch);

    double noopSeconds = Load.run(uri, runs, concurrency, "/bench/noop", launch, 200);
    double launchSeconds = launchAndWait(runs, concurrency, launch);
    double noopRate = runs / noopSeconds;
    double launchRate = runs / launchSeconds;
    System.out.printf(Locale.ROOT, "launch: %d runs of Noop to final in %.2f s from %d clients; %d no-op POSTs in %.2f s%n",
        runs, launchSeconds, concurrency, runs, noopSeconds);
    return new Figure("launch → final throughput", launchRate, "runs/s", noopRate, "no-op POST/s", true, 1_000);
  }

  private double launchAndWait(int runs, int concurrency, String body) throws InterruptedException {
    long doneBefore = done();
    long start = System.nanoTime();
    Load.run(uri, runs, concurrency, "/api/runs", body, 201);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (done() < doneBefore + runs) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + (done() - doneBefore) + " of " + runs + " runs reached final within 120 s");
      }
      Thread.sleep(2);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private long done() {
    return store.runs(new RunQuery(Set.of(RunState.DONE), "dev.kodo.bench.Noop", null, null, List.of(), 0, 1)).filtered();
  }

  /** (b) Events/s persisted for one run emitting 100,000 events, vs. raw batched SQLite inserts of the same rows. */
  Figure eventThroughput() throws Exception {
    int count = quick ? 20_000 : 100_000;
    emitAndWait(count / 5);
    double seconds = emitAndWait(count);
    double rate = (count + 4) / seconds;
    double raw = rawSqliteInserts(count);
    System.out.printf(Locale.ROOT, "events: %,d events emitted, carried and persisted in %.2f s; raw SQLite: %,.0f rows/s%n",
        count + 4, seconds, raw);
    return new Figure("events persisted (one run)", rate, "events/s", raw, "raw batched SQLite rows/s", true, 50_000);
  }

  private double emitAndWait(int count) throws InterruptedException {
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
      throw new IllegalStateException("run " + run.fid() + " persisted " + store.run(run.fid()).orElseThrow().lastSeq()
          + " events, expected " + (count + 4));
    }
    return seconds;
  }

  /** The same rows, inserted straight into a fresh SQLite file in batches of 1,000 per transaction. */
  private double rawSqliteInserts(int count) throws Exception {
    Path file = data.resolve("raw-baseline.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=NORMAL");
        s.execute("CREATE TABLE events (fid TEXT NOT NULL, seq INTEGER NOT NULL, ts INTEGER NOT NULL, kind TEXT NOT NULL,"
            + " type TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (fid, seq)) WITHOUT ROWID");
      }
      c.setAutoCommit(false);
      String fid = java.util.UUID.randomUUID().toString();
      long start = System.nanoTime();
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO events (fid, seq, ts, kind, type, data) VALUES (?,?,?,?,?,?)")) {
        for (int i = 1; i <= count; i++) {
          ps.setString(1, fid);
          ps.setLong(2, i);
          ps.setLong(3, System.currentTimeMillis());
          ps.setString(4, "process");
          ps.setString(5, "result");
          ps.setString(6, "{\"format\":\"json\",\"body\":" + Json.write(new Emitter.Stamp(i, System.nanoTime())) + "}");
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

  /** (c) p50/p99 from emit to receipt by an SSE client at 1,000 events/s, vs. a no-op GET round trip at the same rate. */
  List<Figure> latency() throws Exception {
    int seconds = quick ? 3 : 10;
    int rate = 1_000;
    Histogram sse = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
    RunDocument warm = client.launch("dev.kodo.bench.Emitter", Map.of("count", rate, "rate", rate));
    client.stream(warm.fid(), 0, e -> {});
    RunDocument run = client.launch("dev.kodo.bench.Emitter", Map.of("count", seconds * rate, "rate", rate));
    client.stream(run.fid(), 0, (Event e) -> {
      if (e.type().equals("result")) {
        long t = e.dataNode().path("body").path("t").asLong();
        sse.recordValue(Math.max(0, (System.nanoTime() - t) / 1_000));
      }
    });
    Histogram noop = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
    long interval = 1_000_000_000L / rate;
    long start = System.nanoTime();
    for (int i = 0; i < seconds * rate; i++) {
      long due = start + i * interval;
      while (System.nanoTime() < due) {
        java.util.concurrent.locks.LockSupport.parkNanos(due - System.nanoTime());
      }
      long t0 = System.nanoTime();
      Load.send(Load.get(base + "/bench/noop"), 200);
      noop.recordValue((System.nanoTime() - t0) / 1_000);
    }
    System.out.printf(Locale.ROOT, "latency: %,d events over SSE at %d/s: p50 %.2f ms, p99 %.2f ms, max %.2f ms;"
            + " no-op GET: p50 %.2f ms, p99 %.2f ms%n", sse.getTotalCount(), rate, ms(sse, 50), ms(sse, 99),
        sse.getMaxValue() / 1000.0, ms(noop, 50), ms(noop, 99));
    return List.of(
        new Figure("emit → SSE p50 @1,000 ev/s", ms(sse, 50), "ms", ms(noop, 50), "no-op GET p50 ms", false, Double.NaN),
        new Figure("emit → SSE p99 @1,000 ev/s", ms(sse, 99), "ms", ms(noop, 99), "no-op GET p99 ms", false, 20));
  }

  private static double ms(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1000.0;
  }
}
