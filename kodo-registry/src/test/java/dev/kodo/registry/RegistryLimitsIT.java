package dev.kodo.registry;

import static dev.kodo.registry.RegistryTestServer.enc;
import static dev.kodo.registry.RegistryTestServer.json;
import static dev.kodo.registry.RegistryTestServer.problem;
import static dev.kodo.registry.RegistryTestServer.texts;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * The registry's limits on what callers make it hold (issue 8, item 11): nodes, flows per node,
 * constrained flow paths, peers. Each is answered with a problem naming the setting, and the same
 * request passes once there is room again.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RegistryLimitsIT {

  private static HttpResponse<String> register(RegistryTestServer r, String node) {
    return r.send("POST", "/registry/register", "{\"node\":\"" + node + "\"}");
  }

  private static String flows(int n) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      if (i > 0) b.append(',');
      b.append("{\"path\":\"f").append(i).append(".yaml\",\"name\":\"F\",\"release\":\"1.0.0\"}");
    }
    return b.append(']').toString();
  }

  private static HttpResponse<String> push(RegistryTestServer r, int nodes) {
    StringBuilder b = new StringBuilder("{\"registry\":\"lab\",\"nodes\":[");
    for (int i = 0; i < nodes; i++) {
      if (i > 0) b.append(',');
      b.append("{\"name\":\"lab-").append(i).append("\",\"registered\":\"2026-11-27T10:00:00Z\"}");
    }
    return r.send("PUT", "/registry/import", b.append("]}").toString());
  }

  @Test
  void nodesFlowsConstrainedPathsAndPeersAreCapped() throws Exception {
    try (RegistryTestServer r =
        RegistryTestServer.start(
            "capped",
            "--kodo.registry.sync-interval=1h",
            "--kodo.registry.max-nodes=3",
            "--kodo.registry.max-flows-per-node=2",
            "--kodo.registry.max-peers=2")) {
      // nodes: the fourth is refused; registering a known one again is not a new node
      for (String n : new String[] {"a", "b", "c"})
        assertThat(register(r, n).statusCode()).isEqualTo(201);
      HttpResponse<String> full = register(r, "d");
      problem(full, 409, "this registry holds at most 3 nodes (kodo.registry.max-nodes)");
      assertThat(json(full).get("title").asString()).isEqualTo("Limit reached");
      assertThat(register(r, "a").statusCode()).isEqualTo(201);

      // flows per node
      problem(
          r.send(
              "POST",
              "/registry/connect",
              "{\"node\":\"a\",\"url\":\"http://127.0.0.1:1\",\"flows\":" + flows(3) + "}"),
          400,
          "a node may announce at most 2 flows (kodo.registry.max-flows-per-node), not 3");
      HttpResponse<String> two =
          r.send(
              "POST",
              "/registry/connect",
              "{\"node\":\"a\",\"url\":\"http://127.0.0.1:1\",\"flows\":" + flows(2) + "}");
      assertThat(two.statusCode()).as(two.body()).isEqualTo(200);

      // constrained flow paths: as many per node as flows, each a valid path
      assertThat(r.send("PUT", "/registry/flows/a/x1.yaml", "{\"hidden\":true}").statusCode())
          .isEqualTo(200);
      assertThat(r.send("PUT", "/registry/flows/a/x2.yaml", "{\"hidden\":true}").statusCode())
          .isEqualTo(200);
      problem(
          r.send("PUT", "/registry/flows/a/x3.yaml", "{\"hidden\":true}"),
          409,
          "node 'a' has constraints on 2 flow paths already, the most this registry keeps per node"
              + " (kodo.registry.max-flows-per-node)");
      assertThat(
              r.send("PUT", "/registry/flows/a/x1.yaml", "{\"notes\":\"still fine\"}").statusCode())
          .isEqualTo(200);
      assertThat(r.send("PUT", "/registry/flows/a/x2.yaml", "{}").statusCode())
          .as("clearing one makes room")
          .isEqualTo(200);
      assertThat(r.send("PUT", "/registry/flows/a/x3.yaml", "{\"hidden\":true}").statusCode())
          .isEqualTo(200);
      problem(
          r.send("PUT", "/registry/flows/a/" + "p".repeat(513), "{}"),
          400,
          "at most 512 characters");
      problem(
          r.send("PUT", "/registry/flows/a/bad" + enc("\u0001") + ".yaml", "{}"),
          400,
          "control character U+0001");
      problem(
          r.send("PUT", "/registry/flows/a/" + enc(" spaced.yaml"), "{}"),
          400,
          "must not start or end with spaces");

      // peers: the third is refused; changing a known one is not a new peer
      assertThat(
              r.send("POST", "/registry/peers", "{\"name\":\"lab\",\"role\":\"contributor\"}")
                  .statusCode())
          .isEqualTo(201);
      assertThat(
              r.send("POST", "/registry/peers", "{\"name\":\"lab2\",\"role\":\"contributor\"}")
                  .statusCode())
          .isEqualTo(201);
      problem(
          r.send("POST", "/registry/peers", "{\"name\":\"lab3\",\"role\":\"contributor\"}"),
          409,
          "this registry federates with at most 2 peers (kodo.registry.max-peers)");
      assertThat(
              r.send("POST", "/registry/peers", "{\"name\":\"lab2\",\"role\":\"contributor\"}")
                  .statusCode())
          .isEqualTo(201);

      // nodes from peers count too: a push takes only what fits
      JsonNode none = json(push(r, 5));
      assertThat(none.get("taken").size()).as(none.toString()).isZero();
      assertThat(r.send("DELETE", "/registry/register/c", null).statusCode()).isEqualTo(204);
      JsonNode one = json(push(r, 5));
      assertThat(texts(one.get("taken"))).containsExactly("lab-0");
      assertThat(json(push(r, 5)).get("taken").size())
          .as("what it sent before makes room for itself")
          .isEqualTo(1);
      assertThat(r.ok("/registry/nodes").get("total").asInt()).isEqualTo(3);
      problem(register(r, "d"), 409, "kodo.registry.max-nodes");
    }
  }
}
