package dev.kodo.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Collects the events a node receives, as the node's ingest loop does, until enough came. */
final class Received {
  private Received() {}

  static List<Event> events(KodoCluster cluster, String node, int count, Duration deadline)
      throws InterruptedException {
    List<Event> got = new ArrayList<>();
    long end = System.nanoTime() + deadline.toNanos();
    while (got.size() < count && System.nanoTime() < end) {
      cluster.receiveEvents(node, 100, got::addAll);
    }
    assertThat(got).as("events received by node %s before the deadline", node).hasSize(count);
    return got;
  }
}
