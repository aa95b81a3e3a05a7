package dev.kodo.web;

import dev.kodo.client.Problem.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * Reads the fields of a JSON request body (node, registry, auth provider), answering 400
 * problem+json naming the field when one is missing, misspelt or of the wrong type
 * (docs/http-api.md#common-rules).
 */
public final class JsonBodies {
  private JsonBodies() {}

  /**
   * The body as an object whose fields are all among {@code known} (a misspelt field is an error,
   * not silently ignored); {@code known} null allows any.
   */
  public static JsonNode object(JsonNode body, Set<String> known) {
    if (body == null || !body.isObject()) {
      throw ApiException.badRequest("the request body must be a JSON object", null);
    }
    if (known != null) {
      for (String name : body.propertyNames()) {
        if (!known.contains(name)) {
          throw field(
              name,
              "is not a field of this request; expected "
                  + String.join(", ", new TreeSet<>(known)));
        }
      }
    }
    return body;
  }

  /** A string field; null if missing or null. */
  public static String string(JsonNode body, String name) {
    JsonNode v = body.get(name);
    if (v == null || v.isNull()) return null;
    if (!v.isString()) throw field(name, "must be a string");
    return v.asString();
  }

  /** A required, non-blank string field. */
  public static String required(JsonNode body, String name) {
    String s = string(body, name);
    if (s == null || s.isBlank()) throw field(name, "is required");
    return s;
  }

  /** An array of strings; null if missing or null. */
  public static List<String> strings(JsonNode body, String name) {
    JsonNode v = body.get(name);
    if (v == null || v.isNull()) return null;
    if (!v.isArray()) throw field(name, "must be an array of strings");
    List<String> out = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isString()) throw field(name + "[" + i + "]", "must be a string");
      out.add(v.get(i).asString());
    }
    return out;
  }

  /** A boolean field; {@code dflt} if missing or null. */
  public static boolean bool(JsonNode body, String name, boolean dflt) {
    JsonNode v = body.get(name);
    if (v == null || v.isNull()) return dflt;
    if (!v.isBoolean()) throw field(name, "must be true or false");
    return v.asBoolean();
  }

  /** 400 naming the field. */
  public static ApiException field(String name, String message) {
    String n = ApiException.shorten(name);
    return ApiException.badRequest(
        "the field '" + n + "' " + message, List.of(new FieldError(n, message)));
  }
}
