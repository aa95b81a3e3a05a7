package dev.kodo.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Event;
import dev.kodo.client.EventsPage;
import dev.kodo.client.NodeClient;
import dev.kodo.client.NodeException;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 8's chaos run: a node in its own JVM is killed with {@code kill -9} at a random moment
 * under load (launches, live streams, lock answers, kills; see {@link ChaosLoad}) and restarted on
 * the same data, {@value #DEFAULT_ROUNDS} times in a row; one restart in three is itself killed
 * while it starts (opening the store, ending the runs left open). After each restart: every run the
 * node answered 201 for exists; every event a client saw is stored with the same seq, time, type
 * and data; every lock answer and kill the node accepted is in the run's log; every run has ended,
 * with exactly one terminal event, its last; no run is left pending or locked. After the last round
 * every run of every round is checked again. A client whose stream the kill cut off resumes it and
 * gets the rest of the log up to the run's end.
 *
 * <p>Seeded: the seed is printed; {@code -Dkodo.chaos.seed=N} replays the same kill delays and the
 * same runs (thread timing still varies), {@code -Dkodo.chaos.rounds=N} changes the number of
 * rounds.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ChaosIT {
  static final int DEFAULT_ROUNDS = 20;
  private static final String FLOWS =
      "--kodo.flows=classpath:*,dev.kodo.node.testflows.Burst,dev.kodo.node.testflows.ShortLock";
  private static final long END_WITHIN_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final ChaosLedger ledger = new ChaosLedger();
  private long eventsChecked;
  private long seenChecked;
  private long resumedStreams;
  // How the checked runs ended (after each round, counted once per run): final, kill, fatal:
  // <reason>.
  private final Map<String, Long> endings = new TreeMap<>();
  // Where resumed streams are read, so that one that never ends fails the test instead of hanging
  // it.
  private final ExecutorService resumed = Executors.newVirtualThreadPerTaskExecutor();

  @Test
  void killNineUnderLoadLosesNothingAndLeavesNoRunBehind() throws Exception {
    long seed = Long.getLong("kodo.chaos.seed", new Random().nextLong());
    int rounds = Integer.getInteger("kodo.chaos.rounds", DEFAULT_ROUNDS);
    String replay = " (replay with -Dkodo.chaos.seed=" + seed + ")";
    System.out.println("ChaosIT: seed " + seed + ", " + rounds + " rounds");
    Random rng = new Random(seed);
    Path data = Path.of("target", "it-data", "chaos-" + UUID.randomUUID()).toAbsolutePath();
    String cluster = "chaos-" + UUID.randomUUID();
    int port = NodeProcess.freePort();
    long started = System.nanoTime();
    NodeProcess node = NodeProcess.start(port, data, cluster, FLOWS);
    try {
      for (int round = 0; round < rounds; round++) {
        int launchers = 2 + rng.nextInt(3);
        long killAfterMillis = 300 + rng.nextInt(2_700);
        ChaosLoad load = new ChaosLoad(node.client(), ledger, seed, round);
        load.start(launchers);
        Thread.sleep(killAfterMillis);
        load.nodeKilled();
        node.kill9();
        load.stop();

        long restart = System.nanoTime();
        long killStartAfterMillis = rng.nextInt(3) == 0 ? 300 + rng.nextInt(2_200) : 0;
        if (killStartAfterMillis > 0) {
          // Once in a while the restart itself is cut short: killed while it opens the store or
          // ends the runs left open.
          try (NodeProcess starting = NodeProcess.spawn(port, data, cluster, FLOWS)) {
            Thread.sleep(killStartAfterMillis);
            starting.kill9();
          }
        }
        node = NodeProcess.start(port, data, cluster, FLOWS);
        long restartMillis = millisSince(restart);

        long check = System.nanoTime();
        List<ChaosLedger.Run> runs = ledger.runsOf(round);
        List<String> problems =
            new ArrayList<>(verify(node.client(), runs, "after round " + round, true));
        problems.addAll(noRunLeftOpen(node.client(), "after round " + round));
        runs.forEach(ChaosLedger.Run::compact);
        System.out.printf(
            "ChaosIT: round %d: %d launchers, killed after %d ms, %d runs, %d events seen, restarted in %d ms%s,"
                + " checked in %d ms%n",
            round,
            launchers,
            killAfterMillis,
            runs.size(),
            runs.stream().mapToLong(ChaosLedger.Run::seenCount).sum(),
            restartMillis,
            killStartAfterMillis > 0
                ? " (a first restart killed after " + killStartAfterMillis + " ms)"
                : "",
            millisSince(check));
        assertThat(problems)
            .as(listed("what the node lost or left open", problems) + replay)
            .isEmpty();
        assertThat(ledger.anomalies())
            .as(listed("answers a healthy node should not give", ledger.anomalies()) + replay)
            .isEmpty();
      }
      long check = System.nanoTime();
      List<String> problems = verify(node.client(), ledger.runs(), "after all rounds", false);
      System.out.printf("ChaosIT: all runs checked again in %d ms%n", millisSince(check));
      assertThat(problems)
          .as(listed("what the node lost or left open", problems) + replay)
          .isEmpty();
    } finally {
      resumed.shutdownNow();
      node.close();
    }
    List<ChaosLedger.Run> all = ledger.runs();
    System.out.printf(
        "ChaosIT: %d rounds, %d runs (%d of them restarts; %d accepted lock answers, %d accepted kills), %d cut-off"
            + " streams resumed, %d calls refused with 429/503; runs ended by %s; checked after each round and again after all:"
            + " %d stored events, %d seen events; %d s%n",
        rounds,
        all.size(),
        ledger.restartCount(),
        all.stream().mapToLong(r -> r.acceptedCids.size()).sum(),
        all.stream().filter(r -> r.killAccepted).count(),
        resumedStreams,
        ledger.refusedCount(),
        endings,
        eventsChecked,
        seenChecked,
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    // The kills must have hit the node mid-work, and the load must have let runs finish normally as
    // well.
    assertThat(endings.getOrDefault("fatal: node-restarted", 0L))
        .as("runs ended by a restart" + replay)
        .isPositive();
    assertThat(endings.getOrDefault("final", 0L))
        .as("runs that finished normally" + replay)
        .isPositive();
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }

  /** A description naming how many problems there are and the first 20 of them. */
  private static String listed(String what, List<String> problems) {
    return what
        + (problems.size() > 20
            ? " (" + problems.size() + "; the first 20: " + problems.subList(0, 20) + ")"
            : "");
  }

  /**
   * Checks each run against what the clients were told; returns what does not hold. The first check
   * of a run, right after its round, also resumes its cut-off stream and counts how it ended.
   */
  private List<String> verify(
      NodeClient client, List<ChaosLedger.Run> runs, String when, boolean firstCheck)
      throws InterruptedException {
    List<String> problems = new ArrayList<>();
    long deadline = System.nanoTime() + END_WITHIN_NANOS;
    for (ChaosLedger.Run run : runs) {
      String what =
          when
              + ": run "
              + run.fid
              + " ("
              + run.flow
              + ", answered 201 in round "
              + run.round
              + ")";
      RunDocument doc;
      try {
        doc = client.run(run.fid);
        while (!doc.state().finished() && System.nanoTime() < deadline) {
          Thread.sleep(100);
          doc = client.run(run.fid);
        }
      } catch (NodeException e) {
        problems.add(what + " answers " + e.status() + ": " + e.getMessage());
        continue;
      }
      if (!doc.state().finished()) {
        problems.add(what + " is still " + doc.state() + " 60 s after the restart");
        continue;
      }
      List<Event> log = events(client, run.fid);
      eventsChecked += log.size();
      List<String> wrong = checkLog(what, run, doc, log, firstCheck);
      problems.addAll(wrong);
      if (wrong.isEmpty() && firstCheck) {
        problems.addAll(resumeStream(what, client, run, log));
      }
    }
    return problems;
  }

  /**
   * A client whose stream the kill cut off resumes it after the last event it saw (Last-Event-ID):
   * it gets exactly the rest of the stored log and the stream ends with the run's terminal event.
   */
  private List<String> resumeStream(
      String what, NodeClient client, ChaosLedger.Run run, List<Event> log)
      throws InterruptedException {
    List<Event> seen = run.seen();
    if (!seen.isEmpty() && seen.getLast().terminal()) return List.of();
    List<Event> rest = new CopyOnWriteArrayList<>();
    Future<Long> stream = resumed.submit(() -> client.stream(run.fid, seen.size(), rest::add));
    try {
      stream.get(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      stream.cancel(true);
      return List.of(
          what
              + ": its stream, resumed after seq "
              + seen.size()
              + ", did not end within 30 s; it sent "
              + rest.size()
              + " events");
    } catch (ExecutionException e) {
      return List.of(
          what + ": its stream, resumed after seq " + seen.size() + ", failed: " + e.getCause());
    }
    resumedStreams++;
    List<Event> expected = log.subList(seen.size(), log.size());
    return rest.equals(expected)
        ? List.of()
        : List.of(
            what
                + ": its stream, resumed after seq "
                + seen.size()
                + ", sent "
                + rest.size()
                + " events that differ from the "
                + expected.size()
                + " stored after it"
                + firstDifference(rest, expected));
  }

  private List<String> checkLog(
      String what, ChaosLedger.Run run, RunDocument doc, List<Event> log, boolean firstCheck) {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < log.size(); i++) {
      if (log.get(i).seq() != i + 1) {
        problems.add(what + ": event " + i + " of its log has seq " + log.get(i).seq());
        return problems;
      }
    }
    List<Event> terminal = log.stream().filter(Event::terminal).toList();
    if (terminal.size() != 1 || !log.getLast().terminal()) {
      problems.add(
          what
              + ": expected one final, fatal or kill, the last event; its log ends "
              + log.subList(Math.max(0, log.size() - 3), log.size()).stream()
                  .map(e -> e.seq() + ":" + e.type())
                  .toList()
              + " and has "
              + terminal.size()
              + " terminal events");
      return problems;
    }
    if (firstCheck) {
      String ending =
          log.getLast().type().equals("fatal")
              ? "fatal: " + log.getLast().dataNode().path("reason").asString("?")
              : log.getLast().type();
      endings.merge(ending, 1L, Long::sum);
    }
    RunState expected =
        switch (log.getLast().type()) {
          case "final" -> RunState.DONE;
          case "kill" -> RunState.KILLED;
          default -> RunState.ERROR;
        };
    if (doc.state() != expected || doc.events() != log.size()) {
      problems.add(
          what
              + ": its document says "
              + doc.state()
              + " with "
              + doc.events()
              + " events, its log ends with "
              + log.getLast().type()
              + " at seq "
              + log.size());
    }
    int seenCount = run.seenCount();
    seenChecked += seenCount;
    if (seenCount > log.size()) {
      problems.add(what + ": a client saw " + seenCount + " events, the node keeps " + log.size());
    } else {
      List<Event> seen = run.seen();
      List<Event> stored = log.subList(0, seenCount);
      if (seen.size() == seenCount
          ? !seen.equals(stored)
          : run.seenDigest() != ChaosLedger.digest(stored)) {
        problems.add(
            what
                + ": the "
                + seenCount
                + " events a client saw differ from the first ones stored"
                + firstDifference(seen, stored));
      }
    }
    for (String cid : run.acceptedCids) {
      boolean kept =
          log.stream()
              .anyMatch(
                  e ->
                      e.type().equals("unlock")
                          && e.dataNode().path("cid").asString("").equals(cid));
      if (!kept) {
        problems.add(
            what
                + ": the node accepted candidate "
                + cid
                + " (200) but its log has no unlock for it");
      }
    }
    if (run.killAccepted && !log.getLast().type().equals("kill")) {
      problems.add(
          what
              + ": the node accepted its kill (200) but its log ends with "
              + log.getLast().type());
    }
    return problems;
  }

  private static String firstDifference(List<Event> seen, List<Event> stored) {
    for (int i = 0; i < Math.min(seen.size(), stored.size()); i++) {
      if (!seen.get(i).equals(stored.get(i))) {
        return "; first at the "
            + (i + 1)
            + "th event: seen "
            + seen.get(i).toJson()
            + ", stored "
            + stored.get(i).toJson();
      }
    }
    return "";
  }

  private static List<Event> events(NodeClient client, String fid) {
    List<Event> log = new ArrayList<>();
    for (int page = 0; page < 1_000; page++) {
      EventsPage p = client.events(fid, log.isEmpty() ? 0 : log.getLast().seq(), 10_000);
      log.addAll(p.items());
      if (!p.more() || p.items().isEmpty()) break;
    }
    return log;
  }

  /**
   * No run of the node, whether a client heard of it or not, stays pending or locked after a
   * restart.
   */
  private static List<String> noRunLeftOpen(NodeClient client, String when)
      throws InterruptedException {
    long deadline = System.nanoTime() + END_WITHIN_NANOS;
    var open = client.runs(Map.of("state", "pending,locked", "pp", "5"));
    while (open.filtered() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(200);
      open = client.runs(Map.of("state", "pending,locked", "pp", "5"));
    }
    return open.filtered() == 0
        ? List.of()
        : List.of(
            when
                + ": "
                + open.filtered()
                + " run(s) still pending or locked 60 s after the restart, e.g. "
                + open.items().stream()
                    .map(r -> r.fid() + " " + r.flow() + " " + r.state())
                    .toList());
  }
}
