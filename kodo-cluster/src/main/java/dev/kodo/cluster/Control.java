package dev.kodo.cluster;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.kodo.client.Json;

/**
 * A message from a node to the worker that executes one of its runs, carried by the cluster's
 * control topic: kill the run, consider a candidate answer for its open lock, or take back a
 * candidate the node stopped waiting for.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Control.Kill.class, name = "kill"),
  @JsonSubTypes.Type(value = Control.Candidate.class, name = "candidate"),
  @JsonSubTypes.Type(value = Control.Withdraw.class, name = "withdraw")
})
public sealed interface Control {
  String fid();

  /** Kill the run wherever it executes. */
  record Kill(String fid) implements Control {}

  /** Hand an answer to the run's open lock {@code lid}; {@code data} is a JSON object text. */
  record Candidate(String fid, String lid, String cid, String data) implements Control {}

  /** Skip the candidate {@code cid} if the flow has not considered it yet. */
  record Withdraw(String fid, String cid) implements Control {}

  default String encode() {
    return Json.write(this);
  }

  static Control decode(String s) {
    return Json.read(s, Control.class);
  }
}
