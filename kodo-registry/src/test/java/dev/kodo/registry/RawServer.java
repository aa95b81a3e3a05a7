package dev.kodo.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback TCP server that answers each connection as a test scripts it, byte for byte: what a
 * misbehaving node or peer would send (endless bodies, huge declared lengths, secrets). It counts
 * the connections it accepted and keeps each request's head, so a test can prove that no connection
 * was made.
 */
public final class RawServer implements AutoCloseable {
  /** Writes the answer to one request, given its head and its body (read by its Content-Length). */
  @FunctionalInterface
  public interface Answer {
    void write(String requestHead, byte[] body, OutputStream out)
        throws IOException, InterruptedException;
  }

  private final ServerSocket socket;
  private final AtomicInteger accepted = new AtomicInteger();
  private final List<String> heads = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  public RawServer(Answer answer) throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor =
        Thread.ofVirtual()
            .start(
                () -> {
                  while (!socket.isClosed()) {
                    try {
                      Socket s = socket.accept();
                      accepted.incrementAndGet();
                      Thread.ofVirtual().start(() -> serve(s, answer));
                    } catch (IOException e) {
                      return;
                    }
                  }
                });
  }

  private void serve(Socket s, Answer answer) {
    try (s) {
      InputStream in = s.getInputStream();
      String head = head(in);
      heads.add(head);
      Matcher length = Pattern.compile("(?i)\r\nContent-Length: *([0-9]+)").matcher(head);
      byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : new byte[0];
      answer.write(head, body, s.getOutputStream());
      s.getOutputStream().flush();
    } catch (IOException | InterruptedException e) {
      // the client went away: what the tests want to see
    }
  }

  private static String head(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int last = 0;
    while (last != 0x0d0a0d0a) {
      int c = in.read();
      if (c < 0) break;
      b.write(c);
      last = (last << 8) | c;
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  /** Writes a complete answer with a Content-Length. */
  public static void answer(OutputStream out, int status, String contentType, String body)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    out.write(
        ("HTTP/1.1 "
                + status
                + " X\r\nContent-Type: "
                + contentType
                + "\r\nContent-Length: "
                + b.length
                + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    out.write(b);
  }

  /** The base URL on 127.0.0.1. */
  public String url() {
    return "http://127.0.0.1:" + socket.getLocalPort();
  }

  public int port() {
    return socket.getLocalPort();
  }

  /** How many connections were accepted. */
  public int accepted() {
    return accepted.get();
  }

  /** The heads of the requests received, in order. */
  public List<String> heads() {
    return List.copyOf(heads);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
