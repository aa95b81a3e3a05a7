package dev.kodo.ui.runs;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.Level;
import dev.kodo.node.runs.NodeAccess;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The latest intermediate result of a run that has no {@code final} yet (docs/ui.md#the-run-page):
 * the last {@code result} event (docs/events.md#catalogue, {@code {format, body}}) the caller's
 * level shows. Found by reading the run's log backwards from its last seq in windows of {@link
 * #WINDOW} events (seqs have no gaps), at most {@link #MAX_WINDOWS} of them, so a page view's work
 * stays bounded however long the run is: a result further back than that is not shown.
 *
 * @param seq the {@code result} event's seq
 * @param format {@code markdown} or {@code json}
 * @param body the body: Markdown text, or the JSON value
 */
public record IntermediateResult(long seq, String format, JsonNode body) {
  /** Events read at once. */
  static final int WINDOW = 1_000;

  /** Windows read at most: 20,000 events, the header's bound too (EventActivity). */
  static final int MAX_WINDOWS = 20;

  /** Reads up to {@code limit} events with a seq above {@code after}, in seq order. */
  @FunctionalInterface
  interface Events {
    List<Event> read(long after, int limit);
  }

  /** Whether the result's body is Markdown (else it is shown as JSON text). */
  public boolean markdown() {
    return "markdown".equals(format);
  }

  /** The body as Markdown text (for a Markdown result) or as indented JSON. */
  public String text() {
    return markdown() ? body.asString("") : body.toPrettyString();
  }

  /**
   * The latest {@code result} among the run's events up to {@code lastSeq} that {@code level}
   * shows, or null if there is none within the bound (or the level shows no results).
   */
  static IntermediateResult latest(Events events, long lastSeq, Level level) {
    if (!level.includes(EventType.RESULT.level())) return null;
    long upTo = lastSeq;
    for (int w = 0; w < MAX_WINDOWS && upTo > 0; w++) {
      long after = Math.max(0, upTo - WINDOW);
      List<Event> page = events.read(after, (int) (upTo - after));
      for (int i = page.size() - 1; i >= 0; i--) {
        Event e = page.get(i);
        if (e.seq() > upTo || !EventType.RESULT.type().equals(e.type())) continue;
        if (!NodeAccess.shows(level, e)) continue;
        JsonNode data;
        try {
          data = e.dataNode();
        } catch (RuntimeException bad) {
          continue; // not JSON: nothing to show
        }
        if (data == null || !data.isObject()) continue;
        JsonNode body = data.path("body");
        if (body.isMissingNode() || body.isNull()) continue;
        String format = data.path("format").asString("");
        if (format.equals("markdown") && !body.isString()) continue;
        return new IntermediateResult(e.seq(), format.equals("markdown") ? format : "json", body);
      }
      upTo = after;
    }
    return null;
  }
}
