package dev.kodo.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What a node tells about one run ({@code GET /api/runs/{fid}}, docs/http-api.md#runs).
 *
 * @param result the {@code final} event's data, once the run is done
 * @param error the {@code fatal} event's data, if the run failed
 * @param lock the open lock's data, while the run is locked
 * @param runtime seconds from creation to the end, once finished
 * @param shares who the run is shared with (in the single run document; null in lists)
 * @param usage the run's model calls and tokens, summed from its {@code llm} actions
 *     (docs/events.md#derived-state); {@link RunUsage#NONE} when no model was called, null from a
 *     node older than this field
 */
public record RunDocument(
    String fid,
    String flow,
    RunState state,
    Progress progress,
    JsonNode inputs,
    JsonNode result,
    JsonNode error,
    JsonNode lock,
    Instant created,
    Instant finished,
    Double runtime,
    boolean acknowledged,
    List<Share> shares,
    long events,
    RunUsage usage,
    Map<String, String> links) {}
