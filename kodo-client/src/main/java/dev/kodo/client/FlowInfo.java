package dev.kodo.client;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A flow as a node's catalogue shows it (docs/http-api.md#flows, docs/flows.md): its identity on
 * the node, what it is, and its inputs as a JSON Schema plus form hints.
 */
public record FlowInfo(
    String path,
    String name,
    String description,
    String author,
    String organization,
    String release,
    List<String> tags,
    JsonNode schema,
    JsonNode form) {}
