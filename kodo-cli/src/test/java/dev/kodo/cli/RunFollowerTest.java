package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kodo.client.KodoException;
import dev.kodo.client.NodeClient;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How {@code follow} copes with streams that end too early, against a scripted node on loopback.
 */
class RunFollowerTest {
  private static final String PROGRESS =
      "{\"fid\":\"f1\",\"seq\":%d,\"ts\":\"2026-11-27T11:12:13.456Z\",\"kind\":\"process\","
          + "\"type\":\"progress\",\"data\":{\"value\":0.%d,\"message\":\"step %d\"}}";
  private static final String FINAL =
      "{\"fid\":\"f1\",\"seq\":%d,\"ts\":\"2026-11-27T11:12:13.456Z\",\"kind\":\"process\","
          + "\"type\":\"final\",\"data\":{\"result\":{\"format\":\"markdown\",\"body\":\"# done\"},\"runtime\":1.0}}";
  private static final String FATAL =
      "{\"fid\":\"f1\",\"seq\":%d,\"ts\":\"2026-11-27T11:12:13.456Z\",\"kind\":\"process\","
          + "\"type\":\"fatal\",\"data\":{\"reason\":\"exception\",\"message\":\"boom\"}}";

  private final List<String> streamRequests = new CopyOnWriteArrayList<>();
  private final StringWriter out = new StringWriter();
  private final EventRenderer renderer =
      new EventRenderer(new PrintWriter(out), ZoneOffset.UTC, false, Style.PLAIN);
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  /**
   * A node whose stream answers {@code streams.apply(n)} to the n-th request (from 1), and whose
   * run has {@code state}.
   */
  private NodeClient node(IntFunction<String> streams, String state, String events)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/runs/f1/stream",
        exchange -> {
          streamRequests.add(exchange.getRequestHeaders().getFirst("Last-Event-ID"));
          exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
          send(exchange, 200, streams.apply(streamRequests.size()));
        });
    server.createContext("/api/runs/f1/events", exchange -> send(exchange, 200, events));
    server.createContext(
        "/api/runs/f1",
        exchange ->
            send(
                exchange,
                200,
                "{\"fid\":\"f1\",\"flow\":\"x.Y\",\"state\":\""
                    + state
                    + "\",\"events\":3,\"acknowledged\":false}"));
    server.start();
    return NodeClient.connect("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream o = exchange.getResponseBody()) {
      o.write(bytes);
    }
  }

  private static String sse(String... events) {
    StringBuilder s = new StringBuilder("retry: 2000\n\n");
    for (String e : events) {
      s.append("data: ").append(e).append("\n\n");
    }
    return s.toString();
  }

  @Test
  void aStreamThatEndsEarlyIsResumedAfterTheLastEventSeen() throws Exception {
    NodeClient node =
        node(
            n ->
                n == 1
                    ? sse(PROGRESS.formatted(1, 1, 1), PROGRESS.formatted(2, 2, 2))
                    : sse(FINAL.formatted(3)),
            "pending",
            "");

    int exit = RunFollower.follow(node, "f1", 0, renderer, Duration.ZERO);

    assertThat(exit).isEqualTo(Exit.OK);
    assertThat(streamRequests).containsExactly("0", "2");
    assertThat(out.toString())
        .containsOnlyOnce("step 1")
        .containsOnlyOnce("step 2")
        .contains("final", "# done");
  }

  @Test
  void eventsOfAFinishedRunThatTheStreamDidNotDeliverAreReadFromTheLog() throws Exception {
    NodeClient node =
        node(
            n -> sse(PROGRESS.formatted(1, 1, 1), PROGRESS.formatted(2, 2, 2)),
            "error",
            "{\"fid\":\"f1\",\"items\":[" + FATAL.formatted(3) + "],\"last\":3,\"more\":false}");

    int exit = RunFollower.follow(node, "f1", 0, renderer, Duration.ZERO);

    assertThat(exit).isEqualTo(Exit.FAILED);
    assertThat(streamRequests).hasSize(1);
    assertThat(out.toString()).contains("step 2").contains("fatal         boom");
  }

  @Test
  void aStreamThatNeverGetsFurtherGivesUpWithTheResumeCommand() throws Exception {
    NodeClient node = node(n -> sse(), "pending", "");

    assertThatThrownBy(() -> RunFollower.follow(node, "f1", 4, renderer, Duration.ZERO))
        .isInstanceOf(KodoException.class)
        .hasMessageContaining("koco follow f1 --after 4");
    assertThat(streamRequests).hasSize(6).allMatch("4"::equals);
  }
}
