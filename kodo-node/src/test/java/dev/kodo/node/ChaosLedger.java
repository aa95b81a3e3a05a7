package dev.kodo.node;

import dev.kodo.client.Event;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/**
 * What a node told the clients of {@link ChaosIT}: every run it answered 201 for, the events their
 * streams showed, the lock answers and kills it accepted, and any answer it should never have
 * given. The load threads write it while the node runs; the test reads it between rounds.
 * Thread-safe.
 */
final class ChaosLedger {
  private final Map<String, Run> runs = new ConcurrentHashMap<>();
  private final Queue<String> anomalies = new ConcurrentLinkedQueue<>();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong restarts = new AtomicLong();

  /**
   * One run the node answered 201 for: what was launched, and what the node said about it since.
   */
  static final class Run {
    final String fid;
    final String flow;
    final int round;
    final Set<String> acceptedCids = ConcurrentHashMap.newKeySet();
    volatile boolean killAccepted;
    // The events the client saw, in stream order (seq 1, 2, …); once checked, only their count and
    // digest are kept.
    private List<Event> seen = new ArrayList<>();
    private int seenCount;
    private long seenDigest;

    Run(String fid, String flow, int round) {
      this.fid = fid;
      this.flow = flow;
      this.round = round;
    }

    synchronized void saw(Event e) {
      seen.add(e);
      seenCount++;
    }

    /** The events seen so far; empty once {@link #compact() compacted}. */
    synchronized List<Event> seen() {
      return seen == null ? List.of() : List.copyOf(seen);
    }

    synchronized int seenCount() {
      return seenCount;
    }

    /**
     * Forgets the seen events but their count and digest, to check them again later at little
     * memory.
     */
    synchronized void compact() {
      if (seen != null) {
        seenDigest = digest(seen);
        seen = null;
      }
    }

    synchronized long seenDigest() {
      return seen == null ? seenDigest : digest(seen);
    }
  }

  /**
   * A digest of events as the API shows them (seq, ts, type, data): equal events give equal
   * digests.
   */
  static long digest(List<Event> events) {
    CRC32 crc = new CRC32();
    for (Event e : events) {
      crc.update(e.toJson().getBytes(StandardCharsets.UTF_8));
      crc.update('\n');
    }
    return crc.getValue();
  }

  Run launched(String fid, String flow, int round) {
    Run run = new Run(fid, flow, round);
    if (runs.putIfAbsent(fid, run) != null) {
      anomaly("the node answered 201 twice with fid " + fid);
    }
    return run;
  }

  /** A run answered 201 to a restart of another: recorded like a launch, counted apart. */
  Run restarted(String fid, String flow, int round) {
    restarts.incrementAndGet();
    return launched(fid, flow, round);
  }

  long restartCount() {
    return restarts.get();
  }

  List<Run> runs() {
    return List.copyOf(runs.values());
  }

  List<Run> runsOf(int round) {
    return runs.values().stream().filter(r -> r.round == round).toList();
  }

  /** Records an answer the node should never have given (a 500, a refused valid launch…). */
  void anomaly(String what) {
    anomalies.add(what);
  }

  /**
   * Counts a call the node refused with 429 or 503 (a cap reached, overloaded): honest, and nothing
   * acknowledged.
   */
  void refused() {
    refused.incrementAndGet();
  }

  long refusedCount() {
    return refused.get();
  }

  List<String> anomalies() {
    return List.copyOf(anomalies);
  }
}
