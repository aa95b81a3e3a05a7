package dev.kodo.cluster;

import dev.kodo.client.Check;
import java.util.List;

/**
 * How this JVM joins the Kodo cluster.
 *
 * @param name the cluster name; members with another name never join
 * @param host the address this member binds to and announces (loopback by default)
 * @param port the first port to try; the next free one up to {@code port + 100} is taken
 * @param members other members to join, as {@code host:port}, one per port; empty for a
 *     single-machine cluster that looks for nobody
 */
public record ClusterOptions(String name, String host, int port, List<String> members) {
  public static final int DEFAULT_PORT = 5710;

  public ClusterOptions {
    Check.notBlank(name, "cluster name");
    Check.notBlank(host, "cluster host");
    Check.that(port > 0 && port < 65536, "cluster port must be between 1 and 65535, not " + port);
    members = List.copyOf(members == null ? List.of() : members);
  }

  /** A single-machine cluster on loopback. */
  public static ClusterOptions local(String name) {
    return new ClusterOptions(name, "127.0.0.1", DEFAULT_PORT, List.of());
  }
}
