package dev.kodo.registry.core;

import static dev.kodo.registry.core.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Connect;
import dev.kodo.client.Constraints;
import dev.kodo.client.FlowAnnouncement;
import dev.kodo.client.FlowUsage;
import dev.kodo.client.Heartbeat;
import dev.kodo.client.Page;
import dev.kodo.client.RegistryFlow;
import dev.kodo.client.RegistryNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Many heartbeats while lists are read and admins write: no read fails or sees a half-made index,
 * and no heartbeat is lost.
 */
class RegistryIndexConcurrencyTest {
  private static final int NODES = 200;
  private static final int FLOWS_PER_NODE = 50;
  private static final int BEATERS = 4;
  private static final int BEATS_PER_BEATER = 25_000;

  @Test
  void heartbeatsWhileReadingAndWriting() throws Exception {
    MutableClock clock = new MutableClock(T0);
    RegistryIndex index = RegistryIndex.create(clock, Duration.ofSeconds(300));
    for (int n = 0; n < NODES; n++) {
      index.register(node(n));
      index.connect(
          new Connect(node(n), "http://" + node(n) + ":3370", List.of("n" + (n % 7)), flows(n)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(BEATERS + 3);
    AtomicBoolean beating = new AtomicBoolean(true);
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> beaters = new ArrayList<>();
    for (int t = 0; t < BEATERS; t++) {
      int thread = t;
      beaters.add(
          pool.submit(
              () -> {
                start.await();
                // thread t owns the nodes n with n % BEATERS == t, so the last figure it sends each
                // node is known
                for (int i = 0; i < BEATS_PER_BEATER; i++) {
                  int n = thread + BEATERS * (i % (NODES / BEATERS));
                  index.heartbeat(
                      new Heartbeat(
                          node(n),
                          Map.of("seq", (double) i),
                          Map.of("f1.yaml", new FlowUsage(i, i))));
                  if (i % 1000 == 0) clock.advance(Duration.ofMillis(10));
                }
                return null;
              }));
    }
    List<Future<Integer>> readers = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      String by = r == 0 ? "heartbeat desc, runs_started desc" : "availability desc, name";
      readers.add(
          pool.submit(
              () -> {
                start.await();
                int reads = 0;
                while (beating.get()) {
                  Page<RegistryFlow> p =
                      index.flows(
                          ListRequest.of(null, "online and runs_started >= 0", by, reads % 5, 100));
                  if (p.total() != NODES * FLOWS_PER_NODE) problems.add("total " + p.total());
                  if (p.items().size() != 100) problems.add("page of " + p.items().size());
                  index.nodes(ListRequest.of("node-1*", null, "heartbeat_age", 0, 50));
                  reads++;
                }
                return reads;
              }));
    }
    Future<?> admin =
        pool.submit(
            () -> {
              start.await();
              int i = 0;
              while (beating.get()) {
                int n = i % NODES;
                index.constrainFlow(
                    node(n), "f3.yaml", new Constraints(List.of("t" + i), false, null));
                index.constrainNode(node(n), new Constraints(List.of("c" + i), false, null));
                index.connect(new Connect(node(n), "http://" + node(n) + ":3370", null, flows(n)));
                i++;
              }
              return null;
            });

    start.countDown();
    for (Future<?> b : beaters) b.get(2, TimeUnit.MINUTES);
    beating.set(false);
    int reads = 0;
    for (Future<Integer> r : readers) reads += r.get(1, TimeUnit.MINUTES);
    admin.get(1, TimeUnit.MINUTES);
    pool.shutdown();

    assertThat(problems).isEmpty();
    assertThat(reads).isPositive();
    int lastSeq = BEATS_PER_BEATER - 1;
    for (int n = 0; n < NODES; n++) {
      // the last i a beater used for node n: the largest i < BEATS with i % (NODES/BEATERS) == n /
      // BEATERS
      int slot = n / BEATERS;
      int period = NODES / BEATERS;
      int last = lastSeq - ((lastSeq - slot) % period + period) % period;
      RegistryNode record = index.node(node(n), false).orElseThrow();
      assertThat(record.health()).as(node(n)).containsEntry("seq", (double) last);
      assertThat(record.online()).isTrue();
      assertThat(index.flow(node(n), "f1.yaml", false).orElseThrow().usage().runsStarted())
          .isEqualTo(last);
    }
    assertThat(index.counts())
        .isEqualTo(new RegistryIndex.Counts(NODES, NODES, NODES * FLOWS_PER_NODE));
  }

  private static String node(int n) {
    return "node-" + n;
  }

  private static List<FlowAnnouncement> flows(int n) {
    List<FlowAnnouncement> flows = new ArrayList<>();
    for (int f = 0; f < FLOWS_PER_NODE; f++) {
      flows.add(
          new FlowAnnouncement(
              "f" + f + ".yaml",
              "Flow " + f + " of " + n,
              "does things",
              "Ada",
              "ACME",
              T0,
              "1." + f + ".0",
              List.of("t" + (f % 5))));
    }
    return flows;
  }
}
