package dev.kodo.registry.nodes;

import dev.kodo.client.Connect;
import dev.kodo.client.Heartbeat;
import dev.kodo.registry.RegistryProperties;
import dev.kodo.registry.core.AnnouncementResult;
import dev.kodo.registry.core.Announcements;
import dev.kodo.registry.core.Checks;
import dev.kodo.registry.core.Registry;
import dev.kodo.registry.core.Rejection;
import dev.kodo.registry.core.UnknownNodeException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The node side of the registry for a node in the same process ({@code koco serve}): register,
 * handshake, heartbeat and goodbye as method calls, with the checks {@code POST /registry/connect}
 * and {@code PUT /registry/state} make, but no HTTP and so no token — the process vouches for its
 * own node (docs/security.md#registry-reads-nodes-and-peers). The composition root adapts it to the
 * node's {@code LocalRegistry}. Thread-safe as {@link Registry}.
 */
@Component
public class NodesInProcess {
  private final Registry registry;
  private final int maxFlows;

  NodesInProcess(Registry registry, RegistryProperties properties) {
    this.registry = registry;
    this.maxFlows = properties.getMaxFlowsPerNode();
  }

  /** Registers {@code node}; registering a registered node changes nothing. */
  public void register(String node) {
    registry.register(node);
  }

  /**
   * The node's handshake.
   *
   * @return one line per flow record left out (e.g. {@code flows[3] 'a.yaml': release: …}); empty
   *     when every flow was accepted
   * @throws UnknownNodeException if the node is not registered
   * @throws dev.kodo.registry.core.InvalidRequestException if its name, URL or tags are not valid
   */
  public List<String> connect(Connect connect) {
    AnnouncementResult checked =
        Announcements.validate(connect.flows() == null ? List.of() : connect.flows(), maxFlows);
    AnnouncementResult kept =
        registry.connect(
            Checks.connect(
                new Connect(connect.node(), connect.url(), connect.tags(), checked.accepted())));
    List<String> rejected = new ArrayList<>();
    for (Rejection r : checked.rejected()) rejected.add(r.message());
    for (Rejection r : kept.rejected()) rejected.add(r.message());
    return rejected;
  }

  /** A heartbeat; false if the node disconnected or is unknown (it must connect again). */
  public boolean heartbeat(Heartbeat heartbeat) {
    try {
      return registry.heartbeat(Checks.heartbeat(heartbeat));
    } catch (UnknownNodeException e) {
      return false;
    }
  }

  /** The node's goodbye; nothing if the registry does not know it. */
  public void disconnect(String node) {
    try {
      registry.disconnect(node);
    } catch (UnknownNodeException e) {
      // forgotten meanwhile: nothing to say goodbye to
    }
  }
}
