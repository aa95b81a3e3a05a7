package dev.kodo.node.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.cluster.RunTicket;
import dev.kodo.node.NodeProperties.Admission;
import dev.kodo.node.NodeProperties.Admission.Over;
import dev.kodo.web.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.http.HttpStatus;

/**
 * Admission decisions and slot accounting, driven by the events a node persists: limits of flow,
 * owner and node; waiting in launch order or refusal with 429; locks lending their slot; ends of
 * any kind freeing it; the sweep catching an end that was never seen.
 */
@Timeout(30)
class RunAdmissionTest {
  private static final String F = "dev.example.Flow";
  private static final String G = "dev.example.Other";

  private final Admission settings = new Admission();
  private final Map<String, Integer> declared = new HashMap<>();
  private final Set<String> endedInStore = ConcurrentHashMap.newKeySet();
  private final BlockingQueue<RunTicket> dispatched = new ArrayBlockingQueue<>(100);
  private RunAdmission admission;
  private long seq;

  private RunAdmission admission() {
    admission = new RunAdmission(settings, declared::get, fid -> endedInStore.contains(fid));
    admission.start(dispatched::add);
    return admission;
  }

  @AfterEach
  void close() {
    if (admission != null) admission.close();
  }

  private static RunTicket ticket(String fid, String flow) {
    return new RunTicket(fid, flow, "{}", "n");
  }

  private RunAdmission.Decision launch(String fid, String flow, String owner) {
    RunAdmission.Decision d = admission.admit(fid, flow, owner, ticket(fid, flow));
    admission.recorded(fid);
    return d;
  }

  private Event event(String fid, EventType type) {
    return Event.of(fid, ++seq, Instant.now(), type, "{}");
  }

  private void events(String fid, EventType... types) {
    for (EventType t : types) admission.observe(List.of(event(fid, t)));
  }

  private String nextDispatched() throws InterruptedException {
    RunTicket t = dispatched.poll(5, TimeUnit.SECONDS);
    assertThat(t).as("a waiting run was dispatched").isNotNull();
    return t.fid();
  }

  @Test
  void theFlowsOwnLimitMakesFurtherLaunchesWaitInLaunchOrder() throws Exception {
    declared.put(F, 2);
    admission();
    assertThat(launch("a", F, null)).isInstanceOf(RunAdmission.Decision.Admitted.class);
    assertThat(launch("b", F, null)).isInstanceOf(RunAdmission.Decision.Admitted.class);
    var c = launch("c", F, null);
    var d = launch("d", F, null);
    assertThat(c)
        .isEqualTo(
            new RunAdmission.Decision.Waiting(
                "flow", "waiting for a slot (flow " + F + " has 2 runs running, its limit is 2)"));
    assertThat(d).isInstanceOf(RunAdmission.Decision.Waiting.class);
    assertThat(launch("x", G, null))
        .as("another flow is not held up")
        .isInstanceOf(RunAdmission.Decision.Admitted.class);
    assertThat(admission.running()).isEqualTo(3);
    assertThat(admission.waiting()).isEqualTo(2);
    assertThat(dispatched).isEmpty();

    events("a", EventType.FINAL);
    assertThat(nextDispatched()).isEqualTo("c");
    events("b", EventType.FATAL);
    assertThat(nextDispatched()).isEqualTo("d");
    assertThat(admission.running()).isEqualTo(3);
    assertThat(admission.waiting()).isZero();

    events("c", EventType.KILL);
    events("d", EventType.FINAL);
    events("x", EventType.FINAL);
    assertThat(admission.running()).isZero();
    Map<String, Object> state = admission.state();
    assertThat(state).containsEntry("running", 0).containsEntry("waiting", 0);
  }

  @Test
  void aWaitingRunIsNotDispatchedBeforeItIsRecorded() throws Exception {
    declared.put(F, 1);
    admission();
    launch("a", F, null);
    admission.admit("b", F, null, ticket("b", F));
    events("a", EventType.FINAL);
    assertThat(dispatched.poll(200, TimeUnit.MILLISECONDS)).isNull();
    admission.recorded("b");
    assertThat(nextDispatched()).isEqualTo("b");
  }

