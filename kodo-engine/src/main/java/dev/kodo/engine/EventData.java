package dev.kodo.engine;

import dev.kodo.client.Json;
import dev.kodo.client.Kodo;
import dev.kodo.sdk.Demand;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.InputError;
import dev.kodo.sdk.Inputs;
import dev.kodo.sdk.Result;
import dev.kodo.sdk.internal.SdkBridge;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The payloads of the events Kodo itself writes, made in one place so every producer (worker, node,
 * {@code koco run}) writes the same shapes.
 */
public final class EventData {
  private EventData() {}

  public static String progress(double value, String message) {
    double v = Double.isNaN(value) ? 0 : Math.max(0, Math.min(1, value));
    return "{\"value\":"
        + v
        + ",\"message\":"
        + (message == null ? "null" : Json.quote(message))
        + "}";
  }

  /**
   * The {@code inputs} event: the run's validated inputs as a JSON object, dates as {@code
   * YYYY-MM-DD}.
   */
  public static String inputs(Inputs inputs) {
    Map<String, Object> out = new LinkedHashMap<>();
    inputs.asMap().forEach((k, v) -> out.put(k, v instanceof LocalDate d ? d.toString() : v));
    return Json.write(out);
  }

  /**
   * A {@code result} event, and the result in a {@code final} one: {@code
   * {"format":"markdown","body":…}}.
   */
  public static String result(Result r) {
    // Written per event: no per-call lower-casing of the format's name (8% of a flow's emitting
    // thread in the events bench; docs/performance.md, "Events from one run").
    return switch (r.format()) {
      case MARKDOWN -> "{\"format\":\"markdown\",\"body\":" + Json.quote((String) r.body()) + "}";
      case JSON -> "{\"format\":\"json\",\"body\":" + Json.write(r.body()) + "}";
    };
  }

  public static String fin(Result r, double runtimeSeconds) {
    return "{\"result\":" + result(r) + ",\"runtime\":" + runtimeSeconds + "}";
  }

  public static String action(String name, Object data) {
    return "{\"name\":" + Json.quote(name) + ",\"data\":" + Json.write(data) + "}";
  }

  public static String line(String line) {
    return "{\"line\":" + Json.quote(line) + "}";
  }

  /**
   * The {@code flow} event: which flow, at which release, the run executes (made once per loaded
   * flow).
   */
  public static String flow(LoadedFlow flow) {
    return flow.flowEvent();
  }

  static String flow(String path, FlowSpec spec) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("path", path);
    d.put("name", spec.name());
    d.put("release", spec.release());
    d.put("author", spec.author());
    d.put("organization", spec.organization());
    d.put("tags", spec.tags());
    return Json.write(d);
  }

  /** The {@code lock} event: what the flow asks for, and until when. */
  public static String lock(String lid, Demand demand, Instant expires) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("title", demand.title());
    d.put("markdown", demand.markdown());
    d.put("schema", demand.form().schema());
    d.put("form", SdkBridge.hints(demand.form()));
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("lid", lid);
    e.put("demand", d);
    e.put("expires", expires.toString());
    return Json.write(e);
  }

  /** {@code unlock} and {@code unlock-timeout}: which candidate of which lock. */
  public static String lockAnswer(String lid, String cid) {
    return "{\"lid\":" + Json.quote(lid) + ",\"cid\":" + Json.quote(cid) + "}";
  }

  /** {@code unlock-deny}: the candidate and the flow's reasons, per field. */
  public static String unlockDeny(String lid, String cid, List<InputError> errors) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("lid", lid);
    e.put("cid", cid);
    e.put("errors", errors);
    return Json.write(e);
  }

  /** {@code candidate}: an answer a client posted, as the node records it. */
  public static String candidate(String lid, String cid, String dataJson) {
    return "{\"lid\":"
        + Json.quote(lid)
        + ",\"cid\":"
        + Json.quote(cid)
        + ",\"data\":"
        + dataJson
        + "}";
  }

  /** {@code lock-timeout}: the lock that expired. */
  public static String lockTimeout(String lid) {
    return "{\"lid\":" + Json.quote(lid) + "}";
  }

  private static final String VERSION =
      "{\"kodo\":"
          + Json.quote(Kodo.version())
          + ",\"java\":"
          + Json.quote(Runtime.version().toString())
          + "}";

  public static String version() {
    return VERSION;
  }

  /** The {@code kill} event: who killed the run. */
  public static String kill(String by) {
    return by == null ? "{}" : "{\"by\":" + Json.quote(by) + "}";
  }

  /**
   * A fatal event's data: why the run ended, and for an exception its type, message and where it
   * was thrown.
   */
  public static String fatal(String reason, String message, Throwable error) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("reason", reason);
    d.put("message", message);
    if (error != null) {
      d.put("error", error.getClass().getName());
      List<String> where = new ArrayList<>();
      for (StackTraceElement frame : error.getStackTrace()) {
        if (where.size() == 8) break;
        where.add(frame.toString());
      }
      d.put("where", where);
      if (error.getCause() != null) {
        d.put(
            "cause", error.getCause().getClass().getName() + ": " + error.getCause().getMessage());
      }
    }
    return Json.write(d);
  }
}
