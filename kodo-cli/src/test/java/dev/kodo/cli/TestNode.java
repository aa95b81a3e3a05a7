package dev.kodo.cli;

import dev.kodo.node.NodeApplication;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real node on a loopback port, in this JVM, with a cluster of its own; and {@code koco} pointed
 * at it.
 */
final class TestNode implements AutoCloseable {
  private final ConfigurableApplicationContext context;
  final String url;

  private TestNode(ConfigurableApplicationContext context) {
    this.context = context;
    this.url = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
  }

  /**
   * Starts a node offering the example flows, with its data in {@code data}; {@code settings} are
   * more {@code --key=value} arguments.
   */
  static TestNode start(Path data, String... settings) {
    return start(0, data, settings);
  }

  /** As {@link #start(Path, String...)}, on this port (0: any free one). */
  static TestNode start(int port, Path data, String... settings) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server.port=" + port,
                "--kodo.data=" + data,
                "--kodo.cluster.name=koco-it-" + UUID.randomUUID(),
                "--kodo.flows=classpath:*",
                // The client commands under test, not access control (AuthServeIT, ServeIT).
                "--kodo.auth.enabled=false"));
    args.addAll(List.of(settings));
    return new TestNode(NodeApplication.start(args.toArray(String[]::new)));
  }

  /** Runs {@code koco args --node URL}. */
  Cli koco(String... args) {
    String[] withNode = new String[args.length + 2];
    System.arraycopy(args, 0, withNode, 0, args.length);
    withNode[args.length] = "--node";
    withNode[args.length + 1] = url;
    return Cli.run(withNode);
  }

  @Override
  public void close() {
    context.close();
  }
}
