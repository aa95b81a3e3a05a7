package dev.kodo.registry.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.kodo.registry.RawServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry's outbound HTTP client against scripted servers on loopback: it frames answers as
 * HTTP/1.1 does, sends the URL's host name, reads no more than it was allowed, keeps to its
 * deadline, and opens no connection to a target that is not allowed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OutboundHttpIT {
  private static final Duration SOON = Duration.ofSeconds(10);
  private final OutboundHttp http =
      new OutboundHttp(AllowedTargets.of(List.of(), "127.0.0.1"), null);

  @AfterEach
  void close() {
    http.close();
  }

  private static String text(RemoteAnswer a) {
    return new String(a.body(), StandardCharsets.UTF_8);
  }

  private static void write(OutputStream out, String raw) throws IOException {
    out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void sendsABearerTokenOnlyWhenGivenAndNeverOneThatCouldAddAHeader() throws Exception {
    try (RawServer server =
        new RawServer((head, body, out) -> RawServer.answer(out, 200, "application/json", "{}"))) {
      assertThat(
              http.send("GET", server.url() + "/with", null, SOON, 100, "abc.DEF-_~+/=").status())
          .isEqualTo(200);
      assertThat(http.send("GET", server.url() + "/without", null, SOON, 100).status())
          .isEqualTo(200);
      assertThat(server.heads().get(0)).contains("\r\nAuthorization: Bearer abc.DEF-_~+/=");
      assertThat(server.heads().get(1)).doesNotContainIgnoringCase("authorization");
      assertThatThrownBy(
              () -> http.send("GET", server.url() + "/x", null, SOON, 100, "t\r\nX-Evil: 1"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(server.heads()).hasSize(2);
    }
  }

  @Test
  void readsBodiesByLengthByChunksAndToTheEndAndSendsTheUrlsHostName() throws Exception {
    try (RawServer server =
        new RawServer(
            (head, body, out) -> {
              if (head.startsWith("GET /length "))
                RawServer.answer(out, 200, "application/json", "{\"a\":1}");
              else if (head.startsWith("PUT /chunks ")) {
                write(
                    out,
                    "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "4;ext=1\r\ngot \r\n"
                        + Integer.toHexString(body.length)
                        + "\r\n"
                        + new String(body, StandardCharsets.UTF_8)
                        + "\r\n0\r\nX-Trailer: 1\r\n\r\n");
              } else write(out, "HTTP/1.0 404 Not Found\r\n\r\nno such thing");
            })) {
      RemoteAnswer byLength = http.send("GET", server.url() + "/length", null, SOON, 1000);
      assertThat(byLength.status()).isEqualTo(200);
      assertThat(text(byLength)).isEqualTo("{\"a\":1}");
      RemoteAnswer chunked =
          http.send(
              "PUT",
              "http://localhost:" + server.port() + "/chunks",
              "{\"b\":2}".getBytes(StandardCharsets.UTF_8),
              SOON,
              1000);
      assertThat(text(chunked)).isEqualTo("got {\"b\":2}");
      RemoteAnswer toEnd = http.send("GET", server.url() + "/other", null, SOON, 1000);
      assertThat(toEnd.status()).isEqualTo(404);
      assertThat(text(toEnd)).isEqualTo("no such thing");
      assertThat(toEnd.statusText())
          .isEqualTo("404 (not found: is the URL a Kodo service's base URL?)");
      RemoteAnswer statusOnly = http.send("GET", server.url() + "/length", null, SOON, 0);
      assertThat(statusOnly.status()).isEqualTo(200);
      assertThat(statusOnly.body()).isEmpty();

      List<String> heads = server.heads();
      assertThat(heads.get(0))
          .startsWith("GET /length HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n")
          .contains("Connection: close\r\n");
      assertThat(heads.get(1))
          .as("the name in the URL, though the connection went to the address it was checked as")
          .startsWith("PUT /chunks HTTP/1.1\r\nHost: localhost:" + server.port() + "\r\n")
          .contains("Content-Type: application/json\r\n")
          .contains("Content-Length: 7\r\n");
    }
  }

  @Test
  void httpsChecksTheCertificateAgainstTheUrlsHostName(@TempDir Path dir) throws Exception {
    Path store = dir.resolve("tls.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "node",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "san=dns:localhost",
                "-validity",
                "2",
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    String keytoolOutput =
        new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor()).as(keytoolOutput).isZero();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(store)) {
      keys.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, "changeit".toCharArray());
    SSLContext serverTls = SSLContext.getInstance("TLS");
    serverTls.init(kmf.getKeyManagers(), null, null);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(keys);
    SSLContext clientTls = SSLContext.getInstance("TLS");
    clientTls.init(null, tmf.getTrustManagers(), null);

    HttpsServer server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
    server.createContext(
        "/api/state",
        exchange -> {
          byte[] b = exchange.getRequestHeaders().getFirst("Host").getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, b.length);
          exchange.getResponseBody().write(b);
          exchange.close();
        });
    server.start();
    try (OutboundHttp tls =
        new OutboundHttp(AllowedTargets.of(List.of(), "127.0.0.1"), clientTls)) {
      int port = server.getAddress().getPort();
      RemoteAnswer a =
          tls.send("GET", "https://localhost:" + port + "/api/state", null, SOON, 1000);
      assertThat(a.status()).isEqualTo(200);
      assertThat(text(a)).isEqualTo("localhost:" + port);
      assertThatThrownBy(
              () -> tls.send("GET", "https://127.0.0.1:" + port + "/api/state", null, SOON, 1000))
          .as("the certificate names localhost, not 127.0.0.1")
          .isInstanceOf(SSLHandshakeException.class);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void redirectsAreNotFollowed() throws Exception {
    try (RawServer elsewhere =
            new RawServer(
                (head, body, out) -> RawServer.answer(out, 200, "text/plain", "followed"));
        RawServer server =
            new RawServer(
                (head, body, out) ->
                    write(
                        out,
                        "HTTP/1.1 302 Found\r\nLocation: "
                            + elsewhere.url()
                            + "/\r\nContent-Length: 0\r\n\r\n"))) {
      RemoteAnswer a = http.send("GET", server.url() + "/api/state", null, SOON, 1000);
      assertThat(a.status()).isEqualTo(302);
      assertThat(a.statusText()).contains("does not follow");
      assertThat(elsewhere.accepted()).isZero();
    }
  }

  @Test
  void answersLargerThanAllowedAreCutOff() throws Exception {
    try (RawServer server =
        new RawServer(
            (head, body, out) -> {
              if (head.startsWith("GET /declared ")) {
                write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100000000000\r\n\r\n");
                Thread.sleep(60_000); // never sends it: the client must not wait for it
              } else if (head.startsWith("GET /chunked ")) {
                write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
                byte[] chunk =
                    ("400\r\n" + "x".repeat(1024) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
                while (true) out.write(chunk); // endless, until the client hangs up
              } else {
                write(out, "HTTP/1.1 200 OK\r\n\r\n");
                byte[] block = new byte[8192];
                while (true) out.write(block);
              }
            })) {
      for (String path : List.of("/declared", "/chunked", "/endless")) {
        assertThatThrownBy(() -> http.send("GET", server.url() + path, null, SOON, 100_000))
            .as(path)
            .isInstanceOf(AnswerTooLargeException.class)
            .hasMessage(
                "the answer is larger than 100000 bytes, the most the registry reads; it was cut off");
      }
    }
  }

  @Test
  void theWholeExchangeEndsAtTheDeadline() throws Exception {
    try (RawServer silent = new RawServer((head, body, out) -> Thread.sleep(60_000));
        RawServer trickling =
            new RawServer(
                (head, body, out) -> {
                  for (byte b :
                      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                          .getBytes(StandardCharsets.ISO_8859_1)) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(200);
                  }
                })) {
      assertThatThrownBy(
              () -> http.send("GET", silent.url() + "/", null, Duration.ofMillis(300), 1000))
          .isInstanceOf(IOException.class)
          .hasMessage("no complete answer within 300 ms");
      assertThatThrownBy(
              () -> http.send("GET", trickling.url() + "/", null, Duration.ofMillis(500), 1000))
          .as("a server sending a byte at a time cannot stretch the exchange")
          .isInstanceOf(IOException.class)
          .hasMessage("no complete answer within 500 ms");
    }
  }

  @Test
  void whatIsNotHttpIsReportedWithoutQuotingIt() throws Exception {
    try (RawServer server =
        new RawServer(
            (head, body, out) -> {
              if (head.startsWith("GET /garbage "))
                write(out, "SECRET-TOKEN-42 not http at all\r\n\r\n");
              else if (head.startsWith("GET /header "))
                write(out, "HTTP/1.1 200 OK\r\nSECRET-TOKEN-42\r\n\r\n");
              else
                write(
                    out,
                    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nSECRET-TOKEN-42\r\n");
            })) {
      for (String path : List.of("/garbage", "/header", "/chunk")) {
        assertThatThrownBy(() -> http.send("GET", server.url() + path, null, SOON, 1000))
            .as(path)
            .isInstanceOf(IOException.class)
            .hasMessageStartingWith("not an HTTP")
            .message()
            .doesNotContain("SECRET");
      }
    }
  }

  @Test
  void targetsThatAreNotAllowedAreNeverConnectedTo() throws Exception {
    try (RawServer server =
            new RawServer(
                (head, body, out) -> RawServer.answer(out, 200, "text/plain", "reached"));
        OutboundHttp strict = new OutboundHttp(AllowedTargets.of(List.of(), "0.0.0.0"), null)) {
      for (String url :
          List.of(
              server.url() + "/api/state",
              "http://localhost:" + server.port() + "/api/state",
              "http://[::ffff:127.0.0.1]:" + server.port() + "/")) {
        assertThatThrownBy(() -> strict.send("GET", url, null, SOON, 1000))
            .as(url)
            .isInstanceOf(TargetRefusedException.class)
            .hasMessageContaining("loopback");
      }
      // refused before any connection: the same check refuses these, none of which may be reached
      // from a test
      for (String url :
          List.of(
              "http://169.254.169.254/latest/meta-data/",
              "http://10.0.0.1:3370/api/state",
              "http://[fe80::1]/",
              "http://192.168.0.1/")) {
        assertThatThrownBy(() -> strict.send("GET", url, null, SOON, 1000))
            .as(url)
            .isInstanceOf(TargetRefusedException.class);
      }
      assertThat(server.accepted()).isZero();
      assertThat(http.send("GET", server.url() + "/api/state", null, SOON, 1000).status())
          .as("the same server, allowed when the registry listens on loopback")
          .isEqualTo(200);
      assertThat(server.accepted()).isEqualTo(1);
    }
  }
}
