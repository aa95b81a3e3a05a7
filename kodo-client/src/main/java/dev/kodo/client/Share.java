package dev.kodo.client;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Who a run is shared with (docs/events.md#levels): a subject (user or group), the level it sees
 * the run at ({@code basic}, {@code advanced}, {@code full}) and the mode ({@code r} or {@code x}).
 * Derived from the run's {@code share} events; a later share of the same subject replaces an
 * earlier one.
 */
public record Share(String subject, String level, String mode) {

  /** The shares one {@code share} event ({@code {subjects, level, mode}}) grants. */
  public static List<Share> of(Event e) {
    JsonNode d = e.dataNode();
    String level = d.path("level").asString("");
    String mode = d.path("mode").asString("");
    List<Share> out = new ArrayList<>();
    for (JsonNode s : d.path("subjects")) {
      out.add(new Share(s.asString(), level, mode));
    }
    if (out.isEmpty() || level.isEmpty() || mode.isEmpty()) {
      throw new KodoException(
          "share event seq " + e.seq() + " of run " + e.fid() + " needs subjects, level and mode");
    }
    return out;
  }
}
