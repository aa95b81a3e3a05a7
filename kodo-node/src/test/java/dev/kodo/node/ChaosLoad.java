package dev.kodo.node;

import dev.kodo.client.Event;
import dev.kodo.client.NodeClient;
import dev.kodo.client.NodeException;
import dev.kodo.client.RunDocument;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * One round of {@link ChaosIT}'s load on a node: launchers start runs of a seeded mix of flows with
 * little pause, every run's live stream is followed from its first event, open locks are answered
 * (approved, rejected, first denied then approved, or left open), some runs are killed midway and
 * some are restarted once they end (a new run, 201, with the same inputs). Whatever the node
 * acknowledges goes into the {@link ChaosLedger}, and so does any answer a healthy node should not
 * give. Each run's choices come from a Random derived from the seed, the round, the launcher and
 * the launch's number, so a seed replays the same runs (thread timing still varies). Thread-safe;
 * started once, {@linkplain #nodeKilled() told} before the node is killed, then {@linkplain #stop()
 * stopped}.
 */
final class ChaosLoad {
  private static final int MAX_LAUNCHES_PER_LAUNCHER = 2_000;

  private final NodeClient client;
  private final ChaosLedger ledger;
  private final long seed;
  private final int round;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private volatile boolean nodeKilled;

  /** How a lock of a run is answered. */
  private enum Answer {
    APPROVE,
    REJECT,
    DENY_THEN_APPROVE,
    LEAVE_OPEN,
    KILL
  }

  /**
   * What one run does: its flow and inputs, how its locks are answered, after which seq it is
   * killed (0: never), and whether it is restarted (a new run with the same inputs) once it ends.
   */
  private record Plan(
      String flow, Map<String, Object> inputs, Answer answer, long killAfter, boolean restart) {

    static Plan draw(Random rng, String label) {
      int pick = rng.nextInt(100);
      boolean restart = rng.nextInt(10) == 0;
      Map<String, Object> inputs = new LinkedHashMap<>();
      if (pick < 40) {
        inputs.put("topic", label);
        inputs.put("steps", 1 + rng.nextInt(8));
        int pause = new int[] {0, 0, 20, 100, 400}[rng.nextInt(5)];
        inputs.put("pause", pause);
        long killAfter = pause >= 100 && rng.nextInt(4) == 0 ? 4 + rng.nextInt(6) : 0;
        return new Plan(
            "dev.kodo.examples.ResearchSteps", inputs, Answer.APPROVE, killAfter, restart);
      } else if (pick < 70) {
        inputs.put("goal", label);
        return new Plan(
            "dev.kodo.examples.PlanApproval",
            inputs,
            Answer.values()[rng.nextInt(Answer.values().length)],
            0,
            restart);
      } else if (pick < 88) {
        inputs.put("count", 20 + rng.nextInt(1_000));
        long killAfter = rng.nextInt(5) == 0 ? 10 + rng.nextInt(300) : 0;
        return new Plan(
            "dev.kodo.node.testflows.Burst", inputs, Answer.APPROVE, killAfter, restart);
      } else {
        inputs.put("millis", 100 + rng.nextInt(1_500));
        return new Plan(
            "dev.kodo.node.testflows.ShortLock",
            inputs,
            rng.nextBoolean() ? Answer.APPROVE : Answer.LEAVE_OPEN,
            0,
            restart);
      }
    }
  }

  ChaosLoad(NodeClient client, ChaosLedger ledger, long seed, int round) {
    this.client = client;
    this.ledger = ledger;
    this.seed = seed;
    this.round = round;
  }

  /** Starts {@code launchers} launchers; returns at once. */
  void start(int launchers) {
    for (int i = 0; i < launchers; i++) {
      int launcher = i;
      threads.submit(() -> launch(launcher));
    }
  }

  /** The node is about to be killed: from now on a failed call is expected, not an anomaly. */
  void nodeKilled() {
    nodeKilled = true;
  }

  /**
   * Stops every load thread (they all fail fast once the node is gone); fails if one does not end
   * within 30 s.
   */
  void stop() throws InterruptedException {
    threads.shutdownNow();
    if (!threads.awaitTermination(30, TimeUnit.SECONDS)) {
      throw new AssertionError(
          "the chaos load of round " + round + " did not stop within 30 s of the node's kill");
    }
  }

  private void launch(int launcher) {
    for (int n = 0;
        n < MAX_LAUNCHES_PER_LAUNCHER && !nodeKilled && !Thread.currentThread().isInterrupted();
        n++) {
      Random rng = new Random(mix(seed, round, launcher, n));
      Plan plan = Plan.draw(rng, "chaos r" + round + " l" + launcher + " #" + n);
      RunDocument launched;
      try {
        launched = client.launch(plan.flow(), plan.inputs());
      } catch (RuntimeException e) {
        failed("launch of " + plan.flow() + " " + plan.inputs(), e, Set.of());
        continue;
      }
      ChaosLedger.Run run = ledger.launched(launched.fid(), plan.flow(), round);
      if (!spawn(() -> follow(run, plan))) return;
      try {
        // A little think time keeps the runs of a round (all checked after it) in the hundreds on a
        // 2-core machine.
        Thread.sleep(rng.nextInt(30));
      } catch (InterruptedException stopped) {
        return;
      }
    }
  }

