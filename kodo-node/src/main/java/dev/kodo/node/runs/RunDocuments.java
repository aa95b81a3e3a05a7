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

  /**
   * The document as a caller at {@code level} sees it: model usage (summed from {@code action}
   * events, which need full) only at full.
   */
  static RunDocument forLevel(RunDocument d, dev.kodo.client.Level level) {
    if (level == dev.kodo.client.Level.FULL) return d;
    return new RunDocument(
        d.fid(),
        d.flow(),
        d.state(),
        d.progress(),
        d.inputs(),
        d.result(),
        d.error(),
        d.lock(),
        d.created(),
        d.finished(),
        d.runtime(),
        d.acknowledged(),
        d.shares(),
        d.events(),
        dev.kodo.client.RunUsage.NONE,
        d.links());
  }

  static RunDocument of(RunRecord r, List<Share> all) {
    // A share at level none is a revoked one: nobody holds it.
    List<Share> shares =
        all == null ? null : all.stream().filter(s -> !"none".equals(s.level())).toList();
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
