package dev.kodo.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The outbox against a cluster that refuses batches: nothing is skipped, reordered or waited on for
 * ever.
 */
class OutboxTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  /**
   * Refuses the first {@code failures} batches (as a full or unreachable event queue does), then
   * takes them.
   */
  private static final class FlakySender implements Outbox.Sender {
    final AtomicInteger failures;
    final AtomicInteger calls = new AtomicInteger();
    final List<String> delivered = new CopyOnWriteArrayList<>(); // node:progress-message

    FlakySender(int failures) {
      this.failures = new AtomicInteger(failures);
    }

    @Override
    public void send(String node, List<Event> events) {
      calls.incrementAndGet();
      if (failures.getAndDecrement() > 0) {
        throw new IllegalStateException("the event queue of node " + node + " is full (test)");
      }
      for (Event e : events) {
        delivered.add(node + ":" + e.dataNode().path("message").asString());
      }
    }
  }

  private static Event event(String fid, int i) {
    return Event.of(
        fid, 0, Instant.now(), EventType.PROGRESS, "{\"value\":0,\"message\":\"" + i + "\"}");
  }

  private static void eventually(String what, BooleanSupplier condition) {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + DEADLINE + ": " + what);
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  @Test
  void batchesTheClusterRefusesAreSentAgainInOrderAndNothingIsLost() {
    FlakySender sender = new FlakySender(5);
    List<String> markers = new CopyOnWriteArrayList<>();
    try (Outbox outbox = new Outbox(sender, "flaky")) {
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 2_000; i++) {
        String node = i % 3 == 0 ? "a" : "b";
        outbox.put(node, event("run-" + node, i), () -> false);
        expected.add(node + ":" + i);
      }
      outbox.afterDelivered(
          "a",
          () ->
              markers.add(
                  "a after " + sender.delivered.stream().filter(d -> d.startsWith("a:")).count()));
      outbox.afterDelivered(
          "b",
          () ->
              markers.add(
                  "b after " + sender.delivered.stream().filter(d -> d.startsWith("b:")).count()));

      eventually(
          "every event delivered",
          () -> sender.delivered.size() == expected.size() && markers.size() == 2);

      assertThat(sender.calls.get()).as("refused batches were sent again").isGreaterThan(5);
      assertThat(sender.delivered.stream().filter(d -> d.startsWith("a:")).toList())
          .containsExactlyElementsOf(expected.stream().filter(d -> d.startsWith("a:")).toList());
      assertThat(sender.delivered.stream().filter(d -> d.startsWith("b:")).toList())
          .containsExactlyElementsOf(expected.stream().filter(d -> d.startsWith("b:")).toList());
      assertThat(markers).containsExactlyInAnyOrder("a after 667", "b after 1333");
    }
  }

  @Test
  void closeGivesUpWithinItsDeadlineWhenTheClusterNeverTakesTheEventsAndProducersDoNotBlock() {
    FlakySender sender = new FlakySender(Integer.MAX_VALUE);
    List<String> markers = new CopyOnWriteArrayList<>();
    Outbox outbox = new Outbox(sender, "dead");
    outbox.put("a", event("run-a", 1), () -> false);
    outbox.afterDelivered("a", () -> markers.add("delivered"));
    eventually("the sender tried", () -> sender.calls.get() > 1);

    outbox.close(Duration.ofMillis(300));

    assertThat(markers).as("the run's assignment stays: its events never arrived").isEmpty();
    for (int i = 0; i < 70_000; i++) {
      // More than the outbox holds: a flow still emitting after close must not block for ever.
      outbox.put("a", event("run-a", i), () -> false);
    }
    assertThat(sender.delivered).isEmpty();
  }
}
