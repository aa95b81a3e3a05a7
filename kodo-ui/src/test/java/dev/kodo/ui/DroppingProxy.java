package dev.kodo.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on 127.0.0.1 in front of the node, for a browser test to lose its connections the way
 * a flaky network does: {@link #drop()} closes every connection open through it, mid-response
 * (docs/ui.md#tests). It keeps what went each way on each connection, as text, to tell how a stream
 * was resumed.
 */
final class DroppingProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int target;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

  /** One connection through the proxy: what the browser sent, what the node answered. */
  record Exchange(StringBuffer sent, StringBuffer received) {}

  DroppingProxy(int target) throws IOException {
    this.target = target;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("proxy-accept").start(this::accept);
  }

  int port() {
    return server.getLocalPort();
  }

  /** The connections made through the proxy so far, in the order they were opened. */
  List<Exchange> exchanges() {
    return List.copyOf(exchanges);
  }

  /** Closes every connection open through the proxy; new ones are served as before. */
  void drop() {
    for (Socket s : open) close(s);
    open.clear();
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    drop();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
        open.add(client);
        open.add(upstream);
        Exchange x = new Exchange(new StringBuffer(), new StringBuffer());
        exchanges.add(x);
        Thread.ofVirtual().start(() -> pump(client, upstream, x.sent()));
        Thread.ofVirtual().start(() -> pump(upstream, client, x.received()));
      } catch (IOException e) {
        // closed, or the node refused: the browser sees a dropped connection
      }
    }
  }

  private void pump(Socket from, Socket to, StringBuffer record) {
    byte[] buf = new byte[16 * 1024];
    try (InputStream in = from.getInputStream()) {
      OutputStream out = to.getOutputStream();
      for (int n; (n = in.read(buf)) >= 0; ) {
        record.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // dropped
    } finally {
      close(from);
      close(to);
      open.remove(from);
      open.remove(to);
    }
  }

  private static void close(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
