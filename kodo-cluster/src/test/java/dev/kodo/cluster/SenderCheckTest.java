package dev.kodo.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SenderCheckTest {
  private static final Instant TS = Instant.parse("2026-11-27T11:12:13.456Z");
  private static final String NODE = "member-node";
  private static final String A = "member-a";
  private static final String B = "member-b";

  private final Map<String, String> assignments = new HashMap<>();
  private final AtomicInteger lookups = new AtomicInteger();
  private boolean lookupsFail;
  private final SenderCheck check =
      new SenderCheck(
          () -> NODE,
          fids -> {
            lookups.incrementAndGet();
            if (lookupsFail) {
              throw new IllegalStateException("the cluster is shutting down");
            }
            Map<String, String> found = new HashMap<>();
            fids.forEach(
                f -> {
                  if (assignments.containsKey(f)) {
                    found.put(f, assignments.get(f));
                  }
                });
            return found;
          },
          System::nanoTime);

  private static Event event(String fid, int n) {
    return Event.of(fid, 0, TS, EventType.PROGRESS, "{\"n\":" + n + "}");
  }

  private static EventCodec.Batch batch(String sender, Event... events) {
    return new EventCodec.Batch(sender, List.of(events));
  }

  @Test
  void aMemberMayWriteTheRunsItsWorkersExecuteButNotAnotherMembersRuns() {
    assignments.put("run-a", "worker@" + A);
    assignments.put("run-b", "worker@" + B);

    List<Event> admitted =
        check.admit(
            List.of(
                batch(A, event("run-a", 1), event("run-b", 2), event("run-a", 3)),
                batch(B, event("run-b", 4), event("run-a", 5))));

    assertThat(admitted)
        .extracting(e -> e.fid() + "/" + e.dataNode().path("n").asInt())
        .containsExactly("run-a/1", "run-a/3", "run-b/4");
    assertThat(check.dropped()).isEqualTo(2);
  }

  @Test
  void
      eventsOfARunNoWorkerHoldsPassBecauseAFinishedRunsLastEventsArriveAfterItsAssignmentIsCleared() {
    assertThat(check.admit(List.of(batch(A, event("finished", 1))))).hasSize(1);
    assertThat(check.dropped()).isZero();
  }

  @Test
  void thisMembersOwnBatchesPassWithoutALookup() {
    assignments.put("run-b", "worker@" + B);

    assertThat(check.admit(List.of(batch(NODE, event("run-b", 1), event("run-x", 2))))).hasSize(2);
    assertThat(lookups).hasValue(0);
  }

  @Test
  void oneLookupServesEveryBatchReceivedTogether() {
    assignments.put("run-a", "worker@" + A);

    check.admit(
        List.of(
            batch(A, event("run-a", 1)), batch(A, event("run-a", 2)), batch(B, event("run-z", 3))));

    assertThat(lookups).hasValue(1);
  }

  @Test
  void aWorkerNameMayItselfHoldAnAt() {
    assignments.put("run-a", "team@eu@" + A);

    assertThat(check.admit(List.of(batch(A, event("run-a", 1))))).hasSize(1);
    assertThat(SenderCheck.memberOf("team@eu@" + A)).isEqualTo(A);
    assertThat(SenderCheck.memberOf(A)).isEqualTo(A);
  }

  @Test
  void eventsAlreadyTakenFromTheQueueAreNotLostWhenTheAssignmentsCannotBeRead() {
    assignments.put("run-b", "worker@" + B);
    lookupsFail = true;

    assertThat(check.admit(List.of(batch(A, event("run-a", 1), event("run-b", 2))))).hasSize(2);
  }
}
