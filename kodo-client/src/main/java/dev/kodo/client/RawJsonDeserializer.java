package dev.kodo.client;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/** Reads any JSON value into its compact JSON text; the counterpart of {@code @JsonRawValue}. */
final class RawJsonDeserializer extends ValueDeserializer<String> {
  @Override
  public String deserialize(JsonParser p, DeserializationContext ctxt) {
    return ctxt.readTree(p).toString();
  }
}
