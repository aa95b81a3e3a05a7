package dev.kodo.cluster;

import dev.kodo.client.Json;

/**
 * A run waiting for a worker: which flow to run with which inputs, and which node gets its events.
 *
 * @param inputs the validated inputs as a JSON object text
 */
public record RunTicket(String fid, String flow, String inputs, String node) {
  String encode() {
    return Json.write(this);
  }

  static RunTicket decode(String s) {
    return Json.read(s, RunTicket.class);
  }
}