  @Test
  void refuseModeAnswers429NamingTheLimitWithRetryAfterAndRecordsNothing() {
    declared.put(F, 1);
    settings.setOver(Over.REFUSE);
    settings.setRetryAfter(Duration.ofSeconds(7));
    admission();
    launch("a", F, "user:alice");
    assertThatThrownBy(() -> admission.admit("b", F, "user:alice", ticket("b", F)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
              assertThat(e.members()).containsEntry("limit", "flow").containsEntry("max", 1);
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
              assertThat(e.getMessage()).contains(F).contains("limit is 1");
            });
    assertThat(admission.waiting()).isZero();
    assertThat(admission.running()).isEqualTo(1);
  }

  @Test
  void beyondTheWaitingQueueALaunchIsRefused() {
    declared.put(F, 1);
    settings.setQueue(1);
    admission();
    launch("a", F, null);
    assertThat(launch("b", F, null)).isInstanceOf(RunAdmission.Decision.Waiting.class);
    assertThatThrownBy(() -> admission.admit("c", F, null, ticket("c", F)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
              assertThat(e.members()).containsEntry("limit", "flow");
              assertThat(e.getMessage()).contains("kodo.node.limits.queue");
            });
  }

  @Test
  void perUserAndNodeLimits() throws Exception {
    settings.setPerUser(1);
    settings.setNode(3);
    admission();
    assertThat(launch("a1", F, "user:alice")).isInstanceOf(RunAdmission.Decision.Admitted.class);
    var a2 = launch("a2", F, "user:alice");
    assertThat(a2).isInstanceOf(RunAdmission.Decision.Waiting.class);
    assertThat(((RunAdmission.Decision.Waiting) a2).limit()).isEqualTo("user");
    assertThat(launch("b1", F, "user:bob")).isInstanceOf(RunAdmission.Decision.Admitted.class);
    assertThat(launch("n1", F, null))
        .as("without auth there is no owner to limit")
        .isInstanceOf(RunAdmission.Decision.Admitted.class);
    var n2 = launch("n2", F, null);
    assertThat(((RunAdmission.Decision.Waiting) n2).limit()).isEqualTo("node");
    assertThat(((RunAdmission.Decision.Waiting) n2).message())
        .isEqualTo("waiting for a slot (this node has 3 runs running, its limit is 3)");

    events("b1", EventType.FINAL);
    assertThat(nextDispatched())
        .as("alice's run still waits for her own slot; the node slot goes to the next that fits")
        .isEqualTo("n2");
    events("a1", EventType.FINAL);
    assertThat(nextDispatched()).isEqualTo("a2");
    assertThat(admission.state()).extracting("users").isEqualTo(Map.of("user:alice", 1));
  }

  @Test
  void aLockedRunLendsItsSlotAndTakesItBackWhenAnsweredEvenAtTheLimit() throws Exception {
    declared.put(F, 1);
    admission();
    launch("a", F, null);
    assertThat(launch("b", F, null)).isInstanceOf(RunAdmission.Decision.Waiting.class);

    events("a", EventType.LOCK);
    assertThat(nextDispatched()).isEqualTo("b");
    events("a", EventType.LOCK); // seen twice
    assertThat(admission.running()).isEqualTo(1);
    assertThat(admission.state()).containsEntry("locked", 1L);

    events("a", EventType.CANDIDATE, EventType.UNLOCK_DENY);
    assertThat(admission.running()).as("a denied answer leaves the lock open").isEqualTo(1);
    events("a", EventType.UNLOCK);
    assertThat(admission.running()).as("the answered run runs again, over the limit").isEqualTo(2);
    assertThat(launch("c", F, null)).isInstanceOf(RunAdmission.Decision.Waiting.class);

    events("b", EventType.FINAL);
    assertThat(dispatched.poll(200, TimeUnit.MILLISECONDS))
        .as("still one over the limit: nothing starts")
        .isNull();
    events("a", EventType.LOCK, EventType.LOCK_TIMEOUT, EventType.FATAL);
    assertThat(nextDispatched()).isEqualTo("c");
    assertThat(admission.running()).isEqualTo(1);
  }

  @Test
  void eventsOutOfOrderDoNotLeakSlots() {
    declared.put(F, 2);
    admission();
    launch("a", F, null);
    Event lock = event("a", EventType.LOCK);
    Event unlock = event("a", EventType.UNLOCK);
    admission.observe(List.of(unlock));
    admission.observe(List.of(lock));
    assertThat(admission.running()).as("the later unlock wins").isEqualTo(1);
    events("a", EventType.FINAL);
    events("a", EventType.FINAL);
    assertThat(admission.running()).isZero();
  }

