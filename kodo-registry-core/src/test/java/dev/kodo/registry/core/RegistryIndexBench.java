package dev.kodo.registry.core;

import dev.kodo.client.Connect;
import dev.kodo.client.FlowAnnouncement;
import dev.kodo.client.FlowUsage;
import dev.kodo.client.Heartbeat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Informal timings of the index at 100,000 flows (10,000 nodes × 10 flows): list latency with
 * search, query, sort and paging, and heartbeat rates. Not a test (no assertions on time); run by
 * hand:
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat cp.txt) dev.kodo.registry.core.RegistryIndexBench
 * </pre>
 */
public final class RegistryIndexBench {
  private static final String[] WORDS = {
    "market",
    "report",
    "summary",
    "planner",
    "digest",
    "risk",
    "audit",
    "research",
    "review",
    "forecast",
    "triage",
    "support",
    "invoice",
    "travel",
    "hiring"
  };
  private static final String[] TAGS = {
    "finance", "ops", "hr", "legal", "sales", "eu", "us", "beta", "gpu", "weekly"
  };

  private RegistryIndexBench() {}

  public static void main(String[] args) throws Exception {
    int nodes = 10_000;
    int flowsPerNode = 10;
    RegistryIndex index = RegistryIndex.create(Clock.systemUTC(), Duration.ofSeconds(300));
    Random random = new Random(42);
    long t0 = System.nanoTime();
    for (int n = 0; n < nodes; n++) {
      String node = "node-" + n;
      index.register(node);
      List<FlowAnnouncement> flows = new ArrayList<>();
      for (int f = 0; f < flowsPerNode; f++) {
        String name =
            WORDS[random.nextInt(WORDS.length)]
                + " "
                + WORDS[random.nextInt(WORDS.length)]
                + " "
                + f;
        flows.add(
            new FlowAnnouncement(
                "flows/" + name.replace(' ', '-') + ".yaml",
                name,
                "A flow that does "
                    + name
                    + " for the team, with several steps and a final report.",
                "author " + random.nextInt(200),
                "org " + random.nextInt(50),
                Instant.now(),
                random.nextInt(4) + "." + random.nextInt(20) + "." + random.nextInt(5),
                List.of(TAGS[random.nextInt(TAGS.length)], TAGS[random.nextInt(TAGS.length)])));
      }
      index.connect(
          new Connect(
              node,
              "http://10.0." + (n / 250) + "." + (n % 250) + ":3370",
              List.of(TAGS[random.nextInt(TAGS.length)]),
              flows));
      if (n % 2 == 0)
        index.probe(node, random.nextInt(10) > 0, Duration.ofMillis(random.nextInt(50)));
      index.heartbeat(
          new Heartbeat(
              node,
              Map.of("load", random.nextDouble()),
              Map.of(
                  flows.get(0).path(), new FlowUsage(random.nextInt(100), random.nextInt(100)))));
    }
    System.out.printf(
        "loaded %,d flows on %,d nodes in %.1f s%n",
        index.counts().flows(), nodes, (System.nanoTime() - t0) / 1e9);

    List<ListRequest> requests =
        List.of(
            ListRequest.of(null, null, null, 0, 50),
            ListRequest.of("report", null, null, 0, 50),
            ListRequest.of("mark*", null, null, 0, 50),
            ListRequest.of(null, "availability > 0.9 and tags contains \"finance\"", null, 0, 50),
            ListRequest.of(
                "report", "availability > 0.9 and tags contains \"finance\"", "name", 2, 50),
            ListRequest.of(
                null, "online and release >= \"2.0.0\"", "runs_started desc, name", 0, 100),
            ListRequest.of(null, null, "heartbeat desc", 0, 1000),
            ListRequest.of(null, null, "name", 90, 1000));
    for (ListRequest r : requests) {
      measure(index, r, 300);
    }

    // the same search while another thread re-announces nodes (each write makes a new snapshot)
    for (int pause : new int[] {10, 0}) {
      AtomicBoolean writing = new AtomicBoolean(true);
      AtomicLong writes = new AtomicLong();
      Thread writer =
          Thread.ofPlatform()
              .start(
                  () -> {
                    Random w = new Random(1);
                    while (writing.get()) {
                      String node = "node-" + w.nextInt(nodes);
                      index.connect(
                          new Connect(
                              node, "http://x:1", null, index.stored(node).orElseThrow().flows()));
                      writes.incrementAndGet();
                      if (pause > 0) {
                        try {
                          Thread.sleep(pause);
                        } catch (InterruptedException e) {
                          return;
                        }
                      }
                    }
                  });
      long w0 = System.nanoTime();
      measure(index, requests.get(4), 300);
      System.out.printf(
          "  (while %,.0f connects/s re-announced nodes)%n",
          writes.get() / ((System.nanoTime() - w0) / 1e9));
      writing.set(false);
      writer.join();
    }

    // heartbeats: one thread, then two threads while a third keeps listing
    long beats = heartbeats(index, nodes, 1, 2_000_000, false);
    System.out.printf("heartbeats, 1 thread, no readers: %,d/s%n", beats);
    beats = heartbeats(index, nodes, 2, 2_000_000, true);
    System.out.printf("heartbeats, 2 threads, 1 reader listing meanwhile: %,d/s%n", beats);

    // the registry with its SQLite store: heartbeats in memory, one flush of every dirty node
    Path dir = Files.createTempDirectory("kodo-registry-bench");
    try (Registry registry =
        Registry.open(
            RegistryOptions.builder(RegistryStores.sqlite(dir))
                .flushInterval(Duration.ZERO)
                .build())) {
      long c0 = System.nanoTime();
      for (int n = 0; n < nodes; n++) {
        registry.register("node-" + n);
        registry.connect(
            new Connect(
                "node-" + n,
                "http://x:1",
                null,
                List.of(
                    new FlowAnnouncement("a.yaml", "A", null, null, null, null, "1.0.0", null))));
      }
      System.out.printf(
          "registry with SQLite: %,d register+connect in %.1f s%n",
          nodes, (System.nanoTime() - c0) / 1e9);
      long h0 = System.nanoTime();
      for (int i = 0; i < 200_000; i++) {
        registry.heartbeat(new Heartbeat("node-" + (i % nodes), Map.of("load", 0.5)));
      }
      double beatSeconds = (System.nanoTime() - h0) / 1e9;
      long f0 = System.nanoTime();
      registry.flush();
      System.out.printf(
          "registry with SQLite: %,.0f heartbeats/s into memory; flush of %,d dirty nodes (+ samples) %.0f ms%n",
          200_000 / beatSeconds, nodes, (System.nanoTime() - f0) / 1e6);
    }
  }

