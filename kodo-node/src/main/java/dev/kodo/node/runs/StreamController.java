package dev.kodo.node.runs;

import dev.kodo.client.Event;
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

  StreamController(RunService runs, LiveHub hub) {
    this.runs = runs;
    this.hub = hub;
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
    runs.record(fid);
    boolean head = "HEAD".equals(request.getMethod());
    // Subscribed before the answer starts, so that a refusal (too many streams) can still be a 429.
    Subscription subscription = head ? null : hub.subscribe(fid);
    response.setStatus(200);
    response.setContentType("text/event-stream");
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Cache-Control", "no-cache");
    response.setHeader("X-Accel-Buffering", "no");
    if (head) {
      return; // the headers say it all; following the run would hold the request until it ends
    }
    try (Subscription live = subscription) {
      ServletOutputStream out = response.getOutputStream();
      out.write(("retry: 2000\n\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      Cursor cursor = new Cursor(from == Long.MAX_VALUE ? from : from + 1);
      if (replay(fid, cursor, out)) return;
      if (runs.endedOrGone(fid)) {
        // The run has ended (or was deleted meanwhile): what it wrote after the first replay is in
        // the store now,
        // and nothing more will come.
        replay(fid, cursor, out);
        return;
      }
      long quietSince = System.nanoTime();
      while (!live.gone()) {
        List<Event> events = live.poll(POLL_MILLIS);
        if (live.lagged()) {
          if (replay(fid, cursor, out)) return;
          continue;
        }
        if (events.isEmpty()) {
          if (System.nanoTime() - quietSince > KEEPALIVE_MILLIS * 1_000_000L) {
            out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            quietSince = System.nanoTime();
          }
          continue;
        }
        quietSince = System.nanoTime();
        for (Event e : events) {
          if (e.seq() < cursor.next) continue;
          if (e.seq() > cursor.next) {
            // A commit overtook an earlier one on its way here: the store has everything up to e.
            if (replay(fid, cursor, out)) return;
            if (e.seq() < cursor.next) continue;
          }
          write(out, e);
          cursor.next = e.seq() + 1;
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
  private boolean replay(String fid, Cursor cursor, ServletOutputStream out) throws IOException {
    while (true) {
      List<Event> page = runs.eventsAfter(fid, cursor.next - 1, PAGE);
      for (Event e : page) {
        write(out, e);
        cursor.next = e.seq() + 1;
        if (e.terminal()) {
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

  private static void write(ServletOutputStream out, Event e) throws IOException {
    String frame = "id: " + e.seq() + "\nevent: " + e.type() + "\ndata: " + e.toJson() + "\n\n";
    out.write(frame.getBytes(StandardCharsets.UTF_8));
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
