package dev.kodo.cluster.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.KodoException;
import dev.kodo.cluster.Control;
import dev.kodo.cluster.RunTicket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The in-memory cluster keeps the real one's bounds and order, so tests built on it mean what they
 * say.
 */
@Timeout(30)
class InMemoryClusterTest {
  private final InMemoryCluster cluster = new InMemoryCluster("m1", 2, 2);

  @AfterEach
  void close() {
    cluster.close();
  }

  private static RunTicket ticket(String fid) {
    return new RunTicket(fid, "dev.kodo.Flow", "{}", "node-1");
  }

  private static Event event(String fid, long seq) {
    return Event.of(fid, seq, Instant.EPOCH, EventType.INPUTS, "{}");
  }

  @Test
  void aFullRunQueueRefusesTheLaunchAsRetryableAndTakesInOrder() throws InterruptedException {
    cluster.dispatch(ticket("a"));
    cluster.dispatch(ticket("b"));
    assertThat(cluster.runQueueFull("dev.kodo.Flow")).isTrue();
    assertThatThrownBy(() -> cluster.dispatch(ticket("c")))
        .isInstanceOf(KodoException.class)
        .hasMessageContaining("run queue is full")
        .matches(e -> ((KodoException) e).retryable());
    assertThat(cluster.takeRuns(5, 0)).extracting(RunTicket::fid).containsExactly("a", "b");
    assertThat(cluster.takeRun(0)).isNull();
  }

  @Test
  void aSenderWaitsForRoomInAFullEventQueueAndOrderIsKept() throws Exception {
    cluster.sendEvents("n", List.of(event("r", 0)));
    cluster.sendEvents("n", List.of(event("r", 1)));
    CompletableFuture<Void> third =
        CompletableFuture.runAsync(() -> cluster.sendEvents("n", List.of(event("r", 2))));
    Thread.sleep(200);
    assertThat(third).as("the third batch waits for room").isNotDone();
    List<Event> got = new ArrayList<>();
    BooleanSupplier caughtUp = cluster.receivedUpToNow("n");
    assertThat(caughtUp.getAsBoolean()).isFalse();
    while (got.size() < 3) {
      cluster.receiveEvents("n", 1_000, got::addAll);
    }
    third.get(5, TimeUnit.SECONDS);
    assertThat(got).extracting(Event::seq).containsExactly(0L, 1L, 2L);
    assertThat(caughtUp.getAsBoolean()).isTrue();
  }

  @Test
  void killsReachControlListenersAndAreRememberedForRunsNotTakenYet() throws InterruptedException {
    List<Control> seen = new CopyOnWriteArrayList<>();
    CountDownLatch one = new CountDownLatch(1);
    cluster.onControl(
        c -> {
          seen.add(c);
          one.countDown();
        });
    cluster.kill("r");
    assertThat(one.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(seen).containsExactly(new Control.Kill("r"));
    assertThat(cluster.killed("r")).isTrue();
    assertThat(cluster.killed("other")).isFalse();
  }

  @Test
  void assignmentsAreFoundByTheMemberTheirWorkerRunsOnAndDeparturesAreTold()
      throws InterruptedException {
    cluster.assign("r1", "w@m1");
    cluster.assign("r2", "w@m2");
    assertThat(cluster.assignedOnMember("m2")).containsExactly("r2");
    cluster.unassignLater("r2");
    assertThat(cluster.assignee("r2")).isNull();
    CountDownLatch left = new CountDownLatch(1);
    cluster.onMemberLeft(
        m -> {
          if (m.equals("m2")) left.countDown();
        });
    cluster.memberLeft("m2");
    assertThat(left.await(5, TimeUnit.SECONDS)).isTrue();
  }
}
