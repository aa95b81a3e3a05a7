package dev.kodo.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What {@link RegistryClient} sends and how it reads answers, against a loopback server; the client
 * against a real registry is {@code RegistryClientIT} in kodo-cli.
 */
class RegistryClientTest {

  @Test
  void listOptionsBecomeTheQueryStringWithWhatIsSet() {
    assertThat(ListOptions.all().toQueryString()).isEmpty();
    assertThat(ListOptions.all().withSearch("  ").withQuery("").withBy(null).toQueryString())
        .isEmpty();
    assertThat(
            ListOptions.all()
                .withSearch("mark*")
                .withQuery("tags contains \"a&b\"")
                .withPage(2)
                .withPerPage(10)
                .withBy("name desc")
                .toQueryString())
        .isEqualTo("?search=mark*&query=tags%20contains%20%22a%26b%22&p=2&pp=10&by=name%20desc");
  }

  @Test
  void listOptionsRefuseANegativePageOrAnEmptyOne() {
    assertThatThrownBy(() -> ListOptions.all().withPage(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("page must be 0 or more, not -1");
    assertThatThrownBy(() -> ListOptions.all().withPerPage(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("items per page must be 1 or more, not 0");
  }

  @Test
  void aUrlThatIsNoRegistryUrlIsRefusedNamingIt() {
    assertThatThrownBy(() -> RegistryClient.connect("ftp://127.0.0.1:3371"))
        .isInstanceOf(KodoException.class)
        .hasMessageContaining("'ftp://127.0.0.1:3371' is not a registry URL");
    assertThatThrownBy(() -> RegistryClient.connect(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("registry url");
    assertThat(RegistryClient.connect("http://127.0.0.1:3371//").url())
        .hasToString("http://127.0.0.1:3371");
  }

  @Test
  void aRegistryThatIsNotThereIsARetryableErrorThatSaysSo() throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }

    KodoException e =
        catchThrowableOfType(
            KodoException.class, () -> RegistryClient.connect("http://127.0.0.1:" + port).state());

    assertThat(e.retryable()).isTrue();
    assertThat(e)
        .hasMessage(
            "no registry answers at http://127.0.0.1:" + port + " (is `koco registry` running?)");
  }

  @Test
  void requestsGoUnderThePathPrefixWithEncodedNamesAndProblemsBecomeNodeExceptions()
      throws IOException {
    List<String> requests = new ArrayList<>();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        x -> {
          String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          synchronized (requests) {
            requests.add(
                x.getRequestMethod()
                    + " "
                    + x.getRequestURI().getRawPath()
                    + (x.getRequestURI().getRawQuery() == null
                        ? ""
                        : "?" + x.getRequestURI().getRawQuery())
                    + (body.isEmpty() ? "" : " " + body));
          }
          int status =
              x.getRequestMethod().equals("DELETE")
                  ? 404
                  : x.getRequestMethod().equals("POST") ? 201 : 200;
          String answer =
              switch (x.getRequestMethod()) {
                case "DELETE" ->
                    "{\"title\":\"Node not found\",\"status\":404,\"detail\":\"no node 'a b' in this registry\"}";
                case "POST" ->
                    "{\"name\":\"a b\",\"online\":false,\"connected\":false,\"hidden\":false,\"flows\":0,\"somethingNew\":1}";
                default ->
                    "{\"total\":1,\"filtered\":1,\"p\":0,\"pp\":100,\"items\":[{\"node\":\"a b\",\"path\":\"x.yaml\",\"online\":true,\"hidden\":false,"
                        + "\"heartbeat\":\"2026-11-27T11:12:13.456Z\",\"availability\":0.5}]}";
              };
          byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
          x.getResponseHeaders()
              .set("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
          x.sendResponseHeaders(status, bytes.length);
          try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
    try {
      RegistryClient registry =
          RegistryClient.connect("http://127.0.0.1:" + server.getAddress().getPort() + "/kodo");

      Page<RegistryFlow> flows = registry.flows(ListOptions.all().withSearch("x"));
      assertThat(flows.items().getFirst().heartbeat()).hasToString("2026-11-27T11:12:13.456Z");
      assertThat(flows.items().getFirst().availability()).isEqualTo(0.5);
      assertThat(registry.register("a b").name()).isEqualTo("a b");
      NodeException e = catchThrowableOfType(NodeException.class, () -> registry.unregister("a b"));
      assertThat(e.status()).isEqualTo(404);
      assertThat(e.problem().detail()).isEqualTo("no node 'a b' in this registry");

      synchronized (requests) {
        assertThat(requests).hasSize(3);
        assertThat(requests.get(0)).isEqualTo("GET /kodo/registry/flows?search=x");
        assertThat(requests.get(1)).startsWith("POST /kodo/registry/register ");
        assertThat(Json.read(requests.get(1).substring("POST /kodo/registry/register ".length())))
            .isEqualTo(Json.read("{\"node\":\"a b\"}"));
        assertThat(requests.get(2)).isEqualTo("DELETE /kodo/registry/register/a%20b");
      }
    } finally {
      server.stop(0);
    }
  }

  @Test
  void peersAreListedAddedSyncedAndRemovedWithEncodedNames() throws IOException {
    List<String> requests = new ArrayList<>();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        x -> {
          String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String line =
              x.getRequestMethod()
                  + " "
                  + x.getRequestURI().getRawPath()
                  + (body.isEmpty() ? "" : " " + body);
          synchronized (requests) {
            requests.add(line);
          }
          String us =
              "{\"name\":\"us\",\"url\":\"http://us:3371\",\"role\":\"provider\",\"added\":\"2026-11-27T10:00:00Z\","
                  + "\"lastSync\":\"2026-11-27T10:00:05.250Z\",\"lastError\":null,\"nodes\":12,\"rejected\":0}";
          String lab =
              "{\"name\":\"lab\",\"url\":null,\"role\":\"contributor\",\"added\":\"2026-11-27T10:01:00Z\","
                  + "\"lastSync\":null,\"lastError\":null,\"nodes\":0,\"rejected\":0,\"somethingNew\":true}";
          String hq =
              "{\"name\":\"h q\",\"url\":\"http://hq:3371\",\"role\":\"consumer\",\"added\":\"2026-11-27T10:02:00Z\","
                  + "\"lastSync\":null,\"lastError\":\"it does not take this registry's pushes\",\"nodes\":0,\"rejected\":0}";
          int status = 200;
          String answer;
          if (line.startsWith("GET ")) {
            answer = "[" + us + "," + lab + "]";
          } else if (line.startsWith("POST /kodo/registry/peers ")) {
            status = 201;
            answer = lab;
          } else if (line.startsWith("POST ")) {
            answer = hq;
          } else {
            status = 404;
            answer = "{\"title\":\"Peer not found\",\"status\":404,\"detail\":\"no peer 'h q'\"}";
          }
          byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
          x.getResponseHeaders()
              .set("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
          x.sendResponseHeaders(status, bytes.length);
          try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
    try {
      RegistryClient registry =
          RegistryClient.connect("http://127.0.0.1:" + server.getAddress().getPort() + "/kodo");

      List<RegistryPeer> peers = registry.peers();
      assertThat(peers).extracting(RegistryPeer::name).containsExactly("us", "lab");
      RegistryPeer us = peers.getFirst();
      assertThat(us.role()).isEqualTo("provider");
      assertThat(us.lastSync()).isEqualTo(Instant.parse("2026-11-27T10:00:05.250Z"));
      assertThat(us.nodes()).isEqualTo(12);
      assertThat(us.failed()).isFalse();
      assertThat(peers.get(1).url()).isNull();
      assertThat(peers.get(1).lastSync()).isNull();

      assertThat(registry.addPeer("lab", null, "contributor").role()).isEqualTo("contributor");
      registry.addPeer("lab", "http://lab:3371", "provider");
      RegistryPeer synced = registry.syncPeer("h q");
      assertThat(synced.failed()).isTrue();
      assertThat(synced.lastError()).isEqualTo("it does not take this registry's pushes");
      NodeException e = catchThrowableOfType(NodeException.class, () -> registry.removePeer("h q"));
      assertThat(e.status()).isEqualTo(404);
      assertThat(e.problem().detail()).isEqualTo("no peer 'h q'");
      assertThatThrownBy(() -> registry.addPeer("x", null, " "))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("role");

      synchronized (requests) {
        assertThat(requests).hasSize(5);
        assertThat(requests.get(0)).isEqualTo("GET /kodo/registry/peers");
        assertThat(Json.read(requests.get(1).substring("POST /kodo/registry/peers ".length())))
            .as("no url for a contributor added without one")
            .isEqualTo(Json.read("{\"name\":\"lab\",\"role\":\"contributor\"}"));
        assertThat(Json.read(requests.get(2).substring("POST /kodo/registry/peers ".length())))
            .isEqualTo(
                Json.read("{\"name\":\"lab\",\"url\":\"http://lab:3371\",\"role\":\"provider\"}"));
        assertThat(requests.get(3)).isEqualTo("POST /kodo/registry/peers/h%20q/sync");
        assertThat(requests.get(4)).isEqualTo("DELETE /kodo/registry/peers/h%20q");
      }
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aSyncThatLeftRecordsOutTookTheRestAndIsNoFailure() {
    RegistryPeer partial =
        new RegistryPeer(
            "us",
            "http://us:3371",
            "provider",
            Instant.EPOCH,
            Instant.EPOCH,
            "2 record(s) left out, e.g. nodes[1]: registered cannot be null",
            10,
            2);
    RegistryPeer down =
        new RegistryPeer(
            "us",
            "http://us:3371",
            "provider",
            Instant.EPOCH,
            Instant.EPOCH,
            "ConnectException",
            10,
            0);

    assertThat(partial.failed()).isFalse();
    assertThat(down.failed()).isTrue();
  }
}
