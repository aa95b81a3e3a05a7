package dev.kodo.node.runs;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.Fids;
import dev.kodo.client.Json;
import dev.kodo.client.Problem.FieldError;
import dev.kodo.client.RunState;
import dev.kodo.cluster.Cluster;
import dev.kodo.cluster.Control;
import dev.kodo.engine.EventData;
import dev.kodo.node.NodeProperties;
import dev.kodo.store.RunRecord;
import dev.kodo.web.ApiException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The node's side of the lock protocol (docs/events.md#locks): shows a run's open demand, records a
 * client's candidate answer, relays it to the worker that runs the flow, and waits for the flow's
 * verdict ({@code unlock} or {@code unlock-deny}) up to the release timeout. One candidate per run
 * is considered at a time, so of two racing answers exactly one can be accepted.
 */
@Service
public class LockService {
  private final RunService runs;
  private final RunJournal journal;
  private final Cluster cluster;
  private final CallerEvents callerEvents;
  private final Duration releaseTimeout;
  private final Map<String, CompletableFuture<Event>> verdicts = new ConcurrentHashMap<>();
  private final Map<String, String> considering = new ConcurrentHashMap<>();
  private final Map<String, Gate> gates = new ConcurrentHashMap<>();
  private volatile RemoteTail tail;

  /** One candidate at a time per run; counted so the map forgets runs nobody waits on. */
  private static final class Gate {
    final Semaphore permit = new Semaphore(1, true);
    int users;
  }

  /** What the node answers to an accepted candidate. */
  public record Accepted(String fid, String lid, String cid, boolean accepted) {}

  LockService(
      RunService runs,
      RunJournal journal,
      Cluster cluster,
      LiveHub hub,
      CallerEvents callerEvents,
      NodeProperties properties) {
    this.callerEvents = callerEvents;
    this.runs = runs;
    this.journal = journal;
    this.cluster = cluster;
    this.releaseTimeout = properties.getLocks().getReleaseTimeout();
    hub.observe(this::committed);
  }

  /**
   * Follows runs other nodes write while an answer waits for the flow's verdict
   * (docs/architecture.md#two-nodes-one-database).
   */
  @org.springframework.beans.factory.annotation.Autowired(required = false)
  void follow(RemoteTail tail) {
    this.tail = tail;
  }

  /** The open lock's demand: title, Markdown, schema and form hints, and when it expires. */
  public JsonNode demand(String fid, String lid) {
    RunRecord r = runs.record(fid);
    if (r.lockId() == null || !r.lockId().equals(lid)) {
      throw noLock(fid, lid, r);
    }
    ObjectNode d = (ObjectNode) Json.read(r.lock());
    d.put("fid", fid);
    ObjectNode links = d.putObject("links");
    links.put("self", "/api/runs/" + fid + "/locks/" + lid);
    links.put("run", "/api/runs/" + fid);
    return d;
  }

  /**
   * Submits a candidate answer and waits for the flow's verdict.
   *
   * @throws ApiException 404 (no such open lock), 409 (run not locked), 422 (denied, with the
   *     flow's reasons), 504 (the flow did not answer within the release timeout)
   */
  public Accepted submit(String fid, String lid, Map<String, Object> values) {
    return submit(runs.record(fid), lid, values);
  }

