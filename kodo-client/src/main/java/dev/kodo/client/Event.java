package dev.kodo.client;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * One entry of a run's append-only event log (docs/events.md).
 *
 * <p>{@code data} is kept as JSON text: an event is serialised once where it is made and then
 * travels, is stored and is streamed without being parsed again. {@link #dataNode()} parses it on
 * demand.
 *
 * @param fid the run
 * @param seq the position in the run's log, from 1, without gaps
 * @param ts when the event was made, to the millisecond; written with exactly three fraction digits
 *     ({@link Json#timestamp}), so that timestamps of one log all have the same length
 * @param kind {@code data}, {@code process}, {@code manage} or {@code lock}
 * @param type one of {@link EventType}
 * @param data the event's payload as JSON text (an object)
 */
public record Event(
    String fid,
    long seq,
    @JsonSerialize(using = TimestampSerializer.class) Instant ts,
    String kind,
    String type,
    @JsonRawValue @JsonDeserialize(using = RawJsonDeserializer.class) String data) {

  public Event {
    Check.notBlank(fid, "fid");
    Check.notNull(ts, "ts");
    Check.notBlank(kind, "kind");
    Check.notBlank(type, "type");
    if (data == null || data.isBlank()) {
      data = "{}";
    }
  }

  public static Event of(String fid, long seq, Instant ts, EventType type, String data) {
    return new Event(fid, seq, ts, type.kind(), type.type(), data);
  }

  public JsonNode dataNode() {
    return Json.read(data);
  }

  /** The catalogue entry of this event's type, or null for a type this version does not know. */
  public EventType eventType() {
    return EventType.of(type).orElse(null);
  }

  public boolean terminal() {
    EventType t = eventType();
    return t != null && t.terminal();
  }

  public Event withSeq(long newSeq) {
    return new Event(fid, newSeq, ts, kind, type, data);
  }

  /** The event as one line of JSON, the shape of the HTTP API and the SSE stream. */
  public String toJson() {
    return "{\"fid\":"
        + Json.quote(fid)
        + ",\"seq\":"
        + seq
        + ",\"ts\":\""
        + Json.timestamp(ts)
        + "\",\"kind\":"
        + Json.quote(kind)
        + ",\"type\":"
        + Json.quote(type)
        + ",\"data\":"
        + data
        + "}";
  }
}
