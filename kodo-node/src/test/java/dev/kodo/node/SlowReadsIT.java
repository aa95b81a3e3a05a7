package dev.kodo.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Reads that cannot finish, on a node whose store is PostgreSQL (a schema of its own): another
 * session holds the {@code runs} table locked, so every read of it waits. Each request must end
 * with 503 problem+json and {@code Retry-After} — after {@code kodo.store.read-timeout} when its
 * read was stuck, after {@code kodo.store.read-wait} when all read connections were — never hang or
 * answer 500. Before the fix such a request waited as long as the lock was held.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SlowReadsIT {
  private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final String USER = "postgres";
  private static final String SCHEMA =
      "kodo_reads_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static ConfigurableApplicationContext context;
  private static String base;

  @BeforeAll
  static void start() {
    Path data = Path.of("target", "it-data", UUID.randomUUID().toString());
    context =
        NodeApplication.start(
            "--server.port=0",
            "--kodo.data=" + data,
            "--kodo.cluster.name=it-" + UUID.randomUUID(),
            "--kodo.flows=dev.kodo.node.testflows.Flood",
            "--kodo.cleanup.interval=0s",
            "--kodo.store.url=" + URL,
            "--kodo.store.user=" + USER,
            "--kodo.store.schema=" + SCHEMA,
            "--kodo.store.read-timeout=1s",
            "--kodo.store.read-wait=300ms");
    base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
  }

  @AfterAll
  static void stop() throws Exception {
    if (context != null) {
      context.close();
    }
    try (Connection c = DriverManager.getConnection(URL, USER, null);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }
  }

  private static HttpResponse<String> get(String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20)).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static void assertBusy(HttpResponse<String> r, String limit) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(Json.read(r.body()).path("detail").asString())
        .contains("the event store")
        .contains("is busy")
        .contains(limit);
  }

  @Test
  void readsOfALockedTableAnswer503AfterTheReadTimeoutAndAFullPoolAnswers503AfterTheReadWait()
      throws Exception {
    assertThat(get("/api/runs").statusCode()).isEqualTo(200);
    try (Connection locker = DriverManager.getConnection(URL, USER, null);
        Statement s = locker.createStatement()) {
      locker.setAutoCommit(false);
      s.execute("LOCK TABLE " + SCHEMA + ".runs IN ACCESS EXCLUSIVE MODE");

      long t0 = System.nanoTime();
      HttpResponse<String> stuck = get("/api/runs?search=tea");
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertBusy(stuck, "kodo.store.read-timeout");
      assertThat(ms).as("answered after the 1 s read timeout").isGreaterThanOrEqualTo(900);

      List<CompletableFuture<HttpResponse<String>>> holders = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        holders.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return get("/api/runs");
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                },
                r -> Thread.ofVirtual().start(r)));
      }
      Thread.sleep(300);
      assertBusy(get("/api/runs?state=pending"), "kodo.store.read-wait");
      for (var h : holders) {
        assertBusy(h.get(20, TimeUnit.SECONDS), "kodo.store.read-timeout");
      }
      locker.rollback();
    }
    assertThat(get("/api/runs").statusCode()).isEqualTo(200);
    assertThat(get("/api/state").statusCode()).isEqualTo(200);
  }
}