  /**
   * As {@link #submit(String, String, Map)}, for a caller that has just read the run ({@code seen},
   * e.g. to check who may answer): its first check uses that record instead of reading it again;
   * the check that counts, once the answer's turn has come, reads the run afresh.
   */
  public Accepted submit(RunRecord seen, String lid, Map<String, Object> values) {
    String fid = seen.fid();
    checkLocked(seen, lid);
    Gate gate =
        gates.compute(
            fid,
            (k, g) -> {
              Gate x = g == null ? new Gate() : g;
              x.users++;
              return x;
            });
    try {
      if (!gate.permit.tryAcquire(releaseTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new ApiException(
            HttpStatus.GATEWAY_TIMEOUT,
            "No verdict in time",
            "another answer to lock "
                + lid
                + " of run "
                + fid
                + " was still being considered after "
                + releaseTimeout,
            null);
      }
      RemoteTail t = tail;
      try (RemoteTail.Following f = t == null ? RemoteTail.Following.NONE : t.follow(fid)) {
        check(runs.record(fid), lid);
        return consider(fid, lid, values == null ? Map.of() : values);
      } finally {
        gate.permit.release();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE, "Interrupted", "the node is shutting down", null);
    } finally {
      gates.compute(fid, (k, g) -> g == null || --g.users == 0 ? null : g);
    }
  }

  /**
   * The check that counts, under the run's gate: the run is locked at {@code lid} and its worker is
   * still in the cluster.
   */
  private void check(RunRecord r, String lid) {
    checkLocked(r, lid);
    String fid = r.fid();
    String worker = cluster.assignee(fid);
    int at = worker == null ? -1 : worker.lastIndexOf('@');
    if (at >= 0 && !cluster.memberAlive(worker.substring(at + 1))) {
      throw workerGone(fid, lid, "its worker " + worker + " has left the cluster");
    }
  }

  /**
   * The run is locked at {@code lid}. Before the gate only this is checked: the worker's presence
   * is a cluster read, made once per answer, under the gate (docs/performance.md#lock-release).
   */
  private static void checkLocked(RunRecord r, String lid) {
    String fid = r.fid();
    if (r.state() == RunState.ERROR && r.error() != null && r.error().contains("\"worker-lost\"")) {
      throw workerGone(fid, lid, "it ended (fatal: worker-lost)");
    }
    if (r.state() != RunState.LOCKED) {
      throw ApiException.conflict("run " + fid + " is " + r.state() + ", not locked");
    }
    if (!lid.equals(r.lockId())) {
      throw noLock(fid, lid, r);
    }
  }

  /**
   * 409 for an answer to a run whose worker is gone (docs/http-api.md#locks): nobody would consider
   * it.
   */
  private static ApiException workerGone(String fid, String lid, String why) {
    return new ApiException(
        HttpStatus.CONFLICT,
        "Worker gone",
        "run "
            + fid
            + " lost the worker executing it: "
            + why
            + ", so no flow can consider an answer to lock "
            + lid
            + ". Restart the run (POST /api/runs/"
            + fid
            + "/restart) to try again",
        null);
  }

  private Accepted consider(String fid, String lid, Map<String, Object> values)
      throws InterruptedException {
    String cid = Fids.next().substring(24);
    String data = Json.write(values);
    CompletableFuture<Event> verdict = new CompletableFuture<>();
    verdicts.put(cid, verdict);
    considering.put(fid, cid);
    try {
      callerEvents.take(fid);
      CompletableFuture<Event> candidate;
      try {
        candidate =
            journal.appendWhileRunning(
                fid, EventType.CANDIDATE, EventData.candidate(lid, cid, data));
      } catch (RunJournal.RunEndedException e) {
        callerEvents.refund(fid);
        throw ApiException.conflict("run " + fid + " has ended; its lock " + lid + " is closed");
      } catch (RuntimeException e) {
        callerEvents.refund(fid);
        throw e;
      }
      candidate.whenComplete(
          (written, failed) -> {
            if (failed != null) callerEvents.refund(fid);
          });
      // The flow considers the candidate while it is being written: its verdict is appended to
      // the same run after it, so by the time the verdict is durable (what this answer waits for)
      // the candidate is too; a candidate the store fails to write ends the run, whose end then
      // answers instead (docs/events.md#locks).
      cluster.control(new Control.Candidate(fid, lid, cid, data));
      Event answer;
      try {
        answer = verdict.get(releaseTimeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        cluster.control(new Control.Withdraw(fid, cid));
        try {
          RunService.join(
              journal.appendWhileRunning(
                  fid, EventType.UNLOCK_TIMEOUT, EventData.lockAnswer(lid, cid)));
        } catch (RunJournal.RunEndedException ended) {
          // The run ended meanwhile; the timeout is moot.
        }
        throw new ApiException(
            HttpStatus.GATEWAY_TIMEOUT,
            "No verdict in time",
            "the flow of run "
                + fid
                + " did not answer candidate "
                + cid
                + " for lock "
                + lid
                + " within "
                + releaseTimeout
                + "; the lock stays open",
            null);
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
      // done by now (the verdict came after it); surfaces a candidate the store did not write
      runs.appendTo(fid, () -> candidate);
      return switch (answer.type()) {
        case "unlock" -> new Accepted(fid, lid, cid, true);
        case "unlock-deny" -> throw denied(fid, lid, cid, answer);
        default ->
            throw ApiException.conflict(
                "run "
                    + fid
                    + " ended ("
                    + answer.type()
                    + ") while the flow considered the answer");
      };
    } finally {
      verdicts.remove(cid);
      considering.remove(fid, cid);
    }
  }

  private static ApiException denied(String fid, String lid, String cid, Event answer) {
    List<FieldError> errors = new ArrayList<>();
    for (JsonNode e : answer.dataNode().path("errors")) {
      errors.add(new FieldError(e.path("field").asString(""), e.path("message").asString("")));
    }
    return new ApiException(
        HttpStatus.UNPROCESSABLE_CONTENT,
        "Answer denied",
        "the flow denied the answer to lock " + lid + " of run " + fid + "; the lock stays open",
        errors);
  }

  private static ApiException noLock(String fid, String lid, RunRecord r) {
    return new ApiException(
        HttpStatus.NOT_FOUND,
        "Lock not found",
        r.lockId() == null
            ? "run " + fid + " has no open lock (it is " + r.state() + ")"
            : "lock "
                + lid
                + " is not open on run "
                + fid
                + " (the open lock is "
                + r.lockId()
                + ")",
        null);
  }

  /** Sees every persisted event: completes the verdict a submit waits for. */
  private void committed(List<Event> events) {
    if (verdicts.isEmpty()) return;
    for (Event e : events) {
      switch (e.type()) {
        case "unlock", "unlock-deny" -> {
          CompletableFuture<Event> v = verdicts.get(e.dataNode().path("cid").asString(""));
          if (v != null) v.complete(e);
        }
        case "final", "fatal", "kill" -> {
          String cid = considering.get(e.fid());
          CompletableFuture<Event> v = cid == null ? null : verdicts.get(cid);
          if (v != null) v.complete(e);
        }
        default -> {}
      }
    }
  }
}
