package dev.kodo.node;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A registry ({@code RegistryApplication}) in its own JVM on a loopback port, for tests that must
 * kill and restart one for real.
 */
final class RegistryProcess extends JvmProcess {

  private RegistryProcess(int port, Path data, List<String> args) throws Exception {
    super("registry", "dev.kodo.registry.RegistryApplication", port, data, args);
  }

  /**
   * Starts a registry named {@code name} keeping its data in {@code data}, and waits until it
   * answers.
   */
  static RegistryProcess start(int port, Path data, String name, String... extra) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server.port=" + port,
                "--kodo.registry.data=" + data,
                "--kodo.registry.name=" + name,
                // these tests are about federation and restarts, not about who may
                "--kodo.auth.enabled=false"));
    args.addAll(List.of(extra));
    RegistryProcess registry = new RegistryProcess(port, data, args);
    registry.awaitReady();
    return registry;
  }

  @Override
  boolean answers() {
    return NodeTestSupport.send(
                HttpRequest.newBuilder(URI.create(url() + "/registry/state"))
                    .timeout(Duration.ofSeconds(5))
                    .GET()
                    .build())
            .statusCode()
        == 200;
  }
}
