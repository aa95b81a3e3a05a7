package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.cli.workerflows.Asking;
import dev.kodo.cli.workerflows.Steady;
import dev.kodo.client.Event;
import dev.kodo.client.KodoException;
import dev.kodo.client.NodeClient;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * Two nodes on one cluster and one PostgreSQL database
 * (docs/architecture.md#two-nodes-one-database), each a JVM of its own on loopback, with a {@code
 * koco worker}: a run launched on one is read, followed, answered and killed on the other; when the
 * node that accepted a run is killed with {@code kill -9} mid-run, the other takes the run over,
 * and a client that reconnects to it with {@code Last-Event-ID} gets the rest of a gapless stream
 * up to {@code final}.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodesIT {
  private static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final String SCHEMA = "kodo_ha_" + UUID.randomUUID().toString().substring(0, 8);
  private static final String FLOWS =
      String.join(",", Asking.class.getName(), Steady.class.getName());

  private static final String CLUSTER = "ha-" + UUID.randomUUID();
  private static final Path DIR = Path.of("target", "it-data", CLUSTER).toAbsolutePath();
  private static final List<KocoProcess> processes = new ArrayList<>();
  private static final Map<KocoProcess, String> URLS = new java.util.HashMap<>();
  private static String secret;
  private static KocoProcess alphaProcess;
  private static NodeClient alpha;
  private static NodeClient beta;
  private static int alphaCluster;
  private static int betaCluster;

  @BeforeAll
  static void start() throws Exception {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    secret = HexFormat.of().formatHex(bytes);
    alphaCluster = AgentRuns.freePort();
    betaCluster = AgentRuns.freePort();
    alphaProcess = node("alpha", alphaCluster, List.of());
    alpha = client(alphaProcess, "alpha");
    KocoProcess betaProcess = node("beta", betaCluster, List.of("127.0.0.1:" + alphaCluster));
    beta = client(betaProcess, "beta");
    KocoProcess worker =
        TestKoco.start(
            DIR.resolve("worker.log"),
            Map.of("KODO_CLUSTER_SECRET", secret),
            List.of(),
            "worker",
            "--join",
            "127.0.0.1:" + alphaCluster + ",127.0.0.1:" + betaCluster,
            "--flows",
            FLOWS,
            "--cluster-name",
            CLUSTER,
            "--port",
            String.valueOf(AgentRuns.freePort()),
            "--name",
            "w1",
            "--capacity",
            "8");
    processes.add(worker);
    ScaleOut.await(
        "both nodes and the worker in the cluster",
        90,
        () -> {
          if (!worker.process().isAlive()) {
            throw new IllegalStateException("the worker exited:\n" + worker.output());
          }
          JsonNode state = beta.state();
          List<String> nodes = new ArrayList<>();
          state.path("cluster").path("nodes").forEach(n -> nodes.add(n.asString()));
          boolean hasWorker = false;
          for (JsonNode w : state.path("workers")) {
            hasWorker |= "w1".equals(w.path("name").asString());
          }
          return nodes.containsAll(List.of("alpha", "beta")) && hasWorker ? true : null;
        });
  }

  private static KocoProcess node(String name, int clusterPort, List<String> members)
      throws Exception {
    int port = AgentRuns.freePort();
    Map<String, String> env = new java.util.HashMap<>();
    env.put("KODO_CLUSTER_NAME", CLUSTER);
    env.put("KODO_CLUSTER_PORT", String.valueOf(clusterPort));
    env.put("KODO_CLUSTER_SECRET", secret);
    env.put("KODO_STORE_URL", PG);
    env.put("KODO_STORE_USER", "postgres");
    env.put("KODO_STORE_SCHEMA", SCHEMA);
    if (!members.isEmpty()) {
      env.put("KODO_CLUSTER_MEMBERS", String.join(",", members));
    }
    KocoProcess p =
        TestKoco.start(
            DIR.resolve(name + ".log"),
            env,
            List.of(),
            "node",
            "--name",
            name,
            "--no-worker",
            "--no-auth",
            "--port",
            String.valueOf(port),
            "--data",
            DIR.resolve(name).toString(),
            "--flows",
            FLOWS);
    processes.add(p);
    URLS.put(p, "http://127.0.0.1:" + port);
    p.awaitNode(URLS.get(p), 90);
    return p;
  }

  private static NodeClient client(KocoProcess p, String name) {
    return NodeClient.connect(URLS.get(p));
  }

  @AfterAll
  static void stop() throws Exception {
    for (KocoProcess p : processes.reversed()) {
      p.close();
    }
    try (Connection c = DriverManager.getConnection(PG, "postgres", null);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }
  }

  @Test
  @Order(1)
  void aRunLaunchedOnOneNodeIsReadFollowedAnsweredAndKilledOnTheOther() throws Exception {
    String asking = alpha.launch(Asking.class.getName(), Map.of()).fid();
    RunDocument locked =
        ScaleOut.await(
            "run " + asking + " to be locked, read on beta",
            60,
            () -> {
              RunDocument r = beta.run(asking);
              return r.state() == RunState.LOCKED ? r : null;
            });
    String lid = locked.lock().path("lid").asString();
    // Followed on beta, answered on beta: the candidate goes to alpha, which writes the run.
    List<Event> followed = new CopyOnWriteArrayList<>();
    CompletableFuture<Long> stream =
        CompletableFuture.supplyAsync(() -> beta.stream(asking, 0, followed::add));
    JsonNode answer = beta.answer(asking, lid, Map.of("ok", true));
    assertThat(answer.path("accepted").asBoolean()).isTrue();
    stream.get(60, TimeUnit.SECONDS);
    assertThat(followed).extracting(Event::type).contains("lock", "candidate", "unlock", "final");
    assertGapless(followed, 1);
    assertThat(alpha.run(asking).state()).isEqualTo(RunState.DONE);

    String long_ = alpha.launch(Steady.class.getName(), Map.of("steps", 600, "millis", 50)).fid();
    ScaleOut.await(
        "run " + long_ + " to make progress",
        60,
        () -> beta.run(long_).progress().value() > 0 ? true : null);
    assertThat(beta.kill(long_).state()).isEqualTo(RunState.KILLED);
    assertThat(alpha.run(long_).state()).isEqualTo(RunState.KILLED);
  }

  @Test
  @Order(2)
  void whenTheAcceptingNodeDiesTheOtherTakesTheRunOverAndItsStreamStaysGapless() throws Exception {
    int steps = 80;
    String fid = alpha.launch(Steady.class.getName(), Map.of("steps", steps, "millis", 100)).fid();
    List<Event> seen = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> step15 = new CompletableFuture<>();
    // Killed as soon as step 15 is streamed, ~100 ms before the flow reports step 16: the batch a
    // node has taken off its queue but not yet stored is lost with it (docs/decisions.md, "Known
    // gap: at-most-once"), so the kill must not fall on a step in the dead node's hands; steps 16
    // to 80 all travel after the kill, through the hand-over.
    CompletableFuture<Long> first =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return alpha.stream(
                    fid,
                    0,
                    e -> {
                      seen.add(e);
                      if (e.data().contains("\"step 15\"")) {
                        step15.complete(null);
                      }
                    });
              } catch (KodoException broken) {
                return -1L;
              }
            });
    step15.get(60, TimeUnit.SECONDS);

    alphaProcess.kill9();
    first.get(60, TimeUnit.SECONDS);
    long last = seen.getLast().seq();
    // The client reconnects to the other node from where it was.
    beta.stream(fid, last, seen::add);

    assertGapless(seen, 1);
    assertThat(seen.getLast().type()).isEqualTo("final");
    List<String> reported = new ArrayList<>();
    for (int i = 1; i <= steps; i++) {
      reported.add("step " + i);
    }
    List<String> streamed =
        seen.stream()
            .filter(e -> e.data().contains("\"step "))
            .map(e -> e.data().replaceAll(".*\"(step \\d+)\".*", "$1"))
            .toList();
    assertThat(streamed).as("every step the flow reported is in the stream").isEqualTo(reported);
    RunDocument done = beta.run(fid);
    assertThat(done.state()).isEqualTo(RunState.DONE);
    List<Event> stored = beta.events(fid, 0, 1_000).items();
    assertGapless(stored, 1);
    assertThat(stored).hasSameSizeAs(seen);

    // The survivor keeps serving: a new run on it ends too.
    String after = beta.launch(Steady.class.getName(), Map.of("steps", 3, "millis", 10)).fid();
    assertThat(
            ScaleOut.await(
                "run " + after + " on beta to end",
                60,
                () -> {
                  RunDocument r = beta.run(after);
                  return r.state().finished() ? r : null;
                }))
        .extracting(RunDocument::state)
        .isEqualTo(RunState.DONE);
  }

  /** Seqs from {@code from} on, each once, none missing. */
  private static void assertGapless(List<Event> events, long from) {
    long expected = from;
    for (Event e : events) {
      assertThat(e.seq()).as("seq after %s", expected - 1).isEqualTo(expected);
      expected++;
    }
  }
}
