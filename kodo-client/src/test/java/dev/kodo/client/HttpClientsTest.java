package dev.kodo.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class HttpClientsTest {

  @Test
  void speaksHttp11WithABoundedConnectTime() {
    HttpClient http = HttpClients.plain();
    assertThat(http.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(http.connectTimeout()).contains(HttpClients.CONNECT_TIMEOUT);
    assertThat(HttpClients.plain(Duration.ofSeconds(2)).connectTimeout())
        .contains(Duration.ofSeconds(2));
  }

  @Test
  void doesNotFollowARedirectElsewhere() throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        x -> {
          x.getResponseHeaders().add("Location", "http://127.0.0.1:1/elsewhere");
          x.sendResponseHeaders(302, -1);
          x.close();
        });
    server.start();
    try {
      URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
      HttpResponse<Void> r =
          HttpClients.plain()
              .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding());
      assertThat(r.statusCode()).as("the redirect is the answer, not followed").isEqualTo(302);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void setsUpTlsOnlyForAnHttpsConnectionAndStillSpeaksIt() throws Exception {
    HttpClient http = HttpClients.plain();
    assertThat(http.sslContext()).isInstanceOf(LazyTls.class);
    // an https:// URL gets a TLS handshake: a peer that answers in plain text fails it
    try (ServerSocket plain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual()
          .start(
              () -> {
                try (Socket s = plain.accept()) {
                  s.getOutputStream()
                      .write("HTTP/1.1 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                  s.getInputStream().readNBytes(1);
                } catch (IOException ignored) {
                  // the client hung up
                }
              });
      URI uri = URI.create("https://127.0.0.1:" + plain.getLocalPort() + "/");
      assertThatThrownBy(
              () ->
                  http.send(
                      HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                      HttpResponse.BodyHandlers.discarding()))
          .isInstanceOf(IOException.class)
          .satisfies(
              e -> {
                Throwable t = e;
                while (t != null && !(t instanceof javax.net.ssl.SSLException)) t = t.getCause();
                assertThat(t).as("an SSLException in %s", e).isNotNull();
              });
    }
    // and the context behind it is the JVM's default
    assertThat(http.sslContext().getDefaultSSLParameters().getProtocols())
        .isEqualTo(SSLContext.getDefault().getDefaultSSLParameters().getProtocols());
  }
}
