package dev.kodo.client;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import javax.net.ssl.SSLParameters;

/**
 * The one set-up of the JDK's HTTP client for Kodo's calls to services it is told of by its own
 * configuration or user (a client to a node or registry, a node to its registries, the bench to
 * what it measures): HTTP/1.1, a bounded connect time, no redirects followed. Request timeouts are
 * set per request by the caller. URLs given by strangers (a registry's federation and probes) go
 * through the registry's SSRF-safe {@code OutboundHttp} instead, never through this. Thread-safe,
 * as the clients it makes are.
 */
public final class HttpClients {
  /** How long a connection may take to open unless the caller says otherwise. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** The clients {@link #plain} made that are still in use, for {@link #closeAll}. */
  private static final Set<HttpClient> MADE =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private HttpClients() {}

  /**
   * Closes every client this class made that is still in use, waiting at most {@code wait} in all
   * for their threads to end. For a process about to exit, such as {@code koco}: the JVM's exit
   * waits up to 300 ms for a thread blocked in native code, as each client's selector thread is
   * (docs/performance.md#koco-flows).
   */
  public static void closeAll(Duration wait) {
    List<HttpClient> open;
    synchronized (MADE) {
      open = new ArrayList<>(MADE);
    }
    open.forEach(HttpClient::shutdownNow);
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      for (HttpClient c : open) {
        c.awaitTermination(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A client with the default connect timeout. */
  public static HttpClient plain() {
    return plain(CONNECT_TIMEOUT);
  }

  /** A client whose connections may take at most {@code connectTimeout} to open. */
  public static HttpClient plain(Duration connectTimeout) {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            // TLS set up on the first https:// connection, not when the client is built
            .sslContext(new LazyTls())
            .sslParameters(new SSLParameters())
            .build();
    MADE.add(client);
    return client;
  }
}
