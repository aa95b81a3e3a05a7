package dev.kodo.cli;

import com.sun.net.httpserver.HttpServer;
import dev.kodo.client.FlowInfo;
import dev.kodo.client.Json;
import dev.kodo.client.Page;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The workload {@code ./koco} trains its class-data archive on (docs/performance.md#koco-flows):
 * the classes a command loads are those the archive holds, so that later starts map them instead of
 * reading them from the jars. It runs {@code koco flows} against a node stand-in on loopback (a JDK
 * HTTP server answering {@code /api/flows} with a page of one flow, written with the client's own
 * types) and then the command it is given (the script gives {@code koco run} of an example), all in
 * this JVM with output discarded. Not a {@code koco} command: the script runs this class alone.
 */
public final class ArchiveTraining {
  private ArchiveTraining() {}

  public static void main(String[] args) throws Exception {
    System.exit(train(args));
  }

  /**
   * Runs the workload; the exit code of the first command that failed (the archive would then miss
   * what that command loads), else of {@code args}'s.
   */
  static int train(String... args) throws Exception {
    FlowInfo flow =
        new FlowInfo(
            "dev.kodo.examples.MarketReport",
            "Market report",
            "A report on a company's market",
            "Kodo",
            "Kodo",
            "1.0.0",
            List.of("example"),
            Json.read("{\"type\":\"object\",\"properties\":{\"company\":{\"type\":\"string\"}}}"),
            Json.read("[{\"key\":\"company\",\"type\":\"text\"}]"));
    byte[] flows =
        Json.write(new Page<>(1, 1, 0, 100, List.of(flow))).getBytes(StandardCharsets.UTF_8);
    HttpServer node =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    node.createContext(
        "/api/flows",
        x -> {
          x.getResponseHeaders().add("Content-Type", "application/json");
          x.sendResponseHeaders(200, flows.length);
          try (OutputStream out = x.getResponseBody()) {
            out.write(flows);
          }
        });
    node.start();
    try (PrintWriter none = new PrintWriter(OutputStream.nullOutputStream())) {
      String url = "http://127.0.0.1:" + node.getAddress().getPort();
      for (String[] command :
          List.of(
              new String[] {"flows", "--node", url},
              new String[] {"flows", "--json", "--node", url},
              args)) {
        int code = command.length == 0 ? 0 : Koco.execute(none, none, command);
        if (code != 0) return code;
      }
      return 0;
    } finally {
      node.stop(0);
    }
  }
}
