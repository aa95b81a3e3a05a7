package dev.kodo.registry;

import static dev.kodo.registry.RegistryTestServer.enc;
import static dev.kodo.registry.RegistryTestServer.eventually;
import static dev.kodo.registry.RegistryTestServer.items;
import static dev.kodo.registry.RegistryTestServer.json;
import static dev.kodo.registry.RegistryTestServer.problem;
import static dev.kodo.registry.RegistryTestServer.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * Federation (peers, export, pull, push, loops, drops), probes, cleanup and the OpenAPI document of
 * the registry service, with registries in this JVM on loopback ports. Sync and probe intervals are
 * long so that the tests drive each exchange themselves ({@code POST /registry/peers/{name}/sync}).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class FederationAndUpkeepIT {
  private static final String QUIET = "--kodo.registry.sync-interval=1h";

  private static void node(RegistryTestServer r, String node, String url, String... paths) {
    assertThat(r.send("POST", "/registry/register", "{\"node\":\"" + node + "\"}").statusCode())
        .isEqualTo(201);
    StringBuilder flows = new StringBuilder();
    for (String p : paths) {
      if (!flows.isEmpty()) flows.append(',');
      flows
          .append("{\"path\":\"")
          .append(p)
          .append("\",\"name\":\"Flow ")
          .append(p)
          .append("\",\"release\":\"1.0.0\",\"tags\":[\"t\"]}");
    }
    HttpResponse<String> c =
        r.send(
            "POST",
            "/registry/connect",
            "{\"node\":\"" + node + "\",\"url\":\"" + url + "\",\"flows\":[" + flows + "]}");
    assertThat(c.statusCode()).as(c.body()).isEqualTo(200);
  }

  private static JsonNode sync(RegistryTestServer r, String peer) {
    HttpResponse<String> s = r.send("POST", "/registry/peers/" + peer + "/sync", null);
    assertThat(s.statusCode()).as(s.body()).isEqualTo(200);
    return json(s);
  }

  @Test
  void aProviderPullsAnotherKeepsOriginsNeverLoopsAndDropsWhatTheOriginDrops() throws Exception {
    try (RegistryTestServer eu = RegistryTestServer.start("eu", QUIET);
        RegistryTestServer us = RegistryTestServer.start("us", QUIET)) {
      node(eu, "alpha", "http://127.0.0.1:1", "a.yaml", "secret.yaml");
      node(eu, "beta", "http://127.0.0.1:2", "b.yaml");
      node(us, "gamma", "http://127.0.0.1:3", "g.yaml");
      assertThat(
              eu.send(
                      "PUT",
                      "/registry/flows/alpha/secret.yaml",
                      "{\"hidden\":true,\"notes\":\"internal\"}")
                  .statusCode())
          .isEqualTo(200);

      // the export: visible nodes and flows, with the origin; hidden ones stay home
      JsonNode export = eu.ok("/registry/export");
      assertThat(export.get("registry").asString()).isEqualTo("eu");
      assertThat(export.get("nodes")).hasSize(2);
      assertThat(export.toString()).doesNotContain("secret.yaml").doesNotContain("internal");

      // us pulls eu, eu pulls us: each shows the other's flows once, with its origin, and not its
      // own again
      assertThat(
              us.send(
                      "POST",
                      "/registry/peers",
                      "{\"name\":\"eu\",\"url\":\"" + eu.base + "\",\"role\":\"provider\"}")
                  .statusCode())
          .isEqualTo(201);
      assertThat(
              eu.send(
                      "POST",
                      "/registry/peers",
                      "{\"name\":\"us\",\"url\":\"" + us.base + "\",\"role\":\"provider\"}")
                  .statusCode())
          .isEqualTo(201);
      for (int round = 0; round < 3; round++) {
        assertThat(sync(us, "eu").get("lastError").isNull()).isTrue();
        assertThat(sync(eu, "us").get("lastError").isNull()).isTrue();
      }
      JsonNode onUs = us.ok("/registry/flows?by=" + enc("node, path"));
      assertThat(items(onUs, "path")).containsExactly("a.yaml", "b.yaml", "g.yaml");
      assertThat(items(onUs, "origin")).containsExactly("eu", "eu", null);
      assertThat(items(onUs, "url"))
          .containsExactly("http://127.0.0.1:1", "http://127.0.0.1:2", "http://127.0.0.1:3");
      JsonNode onEu = eu.ok("/registry/nodes?by=name");
      assertThat(items(onEu, "name")).containsExactly("alpha", "beta", "gamma");
      assertThat(items(onEu, "origin")).containsExactly(null, null, "us");
      assertThat(
              us.ok("/registry/flows?query=" + enc("origin = \"eu\" and online"))
                  .get("filtered")
                  .asInt())
          .isEqualTo(2);
      JsonNode peersOnEu = eu.ok("/registry/peers");
      assertThat(peersOnEu.get(0).get("name").asString()).isEqualTo("us");
      assertThat(peersOnEu.get(0).get("nodes").asInt())
          .as("eu takes only gamma from us, not its own nodes back")
          .isEqualTo(1);

      // the origin drops beta: after the next exchange it is gone on us too
      assertThat(eu.send("DELETE", "/registry/register/beta", null).statusCode()).isEqualTo(204);
      sync(us, "eu");
      assertThat(items(us.ok("/registry/nodes?by=name"), "name")).containsExactly("alpha", "gamma");

      // a peer that is down: the error is shown, what came from it before stays until it is removed
      eu.close();
      JsonNode down = sync(us, "eu");
      assertThat(down.get("lastError").asString()).isNotBlank();
      assertThat(items(us.ok("/registry/nodes?by=name"), "name")).containsExactly("alpha", "gamma");
      assertThat(us.send("DELETE", "/registry/peers/eu", null).statusCode()).isEqualTo(204);
      assertThat(items(us.ok("/registry/nodes"), "name")).containsExactly("gamma");
      problem(us.send("DELETE", "/registry/peers/eu", null), 404, "eu");
    }
  }

  @Test
  void aContributorPushesOnlyWhereItIsAcceptedAndBadRecordsAreLeftOut() throws Exception {
    try (RegistryTestServer hq = RegistryTestServer.start("hq", QUIET);
        RegistryTestServer lab = RegistryTestServer.start("lab", QUIET)) {
      node(lab, "delta", "http://127.0.0.1:4", "d.yaml");
      assertThat(
              lab.send(
                      "POST",
                      "/registry/peers",
                      "{\"name\":\"hq\",\"url\":\"" + hq.base + "\",\"role\":\"consumer\"}")
                  .statusCode())
          .isEqualTo(201);
      JsonNode refused = sync(lab, "hq");
      assertThat(refused.get("lastError").asString()).contains("contributor");
      assertThat(hq.ok("/registry/flows").get("total").asInt()).isZero();

      assertThat(
              hq.send("POST", "/registry/peers", "{\"name\":\"lab\",\"role\":\"contributor\"}")
                  .statusCode())
          .isEqualTo(201);
      JsonNode pushed = sync(lab, "hq");
      assertThat(pushed.get("lastError").isNull()).as(pushed.toString()).isTrue();
      assertThat(pushed.get("nodes").asInt()).isEqualTo(1);
      JsonNode flows = hq.ok("/registry/flows");
      assertThat(items(flows, "path")).containsExactly("d.yaml");
      assertThat(items(flows, "origin")).containsExactly("lab");
      assertThat(hq.ok("/registry/peers").get(0).get("lastSync").isNull()).isFalse();

      // hostile pushes: not a contributor, not an array, bad records alone left out, loops refused
      problem(
          hq.send("PUT", "/registry/import", "{\"registry\":\"mallory\",\"nodes\":[]}"),
          403,
          "mallory");
      problem(
          hq.send("PUT", "/registry/import", "{\"registry\":\"lab\",\"nodes\":{}}"), 400, "nodes");
      problem(hq.send("PUT", "/registry/import", "[1]"), 400, "JSON object");
      problem(
          hq.send("PUT", "/registry/import", "{\"registry\":\"lab\",\"nodes\":[],\"extra\":1}"),
          400,
          "'extra'");
      HttpResponse<String> mixed =
          hq.send(
              "PUT",
              "/registry/import",
              "{\"registry\":\"lab\",\"nodes\":["
                  + "{\"name\":\"ok1\",\"registered\":\"2026-11-27T10:00:00Z\",\"url\":\"http://127.0.0.1:5\"},"
                  + "{\"name\":\"nodate\"},"
                  + "{\"name\":\"bad name!\",\"registered\":\"2026-11-27T10:00:00Z\"},"
                  + "{\"name\":\"looped\",\"registered\":\"2026-11-27T10:00:00Z\",\"origin\":\"x\",\"path\":[\"x\",\"hq\"]},"
                  + "{\"name\":\"ok2\",\"registered\":\"2026-11-27T10:00:00Z\",\"flows\":[{\"path\":\"p.yaml\",\"name\":\"P\",\"release\":\"nope\"}]},"
                  + "{\"name\":\"future\",\"registered\":\"+1000000000-12-31T23:59:59Z\"},"
                  + "{\"name\":\"evil\",\"registered\":\"2026-11-27T10:00:00Z\",\"url\":\"javascript:alert(1)\",\"availability\":-3},"
                  + "\"junk\"]}");
      assertThat(mixed.statusCode()).as(mixed.body()).isEqualTo(200);
      assertThat(texts(json(mixed).get("taken"))).as(mixed.body()).containsExactly("ok1", "ok2");
      assertThat(json(mixed).get("rejected")).hasSize(5);
      assertThat(json(mixed).get("rejectedCount").asInt()).isEqualTo(5);
      assertThat(json(mixed).get("rejected").get(0).asString())
          .isEqualTo("nodes[1]: registered cannot be null");
      assertThat(json(mixed).get("rejected").get(4).asString())
          .isEqualTo("nodes[7]: must be a node record (an object)");
      assertThat(json(mixed).get("rejected").toString())
          .contains("nodes[5].registered")
          .contains("nodes[6].url");
      assertThat(hq.ok("/registry/nodes/ok2").get("flows").asInt())
          .as("an invalid flow record is dropped")
          .isZero();
      assertThat(hq.ok("/registry/nodes").get("total").asInt())
          .as("delta was replaced by this push")
          .isEqualTo(2);

      // peers: bad input
      problem(
          hq.send(
              "POST",
              "/registry/peers",
              "{\"name\":\"hq\",\"url\":\"http://x:1\",\"role\":\"provider\"}"),
          400,
          "own name");
      problem(
          hq.send("POST", "/registry/peers", "{\"name\":\"p\",\"role\":\"provider\"}"), 400, "url");
      problem(
          hq.send(
              "POST",
              "/registry/peers",
              "{\"name\":\"p\",\"url\":\"file:///etc/passwd\",\"role\":\"provider\"}"),
          400,
          "http");
      problem(
          hq.send(
              "POST",
              "/registry/peers",
              "{\"name\":\"p\",\"url\":\"http://x:1\",\"role\":\"boss\"}"),
          400,
          "role");
      problem(
          hq.send(
              "POST",
              "/registry/peers",
              "{\"name\":\"../x\",\"url\":\"http://x:1\",\"role\":\"provider\"}"),
          400,
          "name");
      problem(
          hq.send("POST", "/registry/peers", "{\"name\":\"p\",\"role\":\"provider\",\"urll\":1}"),
          400,
          "'urll'");
      problem(hq.send("POST", "/registry/peers/ghost/sync", null), 404, "ghost");
    }
  }

  @Test
  void probesMeasureAvailabilityAndStaleNodesAreCleanedUp() throws Exception {
    AtomicInteger probes = new AtomicInteger();
    HttpServer node = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    node.createContext(
        "/api/actuator/health",
        exchange -> {
          probes.incrementAndGet();
          byte[] body = "{\"name\":\"alpha\"}".getBytes();
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    node.start();
    try (RegistryTestServer r =
        RegistryTestServer.start(
            "probing",
            QUIET,
            "--kodo.registry.probe-interval=200ms",
            "--kodo.registry.stale-after=2s",
            "--kodo.registry.cleanup-interval=0")) {
      node(r, "alpha", "http://127.0.0.1:" + node.getAddress().getPort(), "a.yaml");
      node(r, "dead", "http://127.0.0.1:9", "d.yaml");
      eventually(
          "alpha probed", () -> r.ok("/registry/nodes/alpha").get("availability").isNumber());
      assertThat(r.ok("/registry/nodes/alpha").get("availability").asDouble()).isEqualTo(1.0);
      assertThat(r.ok("/registry/nodes/alpha").get("latency").isNumber()).isTrue();
      eventually("dead probed", () -> r.ok("/registry/nodes/dead").get("availability").isNumber());
      assertThat(r.ok("/registry/nodes/dead").get("availability").asDouble()).isZero();
      assertThat(r.ok("/registry/flows?query=" + enc("availability > 0.9")).get("filtered").asInt())
          .isEqualTo(1);
      assertThat(probes.get()).isPositive();
      r.registry().flush();
      JsonNode history = json(r.get("/registry/nodes/alpha/history"));
      assertThat(history.isArray()).isTrue();
      assertThat(history.get(0).get("online").asBoolean()).isTrue();
      assertThat(history.get(0).get("node").asString()).isEqualTo("alpha");
      problem(r.get("/registry/nodes/alpha/history?from=yesterday"), 400, "from");
      problem(r.get("/registry/nodes/alpha/history?limit=0"), 400, "limit");
      problem(
          r.get("/registry/nodes/alpha/history?from=2026-11-28T00:00:00Z&to=2026-11-27T00:00:00Z"),
          400,
          "from");
      problem(r.get("/registry/nodes/ghost/history"), 404, "ghost");
      problem(r.get("/registry/nodes/alpha/history?to=-1000000000-01-01T00:00:00Z"), 400, "to");
      problem(
          r.get("/registry/nodes/alpha/history?from=%2B1000000000-01-01T00:00:00Z"), 400, "from");

      // both go silent; registered-only nodes count from their registration
      assertThat(r.send("POST", "/registry/register", "{\"node\":\"newcomer\"}").statusCode())
          .isEqualTo(201);
      Thread.sleep(2_100);
      assertThat(r.send("PUT", "/registry/state", "{\"node\":\"alpha\",\"load\":0.1}").statusCode())
          .isEqualTo(200);
      JsonNode preview = r.ok("/registry/cleanup");
      assertThat(preview.get("staleAfter").asLong()).isEqualTo(2);
      assertThat(texts(preview.get("nodes"))).containsExactlyInAnyOrder("dead", "newcomer");
      assertThat(r.ok("/registry/nodes").get("total").asInt())
          .as("a preview removes nothing")
          .isEqualTo(3);
      HttpResponse<String> removed = r.send("POST", "/registry/cleanup", null);
      assertThat(removed.statusCode()).isEqualTo(200);
      assertThat(texts(json(removed).get("removed"))).containsExactlyInAnyOrder("dead", "newcomer");
      assertThat(items(r.ok("/registry/nodes"), "name")).containsExactly("alpha");
      assertThat(items(r.ok("/registry/flows"), "path")).containsExactly("a.yaml");
    } finally {
      node.stop(0);
    }
  }

  @Test
  void theApiIsDescribedAtRegistryOpenapi() throws Exception {
    try (RegistryTestServer r = RegistryTestServer.start("docs", QUIET)) {
      JsonNode api = r.ok("/registry/openapi");
      assertThat(api.get("openapi").asString()).startsWith("3.");
      assertThat(api.get("paths").propertyNames())
          .contains(
              "/registry/flows",
              "/registry/nodes",
              "/registry/connect",
              "/registry/peers",
              "/registry/export",
              "/registry/import",
              "/registry/cleanup");
    }
  }
}
