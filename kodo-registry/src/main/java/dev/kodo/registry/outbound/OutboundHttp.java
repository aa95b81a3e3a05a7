package dev.kodo.registry.outbound;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The registry's requests to URLs it was given — probes of nodes, pulls from and pushes to peers —
 * safe against server-side request forgery: the host is resolved once, every address checked
 * against {@link AllowedTargets}, and the connection opened to a checked address, so a DNS answer
 * that changes between the check and the connection cannot send it elsewhere. The request still
 * carries the URL's host name ({@code Host} header, TLS server name and certificate check), so
 * virtual hosts and certificates work as with any client.
 *
 * <p>The JDK's {@code java.net.http.HttpClient} cannot do this: it resolves host names itself, has
 * no per-client resolver, and refuses a {@code Host} header of the caller's unless a JVM-wide
 * system property allows it (see docs/decisions.md). This is a small HTTP/1.1 client over a socket
 * instead: one request per connection ({@code Connection: close}), no redirects followed, bodies by
 * {@code Content-Length}, chunks or until the end, every answer read up to a limit, and the whole
 * exchange — lookup, connect, TLS, request and answer — bounded by one deadline, past which the
 * socket is closed.
 *
 * <p>Thread-safe: each call uses its own socket. {@link #close()} stops the deadline timer.
 */
public final class OutboundHttp implements AutoCloseable {
  private static final int MAX_LINE = 8 * 1024;
  private static final int MAX_HEAD = 64 * 1024;
  private static final int MAX_INTERIM = 10;

  private final AllowedTargets targets;
  private final SSLSocketFactory tls;
  private final ScheduledExecutorService deadlines =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("kodo-registry-outbound-deadlines").unstarted(r));

  /**
   * @param targets where requests may go
   * @param tls the TLS set-up for https URLs (trust store, protocols); the JVM's default when null
   */
  public OutboundHttp(AllowedTargets targets, SSLContext tls) {
    this.targets = targets;
    try {
      this.tls = (tls == null ? SSLContext.getDefault() : tls).getSocketFactory();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no TLS in this JVM", e);
    }
  }

  /** Where requests may go. */
  public AllowedTargets targets() {
    return targets;
  }

  /**
   * Sends one request and reads the answer.
   *
   * @param method GET, PUT, …
   * @param url an absolute http(s) URL without user info (as {@code Texts.httpUrl} accepts)
   * @param json a JSON body, or null for none
   * @param within the deadline for the whole exchange
   * @param maxBody the most bytes of the answer's body to read; 0 reads none (a probe wants the
   *     status only)
   * @throws TargetRefusedException (field {@code url}) if the URL's host is not an allowed target;
   *     no connection was opened
   * @throws AnswerTooLargeException if the body is longer than {@code maxBody}
   * @throws IOException if the host does not resolve, the connection fails, the answer is not HTTP
   *     or does not end within {@code within}; the message never quotes the answer
   */
  public RemoteAnswer send(String method, String url, byte[] json, Duration within, long maxBody)
      throws IOException {
    return send(method, url, json, within, maxBody, null);
  }

  /**
   * Sends one request with {@code Authorization: Bearer {bearer}} and reads the answer; as {@link
   * #send(String, String, byte[], Duration, long)} otherwise. Only for URLs an operator chose
   * (peers): a token never goes to a URL a node announced (docs/security.md).
   *
   * @param bearer the access token to send, or null for none
   * @throws IllegalArgumentException if {@code bearer} holds characters a header cannot carry
   */
  public RemoteAnswer send(
      String method, String url, byte[] json, Duration within, long maxBody, String bearer)
      throws IOException {
    if (bearer != null && !bearer.matches("[A-Za-z0-9._~+/=-]+")) {
      throw new IllegalArgumentException("a bearer token may hold only token68 characters");
    }
    long deadline = System.nanoTime() + within.toNanos();
    URI uri = URI.create(url);
    boolean https = "https".equalsIgnoreCase(uri.getScheme());
    int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
    String host = AllowedTargets.host(uri, "url");
    List<InetAddress> addresses = targets.addresses(host, "url", left(deadline));
    Socket socket = connect(addresses, port, deadline, within);
    AtomicBoolean expired = new AtomicBoolean();
    ScheduledFuture<?> watchdog =
        deadlines.schedule(
            () -> {
              expired.set(true);
              closeQuietly(socket);
            },
            Math.max(1, left(deadline).toMillis()),
            TimeUnit.MILLISECONDS);
    try {
      Socket s = https ? secure(socket, host, port) : socket;
      write(s.getOutputStream(), method, uri, json, bearer);
      return read(new BufferedInputStream(s.getInputStream(), 8192), method, maxBody);
    } catch (IOException e) {
      if (expired.get())
        throw new IOException("no complete answer within " + within.toMillis() + " ms");
      throw e;
    } finally {
      watchdog.cancel(false);
      closeQuietly(socket);
    }
  }

  private static Socket connect(
      List<InetAddress> addresses, int port, long deadline, Duration within) throws IOException {
    IOException last = null;
    for (InetAddress a : addresses) {
      long millis = left(deadline).toMillis();
      if (millis <= 0) break;
      Socket socket = new Socket();
      try {
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(a, port), (int) Math.min(Integer.MAX_VALUE, millis));
        return socket;
      } catch (IOException e) {
        closeQuietly(socket);
        last = e;
      }
    }
    if (last == null) throw new IOException("no connection within " + within.toMillis() + " ms");
    throw last;
  }

  /**
   * TLS over the connected socket, for the URL's host name: its server name is sent and its
   * certificate checked.
   */
  private Socket secure(Socket socket, String host, int port) throws IOException {
    SSLSocket ssl = (SSLSocket) tls.createSocket(socket, host, port, true);
    SSLParameters p = ssl.getSSLParameters();
    p.setEndpointIdentificationAlgorithm("HTTPS");
    if (Cidr.literal(host) == null) p.setServerNames(List.of(new SNIHostName(host)));
    ssl.setSSLParameters(p);
    ssl.startHandshake();
    return ssl;
  }

  private static void write(OutputStream raw, String method, URI uri, byte[] json, String bearer)
      throws IOException {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    StringBuilder head =
        new StringBuilder(256)
            .append(method)
            .append(' ')
            .append(path)
            .append(" HTTP/1.1\r\n")
            .append("Host: ")
            .append(uri.getRawAuthority())
            .append("\r\n")
            .append("User-Agent: kodo-registry\r\n")
            .append("Accept: application/json\r\n")
            .append("Connection: close\r\n");
    if (bearer != null) head.append("Authorization: Bearer ").append(bearer).append("\r\n");
    if (json != null) {
      head.append("Content-Type: application/json\r\n")
          .append("Content-Length: ")
          .append(json.length)
          .append("\r\n");
    }
    head.append("\r\n");
    OutputStream out = new BufferedOutputStream(raw, 16 * 1024);
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (json != null) out.write(json);
    out.flush();
  }

  private static RemoteAnswer read(InputStream in, String method, long maxBody) throws IOException {
    Head head = Head.read(in);
    for (int i = 0; head.status() >= 100 && head.status() < 200 && head.status() != 101; i++) {
      if (i == MAX_INTERIM)
        throw new IOException("not an HTTP answer: too many interim (1xx) answers");
      head = Head.read(in);
    }
    int status = head.status();
    if (maxBody <= 0 || method.equals("HEAD") || status == 204 || status == 304 || status < 200) {
      return new RemoteAnswer(status, new byte[0]);
    }
    byte[] body;
    if (head.chunked()) body = chunked(in, maxBody);
    else if (head.length() >= 0) body = exactly(in, head.length(), maxBody);
    else body = toEnd(in, maxBody);
    return new RemoteAnswer(status, body);
  }

  private static byte[] exactly(InputStream in, long length, long max) throws IOException {
    if (length > max) throw new AnswerTooLargeException(max);
    byte[] b = in.readNBytes((int) length);
    if (b.length < length) throw new EOFException("the answer ended before its Content-Length");
    return b;
  }

  private static byte[] toEnd(InputStream in, long max) throws IOException {
    byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
    if (b.length > max) throw new AnswerTooLargeException(max);
    return b;
  }

  private static byte[] chunked(InputStream in, long max) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      String line = line(in);
      int semi = line.indexOf(';');
      String size = (semi < 0 ? line : line.substring(0, semi)).strip();
      if (!size.matches("[0-9A-Fa-f]{1,15}"))
        throw new IOException("not an HTTP answer: a malformed chunk");
      long n = Long.parseLong(size, 16);
      if (n == 0) break;
      if (out.size() + n > max) throw new AnswerTooLargeException(max);
      byte[] chunk = in.readNBytes((int) n);
      if (chunk.length < n) throw new EOFException("the answer ended inside a chunk");
      out.write(chunk);
      if (!line(in).isEmpty())
        throw new IOException("not an HTTP answer: a chunk without its line end");
    }
    int trailer = 0;
    for (String t = line(in); !t.isEmpty(); t = line(in)) {
      trailer += t.length();
      if (trailer > MAX_HEAD) throw new IOException("not an HTTP answer: its trailer is too long");
    }
    return out.toByteArray();
  }

  /** One line of the head, without its line end; ISO-8859-1. */
  static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(64);
    while (true) {
      int c = in.read();
      if (c < 0) throw new EOFException("the answer ended early");
      if (c == '\n') break;
      if (b.size() == MAX_LINE)
        throw new IOException("not an HTTP answer: a line longer than " + MAX_LINE + " bytes");
      b.write(c);
    }
    String s = b.toString(StandardCharsets.ISO_8859_1);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  /** An answer's status line and the headers that frame its body. */
  private record Head(int status, long length, boolean chunked) {
    static Head read(InputStream in) throws IOException {
      String statusLine = line(in);
      if (!statusLine.matches("HTTP/1\\.[01] [0-9]{3}( .*)?"))
        throw new IOException("not an HTTP/1.1 answer");
      int status = Integer.parseInt(statusLine.substring(9, 12));
      long length = -1;
      boolean chunked = false;
      int size = statusLine.length();
      for (String h = line(in); !h.isEmpty(); h = line(in)) {
        size += h.length();
        if (size > MAX_HEAD)
          throw new IOException(
              "not an HTTP answer: its head is longer than " + MAX_HEAD + " bytes");
        int colon = h.indexOf(':');
        if (colon <= 0) throw new IOException("not an HTTP answer: a malformed header");
        String name = h.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        String value = h.substring(colon + 1).strip();
        if (name.equals("content-length")) {
          if (!value.matches("[0-9]{1,18}"))
            throw new IOException("not an HTTP answer: a malformed Content-Length");
          long l = Long.parseLong(value);
          if (length >= 0 && length != l)
            throw new IOException("not an HTTP answer: two different Content-Lengths");
          length = l;
        } else if (name.equals("transfer-encoding")) {
          chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
        }
      }
      return new Head(status, length, chunked);
    }
  }

  private static Duration left(long deadline) {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    deadlines.shutdownNow();
  }
}
