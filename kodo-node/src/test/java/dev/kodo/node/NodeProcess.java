package dev.kodo.node;

import dev.kodo.client.NodeClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A node in its own JVM on a loopback port, for tests that must kill a node for real. */
final class NodeProcess extends JvmProcess {

  private NodeProcess(int port, Path data, List<String> args) throws Exception {
    super("node", "dev.kodo.node.NodeApplication", port, data, args);
  }

  static NodeProcess start(int port, Path data, String cluster, String... extra) throws Exception {
    NodeProcess node = spawn(port, data, cluster, extra);
    node.awaitReady();
    return node;
  }

  /** Starts a node without waiting for it to answer (to kill it while it starts). */
  static NodeProcess spawn(int port, Path data, String cluster, String... extra) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server.port=" + port, "--kodo.data=" + data, "--kodo.cluster.name=" + cluster));
    args.addAll(List.of(extra));
    return new NodeProcess(port, data, args);
  }

  @Override
  boolean answers() {
    client().state();
    return true;
  }

  NodeClient client() {
    return NodeClient.connect(url());
  }
}
