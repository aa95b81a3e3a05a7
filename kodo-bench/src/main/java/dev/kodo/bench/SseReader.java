package dev.kodo.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * A minimal reader of one run's live stream ({@code GET /api/runs/{fid}/stream}, server-sent
 * events) over a plain socket with blocking I/O, meant for a virtual thread: what {@link RawHttp}
 * is to the bench's POSTs. The fan-out scenario opens 1,000 of them in the node's JVM; through
 * {@link dev.kodo.client.NodeClient#stream} (the JDK's HttpClient, and Jackson for every event) the
 * readers took a third of the window's CPU on 2 cores, away from the node they measure
 * (docs/performance.md, "SSE fan-out"). It decodes the chunked body and the SSE framing itself and
 * hands each event's {@code id}, {@code event} and {@code data} on as they are, and it checks what
 * a stream promises: every seq once, in order, without a gap.
 */
final class SseReader {
  /** Receives each event of the stream. */
  interface Sink {
    void event(long seq, String type, String data);
  }

  private final InputStream in;
  private final byte[] buffer = new byte[16 * 1024];
  private int position;
  private int limit;
  private boolean chunked;
  private long chunkLeft;
  private boolean firstChunk = true;
  private boolean bodyEnded;
  private byte[] line = new byte[512];
  private int lineLength;

  private SseReader(InputStream in) {
    this.in = in;
  }

  /**
   * Follows the stream of run {@code fid} from its start until the node ends it (after the run's
   * terminal event), handing every event to {@code sink}; returns the last seq. {@code token}
   * (null: none) is sent as a bearer token. Fails on any other status than 200, on a connection
   * that ends inside an event, and on a seq that is not the one after the last.
   */
  static long follow(URI base, String token, String fid, Sink sink) throws IOException {
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setTcpNoDelay(true);
      OutputStream out = socket.getOutputStream();
      String request =
          "GET /api/runs/"
              + fid
              + "/stream HTTP/1.1\r\nHost: "
              + base.getHost()
              + ":"
              + base.getPort()
              + "\r\nAccept: text/event-stream\r\nLast-Event-ID: 0\r\nX-Kodo-Client: kodo-bench\r\n"
              + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
              + "\r\n";
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new SseReader(socket.getInputStream()).read(fid, sink);
    }
  }

  private long read(String fid, Sink sink) throws IOException {
    String status = rawLine();
    boolean ok = status.startsWith("HTTP/1.1 200");
    String header;
    while (!(header = rawLine()).isEmpty()) {
      String lower = header.toLowerCase(Locale.ROOT);
      if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
    }
    if (!ok) {
      throw new IOException("stream of " + fid + " answered " + status + ": " + rest());
    }
    long last = 0;
    long id = -1;
    String type = null;
    StringBuilder data = null;
    while (nextLine()) {
      if (lineLength == 0) {
        if (data != null) {
          if (id != last + 1) {
            throw new IOException(
                "stream of " + fid + " sent seq " + id + " after " + last + " (a gap or a repeat)");
          }
          sink.event(id, type, data.toString());
          last = id;
        }
        id = -1;
        type = null;
        data = null;
      } else if (startsWith("data:")) {
        if (data == null) data = new StringBuilder(lineLength);
        else data.append('\n');
        data.append(value(5));
      } else if (startsWith("id:")) {
        String value = value(3);
        try {
          id = Long.parseLong(value);
        } catch (NumberFormatException e) {
          throw new IOException("stream of " + fid + " sent the id '" + value + "'");
        }
      } else if (startsWith("event:")) {
        type = value(6);
      }
    }
    if (data != null) {
      throw new IOException("stream of " + fid + " ended inside an event after seq " + last);
    }
    return last;
  }

  private boolean startsWith(String field) {
    if (lineLength < field.length()) return false;
    for (int i = 0; i < field.length(); i++) {
      if (line[i] != field.charAt(i)) return false;
    }
    return true;
  }

  /** The current line after its field name and the one space that may follow the colon. */
  private String value(int from) {
    if (from < lineLength && line[from] == ' ') from++;
    return new String(line, from, lineLength - from, StandardCharsets.UTF_8);
  }

  /** Reads the next line of the body into {@link #line}; false at the body's end. */
  private boolean nextLine() throws IOException {
    lineLength = 0;
    int b;
    while ((b = bodyByte()) != -1) {
      if (b == '\n') {
        if (lineLength > 0 && line[lineLength - 1] == '\r') lineLength--;
        return true;
      }
      if (lineLength == line.length) line = Arrays.copyOf(line, line.length * 2);
      line[lineLength++] = (byte) b;
    }
    return lineLength > 0;
  }

  /** The next byte of the body, chunked or not; -1 at its end. */
  private int bodyByte() throws IOException {
    if (bodyEnded) return -1;
    if (!chunked) return socketByte();
    if (chunkLeft == 0) {
      if (!firstChunk) rawLine(); // the CRLF after a chunk's data
      firstChunk = false;
      String size = rawLine();
      int semicolon = size.indexOf(';');
      chunkLeft = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
      if (chunkLeft == 0) {
        bodyEnded = true; // the connection may stay open: nothing after the last chunk is read
        return -1;
      }
    }
    chunkLeft--;
    int b = socketByte();
    if (b == -1) throw new IOException("the connection ended inside a chunk");
    return b;
  }

  private int socketByte() throws IOException {
    if (position == limit) {
      limit = in.read(buffer);
      position = 0;
      if (limit <= 0) {
        limit = 0;
        return -1;
      }
    }
    return buffer[position++] & 0xff;
  }

  /** A line of the response outside the body (status, header, chunk size), without its CRLF. */
  private String rawLine() throws IOException {
    StringBuilder s = new StringBuilder();
    int b;
    while ((b = socketByte()) != -1 && b != '\n') {
      if (b != '\r') s.append((char) b);
    }
    if (b == -1 && s.isEmpty()) throw new IOException("the connection ended");
    return s.toString();
  }

  /** What is left of a refusal's body, for its message (up to 4 KB). */
  private String rest() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int b;
    while (body.size() < 4096 && (b = chunked ? bodyByte() : socketByte()) != -1) {
      body.write(b);
    }
    return body.toString(StandardCharsets.UTF_8);
  }

  /**
   * The whole number after {@code "key":} in {@code json}, searched from {@code from}; fails if
   * there is none. Enough for the bench's own stamps ({@link Emitter.Stamp}), without parsing the
   * event.
   */
  static long number(String json, String key, int from) {
    String field = "\"" + key + "\":";
    int at = json.indexOf(field, from);
    if (at < 0) throw new IllegalArgumentException("no " + field + " in " + json);
    int i = at + field.length();
    while (i < json.length() && json.charAt(i) == ' ') i++;
    boolean negative = i < json.length() && json.charAt(i) == '-';
    if (negative) i++;
    long value = 0;
    int digits = 0;
    for (; i < json.length() && json.charAt(i) >= '0' && json.charAt(i) <= '9'; i++, digits++) {
      value = value * 10 + (json.charAt(i) - '0');
    }
    if (digits == 0) throw new IllegalArgumentException("no number after " + field + " in " + json);
    return negative ? -value : value;
  }
}
