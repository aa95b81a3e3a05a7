package dev.kodo.bench;

import dev.kodo.client.HttpClients;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Sends requests from many virtual threads against a server on loopback (the node, the registry)
 * and counts them.
 */
final class Load {
  static final HttpClient HTTP = HttpClients.plain();

  private Load() {}

  static HttpRequest post(String url, String json) {
    return HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  static HttpRequest get(String url) {
    return HttpRequest.newBuilder(URI.create(url)).GET().build();
  }

  /** A GET that carries {@code Authorization: Bearer token} (docs/security.md). */
  static HttpRequest get(String url, String token) {
    return HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + token)
        .GET()
        .build();
  }

  static String send(HttpRequest r, int expected) {
    try {
      HttpResponse<String> response = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != expected) {
        throw new IllegalStateException(
            r.uri() + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
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
    return run(base, null, total, concurrency, path, json, expected);
  }

  /**
   * As {@link #run(URI, int, int, String, String, int)}, every request carrying {@code
   * Authorization: Bearer token} (null: none).
   */
  static double run(
      URI base, String token, int total, int concurrency, String path, String json, int expected) {
    return run(base, token, total, concurrency, i -> path, json, expected);
  }

  /**
   * Sends {@code total} POSTs of {@code json}, the {@code i}-th to {@code path.apply(i)}, over
   * {@code concurrency} keep-alive connections; returns the seconds it took. Any other status than
   * {@code expected} fails the load with the server's answer.
   */
  static double run(
      URI base, int total, int concurrency, IntFunction<String> path, String json, int expected) {
    return run(base, null, total, concurrency, path, json, expected);
  }

  private static double run(
      URI base,
      String token,
      int total,
      int concurrency,
      IntFunction<String> path,
      String json,
      int expected) {
    Result r = tally(base, token, total, concurrency, "POST", path, i -> json, expected);
    if (r.failures() > 0) {
      throw new IllegalStateException(
          "the load failed: "
              + r.failures()
              + " of "
              + total
              + " POSTs were not answered "
              + expected
              + "; the first: "
              + r.firstFailure());
    }
    return r.seconds();
  }

  /**
   * What a load did: {@code requests} sent in {@code seconds}, of which {@code failures} were not
   * answered with the expected status (or not answered at all); {@code firstFailure} says what the
   * first of them got, or is null.
   */
  record Result(int requests, double seconds, int failures, String firstFailure) {
    double rate() {
      return requests / seconds;
    }
  }

  /**
   * Sends {@code total} requests, the {@code i}-th {@code method path.apply(i)} with the body
   * {@code json.apply(i)} (null for none), over {@code concurrency} keep-alive connections, and
   * counts the answers that are not {@code expected} instead of stopping at the first: a failed
   * request (an I/O error) counts too, and its client goes on with a new connection.
   */
  static Result tally(
      URI base,
      int total,
      int concurrency,
      String method,
      IntFunction<String> path,
      IntFunction<String> json,
      int expected) {
    return tally(base, null, total, concurrency, method, path, json, expected);
  }

  /**
   * As {@link #tally(URI, int, int, String, IntFunction, IntFunction, int)}, every request carrying
   * {@code Authorization: Bearer token} (null: none).
   */
  static Result tally(
      URI base,
      String token,
      int total,
      int concurrency,
      String method,
      IntFunction<String> path,
      IntFunction<String> json,
      int expected) {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    AtomicReference<String> first = new AtomicReference<>();
    long start = System.nanoTime();
    List<Future<Void>> clients = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < concurrency; c++) {
        clients.add(
            pool.submit(
                () -> {
                  RawHttp http = null;
                  try {
                    int i;
                    while ((i = next.getAndIncrement()) < total) {
                      String target = path.apply(i);
                      String failure;
                      try {
                        if (http == null) http = new RawHttp(base.getHost(), base.getPort(), token);
                        RawHttp.Response r = http.send(method, target, json.apply(i));
                        failure =
                            r.status() == expected
                                ? null
                                : method
                                    + " "
                                    + target
                                    + " answered "
                                    + r.status()
                                    + ": "
                                    + r.body();
                      } catch (IOException e) {
                        failure = method + " " + target + " failed: " + e;
                        close(http);
                        http = null;
                      }
                      if (failure != null) {
                        failures.incrementAndGet();
                        first.compareAndSet(null, failure);
                      }
                    }
                  } finally {
                    close(http);
                  }
                  return null;
                }));
      }
    }
    for (var client : clients) {
      try {
        client.get();
      } catch (ExecutionException e) {
        throw new IllegalStateException(
            "the load failed: " + e.getCause().getMessage(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return new Result(total, (System.nanoTime() - start) / 1e9, failures.get(), first.get());
  }

  private static void close(RawHttp http) {
    if (http == null) return;
    try {
      http.close();
    } catch (IOException e) {
      // the connection is gone either way
    }
  }
}