  private static void measure(RegistryIndex index, ListRequest r, int runs) {
    for (int i = 0; i < 100; i++) index.flows(r);
    long[] nanos = new long[runs];
    long filtered = 0;
    for (int i = 0; i < runs; i++) {
      long s = System.nanoTime();
      filtered = index.flows(r).filtered();
      nanos[i] = System.nanoTime() - s;
    }
    Arrays.sort(nanos);
    System.out.printf(
        "p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms  (%,d matched)  search=%s query=%s by=%s p=%d pp=%d%n",
        nanos[runs / 2] / 1e6,
        nanos[(int) (runs * 0.99)] / 1e6,
        nanos[runs - 1] / 1e6,
        filtered,
        r.search(),
        r.query(),
        r.by(),
        r.page(),
        r.perPage());
  }

  private static long heartbeats(
      RegistryIndex index, int nodes, int threads, int total, boolean reader)
      throws InterruptedException {
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong reads = new AtomicLong();
    Thread listing =
        reader
            ? Thread.ofPlatform()
                .start(
                    () -> {
                      while (running.get()) {
                        index.flows(ListRequest.of("report", "online", "heartbeat desc", 0, 50));
                        reads.incrementAndGet();
                      }
                    })
            : null;
    List<Thread> beaters = new ArrayList<>();
    long s = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      int offset = t;
      beaters.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    Map<String, Double> health = Map.of("load", 0.5);
                    for (int i = offset; i < total; i += threads) {
                      index.heartbeat(new Heartbeat("node-" + (i % nodes), health));
                    }
                  }));
    }
    for (Thread b : beaters) b.join();
    long rate = (long) (total / ((System.nanoTime() - s) / 1e9));
    running.set(false);
    if (listing != null) {
      listing.join();
      System.out.printf("  (the reader made %,d lists meanwhile)%n", reads.get());
    }
    return rate;
  }
}
