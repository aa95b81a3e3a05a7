package dev.kodo.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bench's own SSE reader against a scripted server on 127.0.0.1: the request it sends, the
 * chunked and the plain body, the SSE framing, and the failures it promises (status, gap, repeat, a
 * stream ending inside an event).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SseReaderTest {

  private static final String CHUNKED_200 =
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
  private static final String PLAIN_200 =
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\r\n";

  record Event(long seq, String type, String data) {}

  @Test
  void decodesChunksSplitInAwkwardPlaces() throws Exception {
    // '|' marks the chunk boundaries: mid-line, inside a CRLF, between the two newlines that end a
    // frame, right after a field's colon.
    String body =
        "retry: 2000\n\n: keep-al|ive\n\n"
            + "id: 1\nevent: RunStarted\ndata: {\"seq\"|:1}\n|\n"
            + "id: 2\r|\nevent: StepCompleted\r\ndata: {\"step\":\"a\"}\r\n\r|\n"
            + ": keep-alive\n\n"
            + "id: 3\nevent: Log\ndata:|line one\ndata:  line two\n\n|"
            + "id:4\nevent:RunCompleted\ndata: {\"seq\":4,\"status\":\"SUCCEEDED\"}\n\n";
    List<String> chunks = chunks(body);
    // Every other chunk carries an extension, sizes are hex ("2c", "3e"); the seventh is
    // "line one\ndata:  line two\n\n", 0x1a bytes.
    assertThat(chunks.get(6)).startsWith("1a;foo=bar\r\nline one\n");
    List<String> writes = new ArrayList<>(List.of(CHUNKED_200));
    writes.addAll(chunks);
    writes.add("0\r\n\r\n");
    List<Event> events = new ArrayList<>();
    try (OneShot server = new OneShot(writes.toArray(String[]::new))) {
      long last = SseReader.follow(server.base(), "tok-1", "f-123", sink(events));

      assertThat(last).isEqualTo(4);
      assertThat(events)
          .containsExactly(
              new Event(1, "RunStarted", "{\"seq\":1}"),
              new Event(2, "StepCompleted", "{\"step\":\"a\"}"),
              new Event(3, "Log", "line one\n line two"),
              new Event(4, "RunCompleted", "{\"seq\":4,\"status\":\"SUCCEEDED\"}"));
      String head = server.head();
      assertThat(head).startsWith("GET /api/runs/f-123/stream HTTP/1.1\r\n");
      assertThat(head)
          .contains("\r\nLast-Event-ID: 0\r\n")
          .contains("\r\nAuthorization: Bearer tok-1\r\n")
          .contains("\r\nHost: 127.0.0.1:" + server.port() + "\r\n")
          .contains("\r\nAccept: text/event-stream\r\n");
    }
  }

  @Test
  void readsAPlainBodyUntilTheServerCloses() throws Exception {
    List<Event> events = new ArrayList<>();
    try (OneShot server =
        new OneShot(
            PLAIN_200,
            "id: 1\nevent: RunStarted\ndata: {}\n\n",
            "id: 2\nevent: RunCompleted\ndata: {\"ok\":true}\n\n")) {
      long last = SseReader.follow(server.base(), null, "f-7", sink(events));

      assertThat(last).isEqualTo(2);
      assertThat(events)
          .containsExactly(
              new Event(1, "RunStarted", "{}"), new Event(2, "RunCompleted", "{\"ok\":true}"));
      String head = server.head();
      assertThat(head).startsWith("GET /api/runs/f-7/stream HTTP/1.1\r\n");
      assertThat(head)
          .contains("\r\nLast-Event-ID: 0\r\n")
          .doesNotContainIgnoringCase("authorization");
    }
  }

  @ParameterizedTest(name = "third seq {0}")
  @ValueSource(longs = {4, 2}) // a gap, a repeat
  void failsOnAGapOrARepeat(long third) throws Exception {
    List<Event> events = new ArrayList<>();
    try (OneShot server = new OneShot(PLAIN_200, frames(1, 2, third))) {
      assertThatThrownBy(() -> SseReader.follow(server.base(), null, "f-1", sink(events)))
          .isInstanceOf(IOException.class)
          .hasMessage("stream of f-1 sent seq " + third + " after 2 (a gap or a repeat)");
    }
    assertThat(events).extracting(Event::seq).containsExactly(1L, 2L);
  }

  @Test
  void failsOnAnyOtherStatusWithTheBodyInTheMessage() throws Exception {
    String problem = "{\"type\":\"about:blank\",\"title\":\"No such run\",\"status\":404}";
    List<Event> events = new ArrayList<>();
    try (OneShot server =
        new OneShot(
            "HTTP/1.1 404 Not Found\r\nContent-Type: application/problem+json\r\nContent-Length: "
                + problem.length()
                + "\r\n\r\n"
                + problem)) {
      assertThatThrownBy(() -> SseReader.follow(server.base(), null, "f-9", sink(events)))
          .isInstanceOf(IOException.class)
          .hasMessage("stream of f-9 answered HTTP/1.1 404 Not Found: " + problem)
          .hasMessageContaining("\"title\":\"No such run\"");
    }
    assertThat(events).isEmpty();
  }

  @Test
  void failsWhenThePlainConnectionEndsInsideAnEvent() throws Exception {
    List<Event> events = new ArrayList<>();
    try (OneShot server =
        new OneShot(PLAIN_200, frames(1), "id: 2\nevent: Log\ndata: {\"half\":")) {
      assertThatThrownBy(() -> SseReader.follow(server.base(), null, "f-2", sink(events)))
          .isInstanceOf(IOException.class)
          .hasMessage("stream of f-2 ended inside an event after seq 1");
    }
    assertThat(events).extracting(Event::seq).containsExactly(1L);
  }

  @Test
  void failsWhenTheChunkedBodyEndsInsideAnEvent() throws Exception {
    List<Event> events = new ArrayList<>();
    List<String> writes = new ArrayList<>(List.of(CHUNKED_200));
    writes.addAll(chunks(frames(1) + "|id: 2\nevent: Log\ndata: {}\n"));
    writes.add("0\r\n\r\n");
    try (OneShot server = new OneShot(writes.toArray(String[]::new))) {
      assertThatThrownBy(() -> SseReader.follow(server.base(), null, "f-3", sink(events)))
          .isInstanceOf(IOException.class)
          .hasMessage("stream of f-3 ended inside an event after seq 1");
    }
    assertThat(events).extracting(Event::seq).containsExactly(1L);
  }

  @Test
  void endsAtTheLastChunkThoughTheConnectionStaysOpen() throws Exception {
    // HTTP/1.1 keeps the connection after the last chunk; the body's last line has no newline.
    List<Event> events = new ArrayList<>();
    List<String> writes = new ArrayList<>(List.of(CHUNKED_200));
    writes.addAll(chunks(frames(1, 2) + "|: bye"));
    writes.add("0\r\n\r\n");
    long started = System.nanoTime();
    try (OneShot server = OneShot.keepingOpen(writes.toArray(String[]::new))) {
      assertThat(SseReader.follow(server.base(), null, "f-4", sink(events))).isEqualTo(2);
    }
    assertThat(events).extracting(Event::seq).containsExactly(1L, 2L);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void keepsNonAsciiDataEvenSplitInsideACharacter() throws Exception {
    String body = "id: 1\nevent: Log\ndata: Zürich ✓\n\nid: 2\nevent: Über\ndata: ½ → ∞\n\n";
    // One byte a chunk: every multi-byte character is cut across chunks.
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    wire.writeBytes(CHUNKED_200.getBytes(UTF_8));
    for (byte b : body.getBytes(UTF_8)) {
      wire.writeBytes("1\r\n".getBytes(UTF_8));
      wire.write(b);
      wire.writeBytes("\r\n".getBytes(UTF_8));
    }
    wire.writeBytes("0\r\n\r\n".getBytes(UTF_8));
    List<Event> events = new ArrayList<>();
    try (OneShot server = new OneShot(List.of(wire.toByteArray()))) {
      assertThat(SseReader.follow(server.base(), null, "f-u", sink(events))).isEqualTo(2);
    }
    assertThat(events)
        .containsExactly(new Event(1, "Log", "Zürich ✓"), new Event(2, "Über", "½ → ∞"));
  }

  @Test
  void numberReadsTheWholeNumberAfterTheKey() {
    assertThat(SseReader.number("{\"seq\":42}", "seq", 0)).isEqualTo(42);
    assertThat(SseReader.number("{\"at\":-17,\"x\":1}", "at", 0)).isEqualTo(-17);
    assertThat(SseReader.number("{\"at\":   1712345678901234}", "at", 0))
        .isEqualTo(1712345678901234L);
    assertThat(SseReader.number("{\"ms\":12.5}", "ms", 0)).isEqualTo(12);
    // "subseq" is not "seq".
    assertThat(SseReader.number("{\"subseq\":5,\"seq\":6}", "seq", 0)).isEqualTo(6);

    String json = "{\"seq\":1,\"data\":{\"seq\":99}}";
    assertThat(SseReader.number(json, "seq", 0)).isEqualTo(1);
    assertThat(SseReader.number(json, "seq", json.indexOf("\"data\""))).isEqualTo(99);
  }

  @Test
  void numberFailsWithoutTheKeyOrItsDigits() {
    String json = "{\"seq\":1,\"data\":{}}";
    assertThatThrownBy(() -> SseReader.number(json, "at", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no \"at\":");
    assertThatThrownBy(() -> SseReader.number(json, "seq", 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no \"seq\":");
    for (String noDigits : List.of("{\"seq\":\"x\"}", "{\"seq\":-}", "{\"seq\": }", "{\"seq\":")) {
      assertThatThrownBy(() -> SseReader.number(noDigits, "seq", 0))
          .as(noDigits)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no number after \"seq\":");
    }
  }

  // --- helpers --------------------------------------------------------------------------------

  private static SseReader.Sink sink(List<Event> events) {
    return (seq, type, data) -> events.add(new Event(seq, type, data));
  }

  /** One plain frame per id, in the node's form. */
  private static String frames(long... ids) {
    StringBuilder s = new StringBuilder();
    for (long id : ids) {
      s.append("id: ").append(id).append("\nevent: Log\ndata: {\"n\":").append(id).append("}\n\n");
    }
    return s.toString();
  }

  /** The '|'-separated pieces of {@code marked} as HTTP chunks, every other one with extension. */
  private static List<String> chunks(String marked) {
    List<String> chunks = new ArrayList<>();
    for (String piece : marked.split("\\|", -1)) {
      String size = Integer.toHexString(piece.getBytes(UTF_8).length);
      String extension = chunks.size() % 2 == 0 ? ";foo=bar" : "";
      chunks.add(size + extension + "\r\n" + piece + "\r\n");
    }
    return chunks;
  }

  /**
   * A server on 127.0.0.1 for one connection: it reads the request head, writes the scripted pieces
   * one by one (a flush and a short pause between them, so they tend to arrive in separate reads),
   * and closes.
   */
  private static final class OneShot implements AutoCloseable {
    private final ServerSocket server;
    private final CompletableFuture<String> head = new CompletableFuture<>();
    private final Thread thread;
    private final boolean keepOpen;

    OneShot(String... writes) throws IOException {
      this(List.of(writes).stream().map(w -> w.getBytes(UTF_8)).toList());
    }

    /** A server that, after its writes, keeps the connection open until the reader closes it. */
    static OneShot keepingOpen(String... writes) throws IOException {
      return new OneShot(List.of(writes).stream().map(w -> w.getBytes(UTF_8)).toList(), true);
    }

    OneShot(List<byte[]> writes) throws IOException {
      this(writes, false);
    }

    private OneShot(List<byte[]> writes, boolean keepOpen) throws IOException {
      this.keepOpen = keepOpen;
      server = new ServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
      thread = Thread.ofVirtual().start(() -> serve(writes));
    }

    int port() {
      return server.getLocalPort();
    }

    URI base() {
      return URI.create("http://127.0.0.1:" + port());
    }

    String head() throws Exception {
      return head.get(10, TimeUnit.SECONDS);
    }

    private void serve(List<byte[]> writes) {
      try (Socket socket = server.accept()) {
        socket.setTcpNoDelay(true);
        head.complete(readHead(socket.getInputStream()));
        OutputStream out = socket.getOutputStream();
        for (byte[] write : writes) {
          out.write(write);
          out.flush();
          Thread.sleep(2);
        }
        if (keepOpen) {
          socket.setSoTimeout(20_000);
          socket.getInputStream().read(); // until the reader hangs up (or 20 s: the test fails)
        }
      } catch (Exception e) {
        // The reader may hang up first (a failing test); the head, if read, is already complete.
        head.completeExceptionally(e);
      }
    }

    private static String readHead(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) != -1) {
        head.write(b);
        String s = head.toString(UTF_8);
        if (s.endsWith("\r\n\r\n")) return s;
      }
      throw new IOException("the request ended before its blank line: " + head.toString(UTF_8));
    }

    @Override
    public void close() throws IOException {
      server.close();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
