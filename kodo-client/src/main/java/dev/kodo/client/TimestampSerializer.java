package dev.kodo.client;

import java.time.Instant;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ser.std.StdSerializer;

/** Writes an event's timestamp the way {@link Event#toJson()} does: {@link Json#timestamp}. */
final class TimestampSerializer extends StdSerializer<Instant> {
  TimestampSerializer() {
    super(Instant.class);
  }

  @Override
  public void serialize(Instant value, JsonGenerator gen, SerializationContext ctxt) {
    gen.writeString(Json.timestamp(value));
  }
}
