package dev.kodo.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.cluster.Address;
import dev.kodo.client.Event;
import dev.kodo.cluster.ClusterOptions;
import dev.kodo.cluster.ClusterSecret;
import dev.kodo.cluster.KodoCluster;
import dev.kodo.cluster.RunTicket;
import dev.kodo.engine.FlowCatalog;
import dev.kodo.engine.LoadedFlow;
import dev.kodo.worker.WorkerTestFlows.Gates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scale-out: a node's member with no worker of its own, and a worker on a second member that joined
 * it. Runs the node dispatches execute on the other member and their events come back.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class WorkerIT {
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private static KodoCluster nodeMember;
  private static KodoCluster workerMember;
  private static Worker worker;

  private final String node = "node-" + UUID.randomUUID();
  private final List<Event> received = new ArrayList<>();

  @BeforeAll
  static void start() {
    String name = "t-" + UUID.randomUUID();
    ClusterSecret secret = ClusterSecret.generate();
    nodeMember = KodoCluster.start(ClusterOptions.local(name, secret));
    Address address = nodeMember.hazelcast().getCluster().getLocalMember().getAddress();
    workerMember =
        KodoCluster.start(
            new ClusterOptions(
                name,
                "127.0.0.1",
                ClusterOptions.DEFAULT_PORT,
                List.of(address.getHost() + ":" + address.getPort()),
                secret));
    worker =
        Worker.start(
            workerMember,
            FlowCatalog.of(
                LoadedFlow.of(WorkerTestFlows.Steps.class),
                LoadedFlow.of(WorkerTestFlows.Sleeper.class)),
            new WorkerOptions("remote", 8));
  }

  @AfterAll
  static void stop() {
    if (worker != null) {
      worker.close();
    }
    if (workerMember != null) {
      workerMember.close();
    }
    if (nodeMember != null) {
      nodeMember.close();
    }
  }

  private String dispatch(Class<?> flow) {
    String fid = UUID.randomUUID().toString();
    nodeMember.dispatch(new RunTicket(fid, flow.getName(), "{}", node));
    return fid;
  }

  private List<Event> untilEnd(String fid) throws InterruptedException {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (System.nanoTime() < end) {
      if (received.stream().anyMatch(e -> e.fid().equals(fid) && e.terminal())) {
        return received.stream().filter(e -> e.fid().equals(fid)).toList();
      }
      nodeMember.receiveEvents(node, 100, received::addAll);
    }
    throw new AssertionError("run " + fid + " did not end within " + DEADLINE);
  }

  @Test
  void aRunTheNodeDispatchesExecutesOnTheOtherMemberAndItsEventsComeBackInOrder()
      throws InterruptedException {
    String fid = dispatch(WorkerTestFlows.Steps.class);

    List<Event> events = untilEnd(fid);

    assertThat(events)
        .extracting(Event::type)
        .containsExactly("progress", "stdout", "result", "progress", "final");
  }

  @Test
  void aKillFromTheNodesMemberStopsTheRunOnTheOtherMember() throws InterruptedException {
    String fid = dispatch(WorkerTestFlows.Sleeper.class);
    assertThat(Gates.awaitStarted(fid, DEADLINE)).isTrue();
    assertThat(nodeMember.assignee(fid)).isEqualTo(worker.id());

    nodeMember.kill(fid);

    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!Gates.INTERRUPTED.contains(fid) && System.nanoTime() < end) {
      LockSupport.parkNanos(1_000_000);
    }
    assertThat(Gates.INTERRUPTED).contains(fid);
    while (nodeMember.assignee(fid) != null && System.nanoTime() < end) {
      LockSupport.parkNanos(1_000_000);
    }
    assertThat(nodeMember.assignee(fid)).isNull();
  }
}
