package dev.kodo.client;

import java.net.http.HttpClient;
import java.time.Duration;
import javax.net.ssl.SSLParameters;

/**
 * The one set-up of the JDK's HTTP client for Kodo's calls to services it is told of by its own
 * configuration or user (a client to a node or registry, a node to its registries, the bench to
 * what it measures): HTTP/1.1, a bounded connect time, no redirects followed. Request timeouts are
 * set per request by the caller. URLs given by strangers (a registry's federation and probes) go
 * through the registry's SSRF-safe {@code OutboundHttp} instead, never through this. Stateless;
 * thread-safe, as the clients it makes are.
 */
public final class HttpClients {
  /** How long a connection may take to open unless the caller says otherwise. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private HttpClients() {}

  /** A client with the default connect timeout. */
  public static HttpClient plain() {
    return plain(CONNECT_TIMEOUT);
  }

  /** A client whose connections may take at most {@code connectTimeout} to open. */
  public static HttpClient plain(Duration connectTimeout) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        // TLS set up on the first https:// connection, not when the client is built
        .sslContext(new LazyTls())
        .sslParameters(new SSLParameters())
        .build();
  }
}
