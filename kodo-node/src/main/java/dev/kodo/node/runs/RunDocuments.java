package dev.kodo.node.runs;

import dev.kodo.client.Json;
import dev.kodo.client.Progress;
import dev.kodo.client.RunDocument;
import dev.kodo.client.Share;
import dev.kodo.store.RunRecord;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Turns a stored run summary into the run document the API answers. */
final class RunDocuments {
  private RunDocuments() {}

  static RunDocument of(RunRecord r) {
    return of(r, null);
  }

  static RunDocument of(RunRecord r, List<Share> shares) {
    Double runtime =
        r.finished() == null
            ? null
            : Duration.between(r.created(), r.finished()).toMillis() / 1000.0;
    Map<String, String> links = new LinkedHashMap<>();
    String self = "/api/runs/" + r.fid();
    links.put("self", self);
    links.put("events", self + "/events");
    links.put("stream", self + "/stream");
    if (r.lockId() != null) {
      links.put("lock", self + "/locks/" + r.lockId());
    }
    return new RunDocument(
        r.fid(),
        r.flow(),
        r.state(),
        new Progress(r.progress(), r.progressMessage()),
        json(r.inputs()),
        json(r.result()),
        json(r.error()),
        json(r.lock()),
        r.created(),
        r.finished(),
        runtime,
        r.acknowledged(),
        shares,
        r.lastSeq(),
        r.usage(),
        links);
  }

  private static JsonNode json(String text) {
    return text == null ? null : Json.read(text);
  }
}
