package dev.kodo.client;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * Reads any JSON value into compact JSON text; the counterpart of {@code @JsonRawValue}.
 *
 * <p>The value is copied token by token rather than through a tree, so numbers keep the exact text
 * they were written with: {@code 12345678901234567890.123456789} does not become a rounded double
 * and {@code 1e400} does not become the string {@code "Infinity"}. Strings are re-quoted with
 * {@link Json#quote}; insignificant whitespace is dropped.
 */
final class RawJsonDeserializer extends ValueDeserializer<String> {
  @Override
  public String deserialize(JsonParser p, DeserializationContext ctxt) {
    StringBuilder out = new StringBuilder();
    int depth = 0;
    boolean comma = false;
    JsonToken t = p.currentToken();
    while (true) {
      switch (t) {
        case START_OBJECT, START_ARRAY -> {
          if (comma) out.append(',');
          out.append(t == JsonToken.START_OBJECT ? '{' : '[');
          depth++;
          comma = false;
        }
        case END_OBJECT, END_ARRAY -> {
          out.append(t == JsonToken.END_OBJECT ? '}' : ']');
          depth--;
          comma = true;
        }
        case PROPERTY_NAME -> {
          if (comma) out.append(',');
          out.append(Json.quote(p.currentName())).append(':');
          comma = false;
        }
        default -> {
          if (comma) out.append(',');
          out.append(
              switch (t) {
                case VALUE_STRING -> Json.quote(p.getString());
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getString();
                case VALUE_TRUE -> "true";
                case VALUE_FALSE -> "false";
                case VALUE_NULL -> "null";
                default -> ctxt.readTree(p).toString();
              });
          comma = true;
        }
      }
      if (depth == 0) {
        return out.toString();
      }
      t = p.nextToken();
      if (t == null) {
        return ctxt.reportInputMismatch(this, "JSON value ends before it is complete");
      }
    }
  }
}
