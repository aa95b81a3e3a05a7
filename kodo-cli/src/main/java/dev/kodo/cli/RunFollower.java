package dev.kodo.cli;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.EventsPage;
import dev.kodo.client.Json;
import dev.kodo.client.KodoException;
import dev.kodo.client.NodeClient;
import dev.kodo.client.NodeException;
import dev.kodo.client.RunDocument;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Follows one run's live stream to its end, printing each event, and turns how it ended into an
 * exit code. A stream that breaks or ends early is resumed after the last event seen (a few times,
 * a second apart, as long as none brings a new event), and events of a finished run that the stream
 * did not deliver are read from its log; a node that does not answer at all fails at once. A {@code
 * lock} event says how to answer it ({@code koco lock FID}).
 */
final class RunFollower {
  /** Attempts in a row that bring no new event before following gives up. */
  private static final int RETRIES = 5;

  private RunFollower() {}

  /**
   * What {@code launch} and {@code restart} do with the run they started: print its fid (with
   * {@code json}, its document), or with {@code follow} say that it was {@code started} and follow
   * its events to the end.
   */
  static int printOrFollow(
      NodeClient node,
      RunDocument run,
      String started,
      boolean follow,
      boolean json,
      PrintWriter out) {
    if (!follow) {
      out.println(json ? Json.write(run) : run.fid());
      return Exit.OK;
    }
    if (!json) {
      out.println(
          "run "
              + run.fid()
              + " of "
              + run.flow()
              + " "
              + started
              + "; following it (Ctrl-C stops following, not the run)");
      out.flush();
    }
    return follow(
        node, run.fid(), 0, new EventRenderer(out, ZoneId.systemDefault(), json, Style.detect()));
  }

  static int follow(NodeClient node, String fid, long after, EventRenderer renderer) {
    return follow(node, fid, after, renderer, Duration.ofSeconds(1));
  }

  static int follow(
      NodeClient node, String fid, long after, EventRenderer anyRenderer, Duration pause) {
    EventRenderer renderer = anyRenderer.withLockHints();
    AtomicLong last = new AtomicLong(after);
    AtomicReference<EventType> terminal = new AtomicReference<>();
    int attempts = 0;
    while (true) {
      long before = last.get();
      try {
        node.stream(
            fid,
            before,
            event -> {
              renderer.print(event);
              last.set(event.seq());
              if (event.terminal()) {
                terminal.set(event.eventType());
              }
            });
      } catch (NodeException e) {
        throw e;
      } catch (KodoException e) {
        if (!e.retryable() || e.getCause() instanceof ConnectException || terminal.get() != null) {
          throw e;
        }
        attempts = last.get() > before ? 1 : attempts + 1;
        if (attempts > RETRIES) {
          throw e;
        }
        pause(pause);
        continue;
      }
      if (terminal.get() != null) {
        return Exit.of(terminal.get());
      }
      RunDocument run = node.run(fid);
      if (run.state().finished()) {
        // The stream may have ended before it delivered the last events: read them from the log.
        EventsPage page;
        do {
          page = node.events(fid, last.get(), 1_000);
          for (Event event : page.items()) {
            renderer.print(event);
            last.set(event.seq());
            if (event.terminal()) {
              return Exit.of(event.eventType());
            }
          }
        } while (page.more() && !page.items().isEmpty());
        return Exit.of(run.state());
      }
      attempts = last.get() > before ? 1 : attempts + 1;
      if (attempts > RETRIES) {
        throw new KodoException(
            "the stream of run "
                + fid
                + " keeps ending before the run does; resume with: koco follow "
                + fid
                + " --after "
                + last.get());
      }
      pause(pause);
    }
  }

  private static void pause(Duration pause) {
    try {
      Thread.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KodoException("interrupted while following a run", e);
    }
  }
}
