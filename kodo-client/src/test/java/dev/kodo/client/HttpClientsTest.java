package dev.kodo.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
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
  void closeAllEndsEveryClientItMadeAndLaterOnesWork() throws Exception {
    // koco calls it before exiting: an open client's selector thread, blocked in native code,
    // holds the JVM's exit up for 300 ms.
    HttpClient first = HttpClients.plain();
    HttpClient second = HttpClients.plain(Duration.ofSeconds(2));
    HttpClients.closeAll(Duration.ofSeconds(10));
    assertThat(first.isTerminated()).isTrue();
    assertThat(second.isTerminated()).isTrue();
    assertThat(HttpClients.plain().isTerminated()).isFalse();
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
  void setsUpTlsOnlyWhenAConnectionNeedsItWithTheJvmsDefaults() throws Exception {
    HttpClient http = HttpClients.plain();
    assertThat(http.sslContext()).isInstanceOf(LazyTls.class);
    // what an https:// connection asks of it is the JVM's default context's
    SSLContext tls = http.sslContext();
    SSLContext jvm = SSLContext.getDefault();
    assertThat(tls.getDefaultSSLParameters().getProtocols())
        .isEqualTo(jvm.getDefaultSSLParameters().getProtocols());
    assertThat(tls.getDefaultSSLParameters().getCipherSuites())
        .isEqualTo(jvm.getDefaultSSLParameters().getCipherSuites());
    SSLEngine engine = tls.createSSLEngine("example.test", 443);
    assertThat(engine.getPeerHost()).isEqualTo("example.test");
    assertThat(engine.getEnabledProtocols()).isNotEmpty();
    assertThat(tls.getClientSessionContext()).isSameAs(jvm.getClientSessionContext());
    assertThatThrownBy(() -> tls.init(null, null, null))
        .isInstanceOf(java.security.KeyManagementException.class);
  }
}
