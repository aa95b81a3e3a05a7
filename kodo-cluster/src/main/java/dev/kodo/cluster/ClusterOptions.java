package dev.kodo.cluster;

import dev.kodo.client.Check;
import java.util.List;

/**
 * How this JVM joins the Kodo cluster.
 *
 * <p>Only members with the same name <em>and</em> the same secret form a cluster: the name
 * Hazelcast uses ({@code hazelcastName()}) is derived from both, one way, so a member that lacks
 * the secret is refused when it asks to join, and the secret itself never crosses the network.
 *
 * @param name the cluster name; members with another name never join
 * @param host the address this member binds to and announces (loopback by default)
 * @param port the first port to try; the next free one up to {@code port + 100} is taken
 * @param members other members to join, as {@code host:port}, one per port; empty for a
 *     single-machine cluster that looks for nobody
 * @param secret the secret every member shares (see {@link ClusterSecret})
 */
public record ClusterOptions(
    String name, String host, int port, List<String> members, ClusterSecret secret) {
  public static final int DEFAULT_PORT = 5710;

  public ClusterOptions {
    Check.notBlank(name, "cluster name");
    Check.notBlank(host, "cluster host");
    Check.that(port > 0 && port < 65536, "cluster port must be between 1 and 65535, not " + port);
    members = List.copyOf(members == null ? List.of() : members);
    Check.notNull(secret, "cluster secret");
  }

  /** A single-machine cluster on loopback with a secret of its own, which no other member has. */
  public static ClusterOptions local(String name) {
    return local(name, ClusterSecret.generate());
  }

  /** A single-machine cluster on loopback that members started with {@code secret} may join. */
  public static ClusterOptions local(String name, ClusterSecret secret) {
    return new ClusterOptions(name, "127.0.0.1", DEFAULT_PORT, List.of(), secret);
  }

  /**
   * The cluster name given to Hazelcast: {@code <name>-<HMAC of the name under the secret>}. It is
   * what a joining member must present, so it is kept out of the logs like the secret.
   */
  String hazelcastName() {
    return name + "-" + joinToken();
  }

  /** The secret part of {@link #hazelcastName()}. */
  String joinToken() {
    return secret.derive("cluster-name:" + name);
  }
}
