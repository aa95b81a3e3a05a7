package dev.kodo.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal keep-alive HTTP/1.1 connection for load generation: one socket, one request at a time,
 * blocking I/O (meant for a virtual thread). Much lighter on the CPU than a general client, so on a
 * 2-core machine the load generator leaves the server most of the machine — for the baseline and
 * the measured figure alike. When the server closes the connection after a response ({@code
 * Connection: close}, as Tomcat does after 100 requests on one connection), the next request opens
 * a new one. Not thread-safe.
 */
final class RawHttp implements AutoCloseable {
  private final String hostName;
  private final int port;
  private final String host;
  private final String authorization;
  private Socket socket;
  private OutputStream out;
  private InputStream in;
  private boolean reopen;

  RawHttp(String host, int port) throws IOException {
    this(host, port, null);
  }

  /**
   * A connection whose every request carries {@code Authorization: Bearer token} (null: no such
   * header), for a service with auth on (docs/security.md).
   */
  RawHttp(String host, int port, String token) throws IOException {
    this.hostName = host;
    this.port = port;
    this.host = host + ":" + port;
    this.authorization = token == null ? "" : "Authorization: Bearer " + token + "\r\n";
    open();
  }

  private void open() throws IOException {
    socket = new Socket(hostName, port);
    socket.setTcpNoDelay(true);
    out = socket.getOutputStream();
    in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    reopen = false;
  }

  /** Sends one request and returns its status and body. */
  Response send(String method, String path, String json) throws IOException {
    if (reopen) {
      socket.close();
      open();
    }
    byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
    StringBuilder head =
        new StringBuilder(method)
            .append(' ')
            .append(path)
            .append(" HTTP/1.1\r\nHost: ")
            .append(host)
            .append("\r\nAccept: application/json\r\nX-Kodo-Client: kodo-bench\r\n")
            .append(authorization);
    if (json != null) {
      head.append("Content-Type: application/json\r\nContent-Length: ")
          .append(body.length)
          .append("\r\n");
    }
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
    return read();
  }

  record Response(int status, String body) {}

  private Response read() throws IOException {
    String status = line();
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    String h;
    while (!(h = line()).isEmpty()) {
      String lower = h.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(h.substring(15).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        reopen = true;
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (chunked) {
      long size;
      while ((size = Long.parseLong(line().trim(), 16)) > 0) {
        body.write(in.readNBytes((int) size));
        line();
      }
      line();
    } else if (length > 0) {
      body.write(in.readNBytes((int) length));
    }
    return new Response(code, body.toString(StandardCharsets.UTF_8));
  }

  private String line() throws IOException {
    StringBuilder s = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') break;
      if (c != '\r') s.append((char) c);
    }
    if (c == -1 && s.isEmpty()) throw new IOException("connection closed by the server");
    return s.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
