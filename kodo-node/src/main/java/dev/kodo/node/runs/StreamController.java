package dev.kodo.node.runs;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.Level;
import dev.kodo.client.access.Caller;
import dev.kodo.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The live stream of a run as server-sent events: {@code id} is the seq, {@code event} the type,
 * {@code data} the event JSON. It replays what the store holds after {@code Last-Event-ID} (or
 * {@code ?after=}), then follows live events, and ends after {@code final}, {@code fatal} or {@code
 * kill}. The request holds a virtual thread for its whole life, which costs a few KB. It reads runs
 * through {@link RunService} only. Stateless (each request keeps its own cursor).
 */
@RestController
class StreamController {
  private static final long KEEPALIVE_MILLIS = 15_000;
  // How often a quiet stream looks whether its run was deleted.
  private static final long POLL_MILLIS = 1_000;
  private static final int PAGE = 1_000;

  private final RunService runs;
  private final LiveHub hub;
  private final NodeAccess access;
  private final RemoteTail tail;

  StreamController(RunService runs, LiveHub hub, NodeAccess access, RemoteTail tail) {
    this.tail = tail;
    this.runs = runs;
    this.hub = hub;
    this.access = access;
  }

  /**
   * Who follows the stream and at which level: events above it are skipped (their seq still
   * advances the cursor); a {@code share} of the run and every keep-alive weigh the caller's access
   * again, so a revoked share or grant closes the stream (docs/security.md#node-who-sees-what).
   */
  private final class Viewer {
    final Caller caller;
    final String fid;
    Level level;

    Viewer(Caller caller, String fid, Level level) {
      this.caller = caller;
      this.fid = fid;
      this.level = level;
    }

    /** Weighs the caller's access again; false once it may no longer see the run. */
    boolean recheck() {
      var now = access.level(caller, fid);
      if (now.isEmpty()) return false;
      level = now.get();
      return true;
    }
  }

  @Operation(summary = "Follow a run live (text/event-stream)")
  @GetMapping(
      value = "/api/runs/{fid}/stream",
      produces = {"text/event-stream", "application/json", "application/problem+json"})
  void stream(
      @PathVariable String fid,
      @RequestHeader(value = "Last-Event-ID", required = false) String lastEventId,
      @RequestParam(value = "after", required = false) String after,
      HttpServletRequest request,
      HttpServletResponse response)
      throws IOException {
    long from =
        position(
            lastEventId != null ? "Last-Event-ID" : "after",
            lastEventId != null ? lastEventId : after);
    Caller caller = access.caller();
    Viewer viewer = new Viewer(caller, fid, access.view(caller, fid).level());
    boolean head = "HEAD".equals(request.getMethod());
    // Subscribed before the answer starts, so that a refusal (too many streams) can still be a 429.
    Subscription subscription = head ? null : hub.subscribe(fid);
    // A run another node writes reaches this node's hub through the shared database.
    RemoteTail.Following following;
    try {
      following = head ? RemoteTail.Following.NONE : tail.follow(fid);
    } catch (RuntimeException e) {
      if (subscription != null) subscription.close();
      throw e;
    }
    response.setStatus(200);
    response.setContentType("text/event-stream");
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Cache-Control", "no-cache");
    response.setHeader("X-Accel-Buffering", "no");
    if (head) {
      return; // the headers say it all; following the run would hold the request until it ends
    }
    try (Subscription live = subscription;
        RemoteTail.Following f = following) {
      ServletOutputStream out = response.getOutputStream();
      out.write(("retry: 2000\n\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      Cursor cursor = new Cursor(from == Long.MAX_VALUE ? from : from + 1);
      if (replay(viewer, cursor, out)) return;
      if (runs.endedOrGone(fid)) {
        // The run has ended (or was deleted meanwhile): what it wrote after the first replay is in
        // the store now,
        // and nothing more will come.
        replay(viewer, cursor, out);
        return;
      }
      long quietSince = System.nanoTime();
      while (!live.gone()) {
        List<LiveEvent> events = live.poll(POLL_MILLIS);
        if (live.lagged()) {
          if (replay(viewer, cursor, out)) return;
          continue;
        }
        if (events.isEmpty()) {
          if (System.nanoTime() - quietSince > KEEPALIVE_MILLIS * 1_000_000L) {
            if (!viewer.recheck()) return;
            out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            quietSince = System.nanoTime();
          }
          continue;
        }
        quietSince = System.nanoTime();
        for (LiveEvent le : events) {
          Event e = le.event;
          if (e.seq() < cursor.next) continue;
          if (e.seq() > cursor.next) {
            // A commit overtook an earlier one on its way here: the store has everything up to e.
            if (replay(viewer, cursor, out)) return;
            if (e.seq() < cursor.next) continue;
          }
          boolean gone = !write(viewer, out, e, le);
          cursor.next = e.seq() + 1;
          if (gone) {
            out.flush();
            return;
          }
          if (e.terminal()) {
            out.flush();
            return;
          }
        }
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final class Cursor {
    long next;

    Cursor(long next) {
      this.next = next;
    }
  }

  /**
   * Writes what the store holds from the cursor on; returns true once a terminal event was written.
   */
  private boolean replay(Viewer viewer, Cursor cursor, ServletOutputStream out) throws IOException {
    while (true) {
      List<Event> page = runs.eventsAfter(viewer.fid, cursor.next - 1, PAGE);
      for (Event e : page) {
        boolean gone = !write(viewer, out, e, null);
        cursor.next = e.seq() + 1;
        if (gone || e.terminal()) {
          out.flush();
          return true;
        }
      }
      out.flush();
      if (page.size() < PAGE) {
        return false;
      }
    }
  }

  /**
   * Writes the event if the viewer's level shows it; false (nothing written) once a share has taken
   * the viewer's access away. {@code live} is the event as the hub handed it over, with the frame
   * it shares with the run's other streams, or null for an event read from the store.
   */
  private static boolean write(Viewer viewer, ServletOutputStream out, Event e, LiveEvent live)
      throws IOException {
    if (e.type().equals(EventType.SHARE.type()) && !viewer.recheck()) return false;
    if (!NodeAccess.shows(viewer.level, e)) return true;
    out.write(live == null ? LiveEvent.frame(e) : live.frame());
    return true;
  }

  private static long position(String name, String raw) {
    if (raw == null || raw.isBlank()) return 0;
    try {
      long v = Long.parseLong(raw.trim());
      if (v < 0) throw ApiException.badParameter(name, "must be 0 or more, not " + v);
      return v;
    } catch (NumberFormatException e) {
      throw ApiException.badParameter(
          name, "must be an event seq (a whole number), not '" + raw + "'");
    }
  }
}
