package dev.kodo.cli;

import dev.kodo.client.Event;
import dev.kodo.client.EventsPage;
import dev.kodo.client.NodeClient;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * What the agentic integration tests share: reading a run's whole log over HTTP, waiting for a
 * state (bounded), the example crews' directory, and a run's agent/task/tool/result/final events as
 * one line each, so that an expected order reads as a list (docs/events.md#catalogue).
 */
final class AgentRuns {
  private AgentRuns() {}

  /**
   * The event types whose order the tests check; {@code lock}/{@code unlock} show the human step.
   */
  static final Set<String> OBSERVED =
      Set.of("agent", "task", "tool", "result", "final", "lock", "unlock");

  /** The repository's {@code examples/crews}, found from the module's directory. */
  static Path exampleCrews() {
    Path root = Path.of("").toAbsolutePath();
    while (root != null && !Files.isDirectory(root.resolve("examples/crews"))) {
      root = root.getParent();
    }
    if (root == null) {
      throw new IllegalStateException("no examples/crews above " + Path.of("").toAbsolutePath());
    }
    return root.resolve("examples/crews");
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Every event of the run, in order. */
  static List<Event> events(NodeClient node, String fid) {
    List<Event> all = new ArrayList<>();
    long after = 0;
    while (true) {
      EventsPage page = node.events(fid, after, 1000);
      all.addAll(page.items());
      if (!page.items().isEmpty()) {
        after = page.items().getLast().seq();
      }
      if (!page.more() || page.items().isEmpty()) {
        return all;
      }
    }
  }

  /** Waits (at most {@code seconds}) until the run's document satisfies {@code done}. */
  static RunDocument await(
      NodeClient node, String fid, String what, int seconds, Predicate<RunDocument> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    RunDocument run = node.run(fid);
    while (!done.test(run)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "run "
                + fid
                + " is "
                + run.state()
                + ", not "
                + what
                + ", after "
                + seconds
                + " s; its log:\n"
                + String.join("\n", events(node, fid).stream().map(Event::toJson).toList()));
      }
      Thread.sleep(25);
      run = node.run(fid);
    }
    return run;
  }

  static RunDocument awaitState(NodeClient node, String fid, RunState state, int seconds)
      throws InterruptedException {
    return await(node, fid, state.toString(), seconds, r -> r.state() == state);
  }

  static RunDocument awaitEnd(NodeClient node, String fid, int seconds)
      throws InterruptedException {
    return await(
        node,
        fid,
        "finished",
        seconds,
        r -> r.state() != RunState.PENDING && r.state() != RunState.LOCKED);
  }

  /**
   * The observed events as lines: {@code task start research}, {@code agent finish writer}, {@code
   * tool calculator researcher}, {@code result}, {@code lock}, {@code final}.
   */
  static List<String> observed(List<Event> log) {
    List<String> out = new ArrayList<>();
    for (Event e : log) {
      if (!OBSERVED.contains(e.type())) {
        continue;
      }
      JsonNode d = e.dataNode();
      out.add(
          switch (e.type()) {
            case "task" -> "task " + d.path("phase").asString() + " " + d.path("task").asString();
            case "agent" ->
                "agent " + d.path("phase").asString() + " " + d.path("agent").asString();
            case "tool" -> "tool " + d.path("tool").asString() + " " + d.path("agent").asString();
            default -> e.type();
          });
    }
    return out;
  }

  /** The data of the events of this type, in order. */
  static List<JsonNode> data(List<Event> log, String type) {
    return log.stream().filter(e -> e.type().equals(type)).map(Event::dataNode).toList();
  }
}