  private void follow(ChaosLedger.Run run, Plan plan) {
    long[] last = {0};
    boolean[] ended = {false};
    try {
      client.stream(
          run.fid,
          0,
          e -> {
            if (e.seq() != last[0] + 1) {
              ledger.anomaly(
                  "the stream of run " + run.fid + " went from seq " + last[0] + " to " + e.seq());
            }
            last[0] = e.seq();
            ended[0] = e.terminal();
            run.saw(e);
            react(run, plan, e);
          });
      if (!ended[0] && !nodeKilled) {
        ledger.anomaly(
            "round "
                + round
                + ": the stream of run "
                + run.fid
                + " ended after seq "
                + last[0]
                + " without a final, fatal or kill");
      }
    } catch (RuntimeException e) {
      failed("stream of run " + run.fid + " after seq " + last[0], e, Set.of());
    }
  }

  private void react(ChaosLedger.Run run, Plan plan, Event e) {
    if (plan.killAfter() > 0 && e.seq() == plan.killAfter()) {
      spawn(() -> kill(run));
    }
    if (plan.restart() && e.terminal()) {
      spawn(() -> restart(run, plan));
    }
    if (e.type().equals("lock")) {
      String lid = e.dataNode().path("lid").asString();
      switch (plan.answer()) {
        case APPROVE -> spawn(() -> answer(run, lid, approval(plan), Set.of()));
        case REJECT ->
            spawn(() -> answer(run, lid, Map.of("approve", false, "comment", "not now"), Set.of()));
        case DENY_THEN_APPROVE ->
            spawn(
                () -> {
                  if (!answer(run, lid, Map.of("approve", false), Set.of(422))) {
                    answer(run, lid, approval(plan), Set.of());
                  }
                });
        case KILL -> spawn(() -> kill(run));
        case LEAVE_OPEN -> {}
      }
    }
  }

  private static Map<String, Object> approval(Plan plan) {
    return plan.flow().endsWith("PlanApproval")
        ? Map.of("approve", true, "comment", "go")
        : Map.of("ok", true);
  }

  /** Posts a candidate; returns whether the node accepted it. */
  private boolean answer(
      ChaosLedger.Run run, String lid, Map<String, ?> values, Set<Integer> expected) {
    // A ShortLock's lock may time out before the answer arrives: then the lock is gone (404) or the
    // run has ended (409).
    Set<Integer> ok = run.flow.endsWith("ShortLock") ? union(expected, Set.of(404, 409)) : expected;
    try {
      JsonNode accepted = client.answer(run.fid, lid, values);
      run.acceptedCids.add(accepted.path("cid").asString());
      return true;
    } catch (RuntimeException e) {
      failed("answer " + values + " to lock " + lid + " of run " + run.fid, e, ok);
      return false;
    }
  }

  /**
   * Restarts an ended run; the new run (201) is followed like a launched one, with the same plan
   * but no restart of its own.
   */
  private void restart(ChaosLedger.Run run, Plan plan) {
    RunDocument restarted;
    try {
      restarted = client.restart(run.fid);
    } catch (RuntimeException e) {
      failed("restart of run " + run.fid, e, Set.of());
      return;
    }
    ChaosLedger.Run again = ledger.restarted(restarted.fid(), plan.flow(), round);
    Plan once = new Plan(plan.flow(), plan.inputs(), plan.answer(), plan.killAfter(), false);
    spawn(() -> follow(again, once));
  }

  private void kill(ChaosLedger.Run run) {
    try {
      client.kill(run.fid);
      run.killAccepted = true;
    } catch (RuntimeException e) {
      failed("kill of run " + run.fid, e, Set.of(409));
    }
  }

  /**
   * Records a failed call as an anomaly unless the node was being killed or the node's answer was
   * one of {@code expected}.
   */
  private void failed(String what, RuntimeException e, Set<Integer> expected) {
    if (nodeKilled) return;
    if (e instanceof NodeException ne && expected.contains(ne.status())) return;
    if (e instanceof NodeException ne && (ne.status() == 429 || ne.status() == 503)) {
      // A cap or an overloaded node says so honestly; nothing was acknowledged, so nothing can be
      // lost.
      ledger.refused();
      return;
    }
    String status = e instanceof NodeException ne ? "answered " + ne.status() : "failed";
    ledger.anomaly(
        "round "
            + round
            + ": "
            + what
            + " "
            + status
            + " while the node was up: "
            + e.getMessage());
  }

  private boolean spawn(Runnable task) {
    try {
      threads.submit(task);
      return true;
    } catch (RejectedExecutionException stopped) {
      return false;
    }
  }

  private static Set<Integer> union(Set<Integer> a, Set<Integer> b) {
    Set<Integer> u = new HashSet<>(a);
    u.addAll(b);
    return u;
  }

  /** A well-mixed seed for one launch (SplitMix64's finaliser over the four numbers). */
  static long mix(long seed, int round, int launcher, int n) {
    long z = seed + 0x9E3779B97F4A7C15L * (1 + round * 1_000_003L + launcher * 65_537L + n);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