  @Test
  void aKilledWaitingRunLeavesTheQueueAndIsNeverDispatched() throws Exception {
    declared.put(F, 1);
    admission();
    launch("a", F, null);
    launch("b", F, null);
    launch("c", F, null);
    events("b", EventType.KILL);
    assertThat(admission.waiting()).isEqualTo(1);
    events("a", EventType.FINAL);
    assertThat(nextDispatched()).isEqualTo("c");
    assertThat(dispatched.poll(200, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void theConfigurationOverridesTheFlowsOwnLimit() {
    declared.put(F, 1);
    settings.getFlows().put(F, 2);
    settings.getFlows().put(G, 0);
    declared.put(G, 1);
    admission();
    assertThat(admission.flowLimit(F)).isEqualTo(2);
    assertThat(admission.flowLimit(G)).as("0 in the configuration lifts it").isZero();
    assertThat(admission.flowLimit("dev.example.Unknown")).isZero();
    launch("a", F, null);
    assertThat(launch("b", F, null)).isInstanceOf(RunAdmission.Decision.Admitted.class);
    launch("g1", G, null);
    assertThat(launch("g2", G, null)).isInstanceOf(RunAdmission.Decision.Admitted.class);
  }

  @Test
  void aNegativeConfiguredLimitIsRefusedAtStart() {
    settings.getFlows().put(F, -1);
    assertThatThrownBy(() -> new RunAdmission(settings, declared::get, fid -> false))
        .hasMessage("kodo.node.limits.flows.[" + F + "] must be 0 (no limit) or more, not -1");
  }

  @Test
  void theSweepFreesSlotsOfRunsTheStoreSaysEndedAndAbandonFreesAFailedLaunch() throws Exception {
    declared.put(F, 1);
    admission();
    launch("a", F, null);
    admission.admit("b", F, null, ticket("b", F));
    admission.abandon("b");
    assertThat(admission.waiting()).isZero();
    launch("c", F, null);
    endedInStore.add("a");
    admission.sweep();
    assertThat(nextDispatched()).isEqualTo("c");
    assertThat(admission.running()).isEqualTo(1);
  }

  @Test
  void aRunNotYetRecordedIsNotSweptAway() {
    declared.put(F, 1);
    admission();
    admission.admit("a", F, null, ticket("a", F));
    endedInStore.add("a"); // the store does not have it yet
    admission.sweep();
    assertThat(admission.running()).isEqualTo(1);
  }

  @Test
  void withoutLimitsTheSweepReadsNothing() {
    java.util.concurrent.atomic.AtomicInteger reads =
        new java.util.concurrent.atomic.AtomicInteger();
    admission = new RunAdmission(settings, declared::get, fid -> reads.incrementAndGet() < 0);
    admission.start(dispatched::add);
    launch("a", F, "user:alice");
    admission.sweep();
    assertThat(reads).hasValue(0);
    declared.put(F, 5);
    admission.sweep();
    assertThat(reads).hasValue(1);
  }

  @Test
  void aRunsTraceparentIsKeptWhileItIsInFlightAndForgottenAtItsEnd() {
    declared.put(F, 1);
    admission();
    String trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    String other = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    admission.admit("a", F, null, new RunTicket("a", F, "{}", "n", trace, 0L));
    admission.recorded("a");
    admission.admit("b", F, null, new RunTicket("b", F, "{}", "n", other, 0L));
    admission.recorded("b");
    launch("c", G, null);

    assertThat(admission.traceparent("a")).isEqualTo(trace);
    assertThat(admission.traceparent("b")).as("a waiting run's").isEqualTo(other);
    assertThat(admission.traceparent("c")).as("a run launched without one").isNull();
    assertThat(admission.traceparent("x")).as("a run this node did not launch").isNull();
    events("a", EventType.LOCK);
    assertThat(admission.traceparent("a")).as("a locked run is still in flight").isEqualTo(trace);

    events("a", EventType.FINAL);
    events("b", EventType.KILL);

    assertThat(admission.traceparent("a")).isNull();
    assertThat(admission.traceparent("b")).isNull();
  }
}
