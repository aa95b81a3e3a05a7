package dev.kodo.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Sends requests from many virtual threads against the node on loopback and counts them. */
final class Load {
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private Load() {}

  static HttpRequest post(String url, String json) {
    return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build();
  }

  static HttpRequest get(String url) {
    return HttpRequest.newBuilder(URI.create(url)).GET().build();
  }

  static String send(HttpRequest r, int expected) {
    try {
      HttpResponse<String> response = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != expected) {
        throw new IllegalStateException(r.uri() + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(r.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Sends {@code total} POSTs of {@code json} to {@code path} over {@code concurrency} keep-alive
   * connections; returns the seconds it took.
   */
  static double run(URI base, int total, int concurrency, String path, String json, int expected) {
    return run(base, total, concurrency, i -> path, json, expected);
  }

  /**
   * Sends {@code total} POSTs of {@code json}, the {@code i}-th to {@code path.apply(i)}, over
   * {@code concurrency} keep-alive connections; returns the seconds it took. Any other status than
   * {@code expected} fails the load with the server's answer.
   */
  static double run(URI base, int total, int concurrency, java.util.function.IntFunction<String> path, String json,
      int expected) {
    AtomicInteger next = new AtomicInteger();
    long start = System.nanoTime();
    java.util.List<java.util.concurrent.Future<Void>> clients = new java.util.ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < concurrency; c++) {
        clients.add(pool.submit(() -> {
          try (RawHttp http = new RawHttp(base.getHost(), base.getPort())) {
            int i;
            while ((i = next.getAndIncrement()) < total) {
              String target = path.apply(i);
              RawHttp.Response r = http.send("POST", target, json);
              if (r.status() != expected) {
                throw new IllegalStateException("POST " + target + " answered " + r.status() + ": " + r.body());
              }
            }
          }
          return null;
        }));
      }
    }
    for (var client : clients) {
      try {
        client.get();
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("the load failed: " + e.getCause().getMessage(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return (System.nanoTime() - start) / 1e9;
  }
}
