package dev.kodo.node.runs;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.Fids;
import dev.kodo.client.Json;
import dev.kodo.client.KodoException;
import dev.kodo.cluster.Cluster;
import dev.kodo.store.NoSuchRunException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Carries an append the node itself makes (a kill, an acknowledgement, a lock's candidate…) to the
 * node that writes the run, when that is another node of the cluster: each run has one writer at a
 * time, so another node may not give out its seqs (docs/architecture.md#two-nodes-one-database).
 * Requests and replies travel as node messages ({@link Cluster#nodeMessage}); a request the writer
 * does not answer within {@link #TIMEOUT_MILLIS} fails as retryable (503 with Retry-After).
 */
@Component
final class WriterLink {
  private static final Logger log = LoggerFactory.getLogger(WriterLink.class);

  /** How long an append waits for the writing node's answer. */
  static final long TIMEOUT_MILLIS = 10_000;

  /** The most requests served at once; more wait for one to finish. */
  private static final int MAX_SERVING = 256;

  /** Appends to a run this node writes, as the journal does for its own callers. */
  interface Appender {
    CompletableFuture<Event> append(String fid, EventType type, String data, boolean whileRunning);
  }

  private final Cluster cluster;
  private final String self;
  private final Map<String, CompletableFuture<Event>> waiting = new ConcurrentHashMap<>();
  private final Semaphore serving = new Semaphore(MAX_SERVING);
  private volatile Appender appender;

  WriterLink(Cluster cluster, NodeIncarnation self) {
    this.cluster = cluster;
    this.self = self.id();
    cluster.onNodeMessage(this::received);
  }

  /** This node's incarnation id: the writer it records. */
  String self() {
    return self;
  }

  /** Serves the other nodes' appends to the runs this node writes with {@code appender}. */
  void serve(Appender appender) {
    this.appender = appender;
  }

  /**
   * Whether {@code writer} is a live node of the cluster; a run whose writer is not is being taken
   * over (or was left by a node that has not come back yet).
   */
  boolean alive(String writer) {
    return cluster.liveNodes().contains(writer);
  }

  /** Asks {@code writer} to append the event; completes with the event as stored. */
  CompletableFuture<Event> append(
      String writer, String fid, EventType type, String data, boolean whileRunning) {
    if (!alive(writer)) {
      return CompletableFuture.failedFuture(
          KodoException.retryable(
              "run "
                  + fid
                  + " is written by node "
                  + NodeIncarnation.nameOf(writer)
                  + ", which has left the cluster; another node takes it over in a moment, try again",
              null));
    }
    String id = Fids.next();
    CompletableFuture<Event> answer = new CompletableFuture<>();
    waiting.put(id, answer);
    ObjectNode m = Json.object();
    m.put("k", "append");
    m.put("id", id);
    m.put("to", writer);
    m.put("from", self);
    m.put("fid", fid);
    m.put("type", type.type());
    m.put("data", data);
    m.put("running", whileRunning);
    try {
      cluster.nodeMessage(Json.write(m));
    } catch (RuntimeException e) {
      waiting.remove(id);
      return CompletableFuture.failedFuture(
          KodoException.retryable("could not reach the node writing run " + fid, e));
    }
    return answer
        .orTimeout(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
        .handle(
            (event, error) -> {
              waiting.remove(id);
              if (error == null) {
                return event;
              }
              Throwable cause = error instanceof CompletionException c ? c.getCause() : error;
              if (cause instanceof TimeoutException) {
                throw KodoException.retryable(
                    "node "
                        + NodeIncarnation.nameOf(writer)
                        + ", which writes run "
                        + fid
                        + ", did not answer within "
                        + TIMEOUT_MILLIS / 1000
                        + " s; try again",
                    null);
              }
              throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
            });
  }

  private void received(String message) {
    JsonNode m = Json.read(message);
    if (!self.equals(m.path("to").asString(""))) {
      return;
    }
    switch (m.path("k").asString("")) {
      case "append" -> Thread.ofVirtual().name("kodo-writer-link").start(() -> serve(m));
      case "reply" -> replied(m);
      default -> log.debug("ignored a node message of kind {}", m.path("k").asString(""));
    }
  }

  private void serve(JsonNode m) {
    String fid = m.path("fid").asString("");
    ObjectNode reply = Json.object();
    reply.put("k", "reply");
    reply.put("id", m.path("id").asString(""));
    reply.put("to", m.path("from").asString(""));
    reply.put("fid", fid);
    try {
      serving.acquire();
      try {
        Appender a = appender;
        if (a == null) {
          throw KodoException.retryable("node " + self + " is starting", null);
        }
        Event event =
            a.append(
                    fid,
                    EventType.require(m.path("type").asString("")),
                    m.path("data").asString("{}"),
                    m.path("running").asBoolean(false))
                .join();
        reply.put("event", Json.write(event));
      } finally {
        serving.release();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reply.put("error", "retry");
      reply.put("message", "node " + self + " is stopping");
    } catch (RuntimeException e) {
      Throwable cause =
          e instanceof CompletionException c && c.getCause() != null ? c.getCause() : e;
      switch (cause) {
        case RunJournal.RunEndedException x -> reply.put("error", "ended");
        case NoSuchRunException x -> reply.put("error", "gone");
        case KodoException k when k.retryable() -> reply.put("error", "retry");
        default -> reply.put("error", "failed");
      }
      reply.put("message", cause.getMessage());
    }
    try {
      cluster.nodeMessage(Json.write(reply));
    } catch (RuntimeException e) {
      log.warn("could not answer an append to run {}: {}", fid, e.toString());
    }
  }

  private void replied(JsonNode m) {
    CompletableFuture<Event> answer = waiting.get(m.path("id").asString(""));
    if (answer == null) {
      return; // timed out meanwhile
    }
    String error = m.path("error").asString(null);
    String message = m.path("message").asString("");
    if (error == null) {
      answer.complete(Json.read(m.path("event").asString(), Event.class));
      return;
    }
    String fid = m.path("fid").asString("");
    answer.completeExceptionally(
        switch (error) {
          case "ended" -> new RunJournal.RunEndedException(fid);
          case "gone" -> new NoSuchRunException(fid, message);
          case "retry" -> KodoException.retryable(message, null);
          default -> new KodoException(message);
        });
  }
}
