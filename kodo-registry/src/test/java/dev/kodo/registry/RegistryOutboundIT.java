package dev.kodo.registry;

import static dev.kodo.registry.RegistryTestServer.json;
import static dev.kodo.registry.RegistryTestServer.problem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Connect;
import dev.kodo.registry.core.Peer;
import dev.kodo.registry.upkeep.Prober;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * The registry's requests to the URLs it is given (issue 8, item 8): node and peer URLs outside
 * {@code kodo.registry.allowed-targets} are refused when given and never connected to later; what a
 * remote service answered never shows in a peer's {@code lastError}; remote answers are read only
 * up to their limits. Every server here is on loopback; addresses elsewhere are only ever refused,
 * before any connection.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RegistryOutboundIT {
  private static final String QUIET = "--kodo.registry.sync-interval=1h";
  private static final String NO_PROBES = "--kodo.registry.probe-interval=0";
  private static final String SECRET = "SECRET-7f3a9c";

  private static JsonNode sync(RegistryTestServer r, String peer) {
    HttpResponse<String> s = r.send("POST", "/registry/peers/" + peer + "/sync", null);
    assertThat(s.statusCode()).as(s.body()).isEqualTo(200);
    return json(s);
  }

  private static HttpResponse<String> connect(RegistryTestServer r, String node, String url) {
    return r.send(
        "POST",
        "/registry/connect",
        "{\"node\":\"" + node + "\",\"url\":\"" + url + "\",\"flows\":[]}");
  }

  private static HttpResponse<String> addPeer(
      RegistryTestServer r, String name, String url, String role) {
    return r.send(
        "POST",
        "/registry/peers",
        "{\"name\":\"" + name + "\",\"url\":\"" + url + "\",\"role\":\"" + role + "\"}");
  }

  @Test
  void urlsOutsideTheAllowedTargetsAreRefusedWhenGivenAndNeverConnectedTo() throws Exception {
    try (RawServer inside =
            new RawServer(
                (head, body, out) -> RawServer.answer(out, 200, "application/json", "{}"));
        RegistryTestServer r =
            RegistryTestServer.start(
                "guard", QUIET, NO_PROBES, "--kodo.registry.allowed-targets=public")) {
      assertThat(r.send("POST", "/registry/register", "{\"node\":\"alpha\"}").statusCode())
          .isEqualTo(201);

      // at connect: 422 naming the field and the rule; loopback is out, as is a name that resolves
      // to it
      HttpResponse<String> loopback = connect(r, "alpha", inside.url());
      problem(
          loopback,
          422,
          "'url' is not allowed: 127.0.0.1 is a loopback address, which kodo.registry.allowed-targets"
              + " (public) does not allow");
      assertThat(json(loopback).get("title").asString()).isEqualTo("Target not allowed");
      assertThat(json(loopback).get("errors").get(0).get("field").asString()).isEqualTo("url");
      problem(
          connect(r, "alpha", "http://localhost:" + inside.port()),
          422,
          "the host 'localhost' resolves to a loopback address");
      problem(connect(r, "alpha", "http://[::ffff:127.0.0.1]:" + inside.port()), 422, "loopback");
      problem(connect(r, "alpha", "http://169.254.169.254"), 422, "cloud metadata");
      problem(connect(r, "alpha", "http://[fd00:ec2::254]"), 422, "cloud metadata");
      problem(connect(r, "alpha", "http://169.254.10.1:3370"), 422, "link-local");
      problem(connect(r, "alpha", "http://[fe80::1]:3370"), 422, "link-local");
      problem(connect(r, "alpha", "http://10.0.0.1:3370"), 422, "a private address");
      problem(connect(r, "alpha", "http://192.168.1.20:3370"), 422, "a private address");
      problem(connect(r, "alpha", "http://0.0.0.0:" + inside.port()), 422, "unspecified");
      problem(connect(r, "alpha", "http://224.0.0.1:3370"), 422, "multicast");
      assertThat(r.ok("/registry/nodes/alpha").get("connected").asBoolean()).isFalse();
      problem(connect(r, "ghost", "http://169.254.169.254"), 403, "ghost");

      // at peer add: the same
      problem(addPeer(r, "up", inside.url(), "provider"), 422, "loopback");
      problem(
          addPeer(r, "meta", "http://169.254.169.254/latest", "provider"), 422, "cloud metadata");
      problem(addPeer(r, "lan", "http://10.0.0.1:3371", "consumer"), 422, "a private address");
      assertThat(r.ok("/registry/peers").size()).isZero();

      // a node and a peer that got in another way (the store, an older version) are not contacted
      // either
      r.registry().connect(new Connect("alpha", inside.url(), null, List.of()));
      r.registry().addPeer(new Peer("sneaky", inside.url(), Peer.Role.PROVIDER, Instant.now()));
      assertThat(r.context.getBean(Prober.class).probeAll()).isEqualTo(1);
      assertThat(r.ok("/registry/nodes/alpha").get("availability").asDouble()).isZero();
      assertThat(sync(r, "sneaky").get("lastError").asString())
          .isEqualTo(
              "not contacted: 127.0.0.1 is a loopback address,"
                  + " which kodo.registry.allowed-targets (public) does not allow; add 'loopback', an IP block or a host pattern to it");
      assertThat(inside.accepted()).as("no connection was opened").isZero();
    }
  }

  @Test
  void aPeersLastErrorNeverHoldsWhatTheRemoteServiceAnswered() throws Exception {
    try (RawServer remote =
            new RawServer(
                (head, body, out) -> {
                  String path =
                      head.substring(
                          head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1));
                  switch (path) {
                    case "/error/registry/export", "/error/registry/import" ->
                        RawServer.answer(out, 500, "text/plain", "database password is " + SECRET);
                    case "/text/registry/export", "/text/registry/import" ->
                        RawServer.answer(out, 200, "text/plain", SECRET + " = hunter2");
                    case "/renamed/registry/export" ->
                        RawServer.answer(
                            out,
                            200,
                            "application/json",
                            "{\"registry\":\"" + SECRET + "\",\"nodes\":[]}");
                    case "/records/registry/export" ->
                        RawServer.answer(
                            out,
                            200,
                            "application/json",
                            "{\"registry\":\"records\",\"nodes\":["
                                + "{\"name\":\""
                                + SECRET
                                + " x\",\"registered\":\"2026-11-27T10:00:00Z\"},"
                                + "{\"name\":\"ok\",\"registered\":\""
                                + SECRET
                                + "\"},"
                                + "{\"name\":\"fine\",\"registered\":\"2026-11-27T10:00:00Z\",\"url\":\"http://"
                                + SECRET
                                + ".example\"}]}");
                    default -> RawServer.answer(out, 404, "text/plain", SECRET);
                  }
                });
        RegistryTestServer r = RegistryTestServer.start("reader", QUIET, NO_PROBES)) {
      for (String p : List.of("error", "text", "renamed", "records")) {
        assertThat(addPeer(r, p, remote.url() + "/" + p, "provider").statusCode()).isEqualTo(201);
      }
      assertThat(addPeer(r, "pusherror", remote.url() + "/error", "consumer").statusCode())
          .isEqualTo(201);
      assertThat(addPeer(r, "pushtext", remote.url() + "/text", "consumer").statusCode())
          .isEqualTo(201);
      assertThat(addPeer(r, "missing", remote.url() + "/missing", "provider").statusCode())
          .isEqualTo(201);

      assertThat(sync(r, "error").get("lastError").asString())
          .isEqualTo("GET /registry/export answered 500 (a server error)");
      assertThat(sync(r, "text").get("lastError").asString())
          .startsWith("GET /registry/export answered 200 but not JSON");
      assertThat(sync(r, "renamed").get("lastError").asString())
          .contains("another registry than 'renamed'");
      JsonNode records = sync(r, "records");
      assertThat(records.get("lastError").asString())
          .startsWith("2 record(s) left out, e.g. nodes[0]");
      assertThat(records.get("nodes").asInt()).isEqualTo(1);
      assertThat(sync(r, "pusherror").get("lastError").asString())
          .isEqualTo("PUT /registry/import answered 500 (a server error)");
      assertThat(sync(r, "pushtext").get("lastError").asString())
          .startsWith("PUT /registry/import answered 200 but not JSON");
      assertThat(sync(r, "missing").get("lastError").asString())
          .startsWith("GET /registry/export answered 404");

      HttpResponse<String> peers = r.get("/registry/peers");
      assertThat(peers.body())
          .doesNotContain(SECRET)
          .doesNotContain("hunter2")
          .doesNotContain("password");
      assertThat(remote.accepted())
          .as("each was reached (and once more when added)")
          .isGreaterThanOrEqualTo(7);
    }
  }

  @Test
  void remoteAnswersAreReadOnlyUpToTheirLimits() throws Exception {
    try (RawServer remote =
            new RawServer(
                (head, body, out) -> {
                  if (head.startsWith("GET /declared/")) {
                    write(
                        out,
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 50000000000\r\n\r\n");
                    Thread.sleep(60_000);
                  } else {
                    write(
                        out,
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
                    byte[] chunk =
                        ("2000\r\n" + " ".repeat(0x2000) + "\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1);
                    while (true) out.write(chunk); // never ends
                  }
                });
        RegistryTestServer r =
            RegistryTestServer.start(
                "bounded", QUIET, NO_PROBES, "--kodo.registry.max-export-size=1MB")) {
      assertThat(addPeer(r, "declared", remote.url() + "/declared", "provider").statusCode())
          .isEqualTo(201);
      assertThat(addPeer(r, "endless", remote.url() + "/endless", "provider").statusCode())
          .isEqualTo(201);
      assertThat(addPeer(r, "answers", remote.url() + "/answers", "consumer").statusCode())
          .isEqualTo(201);
      String cut =
          "the answer is larger than %d bytes, the most the registry reads; it was cut off";
      assertThat(sync(r, "declared").get("lastError").asString())
          .endsWith(cut.formatted(1024 * 1024));
      assertThat(sync(r, "endless").get("lastError").asString())
          .endsWith(cut.formatted(1024 * 1024));
      assertThat(sync(r, "answers").get("lastError").asString())
          .endsWith(cut.formatted(8 * 1024 * 1024));
    }
  }

  private static void write(OutputStream out, String raw) throws IOException {
    out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
  }
}
