package dev.kodo.node.runs;

import dev.kodo.client.KodoException;
import dev.kodo.cluster.Cluster;
import dev.kodo.node.NodeProperties;
import dev.kodo.store.EventStore;
import org.springframework.stereotype.Component;

/**
 * This run of this node: its name and the cluster member it runs on, {@code <name>~<member id>}. It
 * is the writer recorded with every run the node creates, and the name of the cluster queue its
 * runs' events come back on ({@code kodo.events.<incarnation>}). A restarted node is a new
 * incarnation, so a node that took over the runs of a dead one keeps receiving their events while
 * the dead one's name starts again (docs/architecture.md#two-nodes-one-database).
 *
 * <p>Created before anything writes: it names the store's writer, refuses to start a second node of
 * the same name in the cluster, and tells the cluster which node runs on this member.
 */
@Component
public final class NodeIncarnation {
  private final String name;
  private final String id;

  NodeIncarnation(NodeProperties properties, Cluster cluster, EventStore store) {
    this.name = properties.getNode().getName();
    this.id = id(properties, cluster);
    for (String live : cluster.liveNodes()) {
      if (nameOf(live).equals(name) && !live.equals(id)) {
        throw new KodoException(
            "another node named '"
                + name
                + "' is already in cluster '"
                + properties.getCluster().getName()
                + "' ("
                + live
                + "); give each node its own kodo.node.name (--name)");
      }
    }
    store.writeAs(id);
    cluster.announceNode(id);
  }

  /** The incarnation id of the node of {@code properties} on {@code cluster}'s member. */
  static String id(NodeProperties properties, Cluster cluster) {
    return properties.getNode().getName() + "~" + cluster.memberId();
  }

  /** The node name of an incarnation id. */
  public static String nameOf(String incarnation) {
    int at = incarnation.lastIndexOf('~');
    return at < 0 ? incarnation : incarnation.substring(0, at);
  }

  public String name() {
    return name;
  }

  public String id() {
    return id;
  }

  @Override
  public String toString() {
    return id;
  }
}
