package dev.kodo.cluster;

import dev.kodo.client.Json;

/**
 * A run waiting for a worker: which flow to run with which inputs, and which node gets its events.
 *
 * @param inputs the validated inputs as a JSON object text
 * @param traceparent the W3C {@code traceparent} of the run's launch span, so the worker's dispatch
 *     and flow spans join the run's trace (docs/operations.md#traces); null when the node traces
 *     nothing
 * @param dispatchedAt when the node put the run on the cluster, in epoch milliseconds (the start of
 *     the dispatch latency a worker measures); 0 if unknown
 */
public record RunTicket(
    String fid, String flow, String inputs, String node, String traceparent, long dispatchedAt) {

  /** A ticket that carries no trace context and no dispatch time. */
  public RunTicket(String fid, String flow, String inputs, String node) {
    this(fid, flow, inputs, node, null, 0L);
  }

  String encode() {
    return Json.write(this);
  }

  static RunTicket decode(String s) {
    return Json.read(s, RunTicket.class);
  }
}
