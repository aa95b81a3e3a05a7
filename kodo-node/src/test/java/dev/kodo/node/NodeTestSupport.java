package dev.kodo.node;

import dev.kodo.client.Event;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Small HTTP helpers shared by the node's integration tests. */
final class NodeTestSupport {
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  private NodeTestSupport() {}

  static HttpResponse<String> get(String base, String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
  }

  static HttpResponse<String> post(String base, String path, String contentType, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new RuntimeException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeException(e);
    }
  }

  /** Asserts the seqs of a run's events are exactly from..to, in order. */
  static List<Long> seqs(List<Event> events) {
    List<Long> out = new ArrayList<>();
    for (Event e : events) out.add(e.seq());
    return out;
  }

  /**
   * Polls {@code probe} until it answers something (not null), for at most 30 s; fails naming
   * {@code what}.
   */
  static <T> T await(String what, Supplier<T> probe) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (Instant.now().isBefore(deadline)) {
      T t = probe.get();
      if (t != null) return t;
      Thread.sleep(100);
    }
    throw new AssertionError("timed out waiting for " + what);
  }
}
