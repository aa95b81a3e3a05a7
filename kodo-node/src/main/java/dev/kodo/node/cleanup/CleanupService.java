package dev.kodo.node.cleanup;

import dev.kodo.client.RunState;
import dev.kodo.node.NodeProperties;
import dev.kodo.node.runs.RunService;
import dev.kodo.store.EventStore;
import dev.kodo.store.RunQuery;
import dev.kodo.store.RunRecord;
import dev.kodo.web.ApiException;
import dev.kodo.web.Periodic;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;

/**
 * Housekeeping: removes finished runs past their retention — acknowledged runs after {@code
 * kodo.cleanup.acknowledged-after}, any finished run after {@code kodo.cleanup.finished-after} — on
 * request and every {@code kodo.cleanup.interval}. Runs that have not finished are never touched.
 */
@Service
public class CleanupService implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(CleanupService.class);
  private static final Set<RunState> FINISHED =
      Set.of(RunState.DONE, RunState.ERROR, RunState.KILLED);
  private static final int PAGE = 1_000;

  private final EventStore store;
  private final RunService runs;
  private final NodeProperties.Cleanup settings;
  private final Clock clock;
  private Periodic timer;

  /** One run that is (or would be) removed, and why. */
  public record Candidate(
      String fid,
      String flow,
      RunState state,
      Instant finished,
      boolean acknowledged,
      String reason) {}

  /** What a cleanup found or did. */
  public record Report(
      boolean removed,
      Duration acknowledgedAfter,
      Duration finishedAfter,
      int count,
      List<Candidate> items) {
    Report with(List<Candidate> found) {
      return new Report(removed, acknowledgedAfter, finishedAfter, found.size(), found);
    }
  }

  CleanupService(EventStore store, RunService runs, NodeProperties properties, Clock clock) {
    this.store = store;
    this.runs = runs;
    this.settings = properties.getCleanup();
    this.clock = clock;
  }

  /** What a cleanup would remove now, without removing it. */
  public Report preview() {
    return new Report(
            false, settings.getAcknowledgedAfter(), settings.getFinishedAfter(), 0, List.of())
        .with(due());
  }

  /** Removes every run that is due, and tells which. */
  public synchronized Report clean() {
    List<Candidate> removed = new ArrayList<>();
    for (Candidate c : due()) {
      try {
        runs.delete(c.fid());
        removed.add(c);
      } catch (ApiException gone) {
        // deleted by someone else meanwhile, or no longer finished (it cannot be): skip it
      }
    }
    if (!removed.isEmpty()) {
      log.info("cleanup removed {} finished run(s)", removed.size());
    }
    return new Report(
            true, settings.getAcknowledgedAfter(), settings.getFinishedAfter(), 0, List.of())
        .with(removed);
  }

  private List<Candidate> due() {
    Instant now = clock.instant();
    Map<String, Candidate> due = new LinkedHashMap<>();
    collect(
        due,
        new RunQueryFor(now.minus(settings.getAcknowledgedAfter()), true),
        "acknowledged, and finished more than " + human(settings.getAcknowledgedAfter()) + " ago");
    collect(
        due,
        new RunQueryFor(now.minus(settings.getFinishedAfter()), null),
        "finished more than " + human(settings.getFinishedAfter()) + " ago");
    return new ArrayList<>(due.values());
  }

  /** A retention as people say it: "7 days", "36 hours", "90 seconds". */
  static String human(Duration d) {
    long s = d.toSeconds();
    if (s != 0 && s % 86_400 == 0) return plural(s / 86_400, "day");
    if (s != 0 && s % 3_600 == 0) return plural(s / 3_600, "hour");
    if (s != 0 && s % 60 == 0) return plural(s / 60, "minute");
    return plural(s, "second");
  }

  private static String plural(long n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s");
  }

  private record RunQueryFor(Instant finishedBefore, Boolean acknowledged) {}

  private void collect(Map<String, Candidate> into, RunQueryFor q, String reason) {
    for (int page = 0; ; page++) {
      var found =
          store.runs(
              new RunQuery(
                  FINISHED,
                  null,
                  null,
                  null,
                  List.of(new RunQuery.Sort(RunQuery.SortField.FINISHED, false)),
                  page,
                  PAGE,
                  q.finishedBefore(),
                  q.acknowledged()));
      for (RunRecord r : found.items()) {
        into.putIfAbsent(
            r.fid(),
            new Candidate(r.fid(), r.flow(), r.state(), r.finished(), r.acknowledged(), reason));
      }
      if (found.items().size() < PAGE) {
        return;
      }
    }
  }

  @Override
  public void start() {
    Duration every = settings.getInterval();
    if (every == null || every.isZero() || every.isNegative()) {
      return;
    }
    timer = Periodic.every("kodo-cleanup", every, this::clean);
  }

  @Override
  public void stop() {
    if (timer != null) {
      timer.close();
      timer = null;
    }
  }

  @Override
  public boolean isRunning() {
    return timer != null;
  }
}
