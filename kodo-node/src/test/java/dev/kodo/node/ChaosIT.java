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
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 8's chaos run: a node in its own JVM is killed with {@code kill -9} at a random moment
 * under load (launches, live streams, lock answers, kills; see {@link ChaosLoad}) and restarted on
 * the same data, {@value #DEFAULT_ROUNDS} times in a row. After each restart: every run the node
 * answered 201 for exists; every event a client saw is stored with the same seq, time, type and
 * data; every lock answer and kill the node accepted is in the run's log; every run has ended,
 * with exactly one terminal event, its last; no run is left pending or locked. After the last
 * round every run of every round is checked again.
 *
 * <p>Seeded: the seed is printed; {@code -Dkodo.chaos.seed=N} replays the same kill delays and the
 * same runs (thread timing still varies), {@code -Dkodo.chaos.rounds=N} changes the number of
 * rounds.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ChaosIT {
  static final int DEFAULT_ROUNDS = 20;
  private static final String FLOWS = "--kodo.flows=classpath:*,dev.kodo.node.testflows.Burst,dev.kodo.node.testflows.ShortLock";
  private static final long END_WITHIN_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final ChaosLedger ledger = new ChaosLedger();
  private long eventsChecked;
  private long seenChecked;

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
    List<String> problems = new ArrayList<>();
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
        node = NodeProcess.start(port, data, cluster, FLOWS);
        long restartMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restart);
        List<ChaosLedger.Run> runs = ledger.runsOf(round);
        problems.addAll(verify(node.client(), runs, "after round " + round));
        problems.addAll(noRunLeftOpen(node.client(), "after round " + round));
        runs.forEach(ChaosLedger.Run::compact);
        System.out.printf("ChaosIT: round %d: %d launchers, killed after %d ms, %d runs, %d events seen, restarted in %d ms%n",
            round, launchers, killAfterMillis, runs.size(), runs.stream().mapToLong(ChaosLedger.Run::seenCount).sum(), restartMillis);
        assertThat(problems).as("what the node lost or left open" + replay).isEmpty();
      }
      problems.addAll(verify(node.client(), ledger.runs(), "after all rounds"));
    } finally {
      node.close();
    }
    List<ChaosLedger.Run> all = ledger.runs();
    System.out.printf("ChaosIT: %d rounds, %d runs (%d accepted lock answers, %d accepted kills), %d stored events and %d seen"
            + " events checked, %d s%n", rounds, all.size(), all.stream().mapToLong(r -> r.acceptedCids.size()).sum(),
        all.stream().filter(r -> r.killAccepted).count(), eventsChecked, seenChecked,
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    assertThat(problems).as("what the node lost or left open" + replay).isEmpty();
    assertThat(ledger.anomalies()).as("answers a healthy node should not give" + replay).isEmpty();
    assertThat(all).as("runs launched over all rounds").hasSizeGreaterThanOrEqualTo(rounds);
  }

  /** Checks each run against what the clients were told; returns what does not hold. */
  private List<String> verify(NodeClient client, List<ChaosLedger.Run> runs, String when) throws InterruptedException {
    List<String> problems = new ArrayList<>();
    long deadline = System.nanoTime() + END_WITHIN_NANOS;
    for (ChaosLedger.Run run : runs) {
      String what = when + ": run " + run.fid + " (" + run.flow + ", answered 201 in round " + run.round + ")";
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
      problems.addAll(checkLog(what, run, doc, log));
    }
    return problems;
  }

  private List<String> checkLog(String what, ChaosLedger.Run run, RunDocument doc, List<Event> log) {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < log.size(); i++) {
      if (log.get(i).seq() != i + 1) {
        problems.add(what + ": event " + i + " of its log has seq " + log.get(i).seq());
        return problems;
      }
    }
    List<Event> terminal = log.stream().filter(Event::terminal).toList();
    if (terminal.size() != 1 || !log.getLast().terminal()) {
      problems.add(what + ": expected one final, fatal or kill, the last event; its log ends "
          + log.subList(Math.max(0, log.size() - 3), log.size()).stream().map(e -> e.seq() + ":" + e.type()).toList()
          + " and has " + terminal.size() + " terminal events");
      return problems;
    }
    RunState expected = switch (log.getLast().type()) {
      case "final" -> RunState.DONE;
      case "kill" -> RunState.KILLED;
      default -> RunState.ERROR;
    };
    if (doc.state() != expected || doc.events() != log.size()) {
      problems.add(what + ": its document says " + doc.state() + " with " + doc.events() + " events, its log ends with "
          + log.getLast().type() + " at seq " + log.size());
    }
    int seenCount = run.seenCount();
    seenChecked += seenCount;
    if (seenCount > log.size()) {
      problems.add(what + ": a client saw " + seenCount + " events, the node keeps " + log.size());
    } else {
      List<Event> seen = run.seen();
      List<Event> stored = log.subList(0, seenCount);
      if (seen.size() == seenCount ? !seen.equals(stored) : run.seenDigest() != ChaosLedger.digest(stored)) {
        problems.add(what + ": the " + seenCount + " events a client saw differ from the first ones stored" + firstDifference(seen, stored));
      }
    }
    for (String cid : run.acceptedCids) {
      boolean kept = log.stream().anyMatch(e -> e.type().equals("unlock") && e.dataNode().path("cid").asString("").equals(cid));
      if (!kept) {
        problems.add(what + ": the node accepted candidate " + cid + " (200) but its log has no unlock for it");
      }
    }
    if (run.killAccepted && !log.getLast().type().equals("kill")) {
      problems.add(what + ": the node accepted its kill (200) but its log ends with " + log.getLast().type());
    }
    return problems;
  }

  private static String firstDifference(List<Event> seen, List<Event> stored) {
    for (int i = 0; i < Math.min(seen.size(), stored.size()); i++) {
      if (!seen.get(i).equals(stored.get(i))) {
        return "; first at seq " + (i + 1) + ": seen " + seen.get(i).toJson() + ", stored " + stored.get(i).toJson();
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

  /** No run of the node, whether a client heard of it or not, stays pending or locked after a restart. */
  private static List<String> noRunLeftOpen(NodeClient client, String when) throws InterruptedException {
    long deadline = System.nanoTime() + END_WITHIN_NANOS;
    var open = client.runs(Map.of("state", "pending,locked", "pp", "5"));
    while (open.filtered() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(200);
      open = client.runs(Map.of("state", "pending,locked", "pp", "5"));
    }
    return open.filtered() == 0 ? List.of()
        : List.of(when + ": " + open.filtered() + " run(s) still pending or locked 60 s after the restart, e.g. "
            + open.items().stream().map(r -> r.fid() + " " + r.flow() + " " + r.state()).toList());
  }
}
