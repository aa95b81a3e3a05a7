package dev.kodo.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.RunState;
import dev.kodo.testing.AsyncRun;
import dev.kodo.testing.FlowTester;
import dev.kodo.testing.TestRun;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanApprovalTest {
  private final FlowTester tester = FlowTester.of(PlanApproval.class);

  @Test
  void proposesThePlanAndWaitsForApproval() {
    AsyncRun running = tester.runAsync(Map.of("goal", "move the wiki", "budget", 1000));
    try {
      TestRun.Lock lock = running.awaitLock();

      assertThat(lock.title()).isEqualTo("Approve the plan for: move the wiki");
      assertThat(lock.markdown())
          .startsWith("## Proposed plan\n\n1. Inventory what exists for: move the wiki\n")
          .contains("Estimated cost: **800 €** of 1000 €.");
      assertThat(lock.fields()).containsExactly("approve", "comment");
      assertThat(lock.required()).containsExactly("approve");
    } finally {
      running.kill();
    }
  }

  @Test
  void anApprovedPlanIsCarriedOut() {
    AsyncRun running = tester.runAsync(Map.of("goal", "move the wiki"));
    running.awaitLock();

    TestRun.Verdict verdict = running.answer(Map.of("approve", true, "comment", "go ahead"));

    assertThat(verdict.accepted()).isTrue();
    TestRun run = running.await();
    assertThat(run.state()).isEqualTo(RunState.DONE);
    assertThat(run.markdown())
        .startsWith("# Plan carried out\n\n- [x] Inventory what exists for: move the wiki\n")
        .contains("- [x] Check the result\n")
        .endsWith("Approver's note: go ahead\n");
    assertThat(run.actions()).extracting(TestRun.Action::name).containsExactly("approved");
    assertThat(run.types()).containsSubsequence("result", "lock", "candidate", "unlock", "final");
  }

  @Test
  void aRejectionWithoutACommentIsDeniedAndOneWithACommentStopsThePlan() {
    AsyncRun running = tester.runAsync(Map.of("goal", "move the wiki"));
    TestRun.Lock lock = running.awaitLock();

    TestRun.Verdict bare = running.answer(Map.of("approve", false));
    assertThat(bare.accepted()).isFalse();
    assertThat(bare.reasons("comment")).containsExactly("say why you reject the plan");
    TestRun.Verdict blank = running.answer(Map.of("approve", false, "comment", "   "));
    assertThat(blank.reasons("comment")).containsExactly("say why you reject the plan");
    assertThat(running.awaitLock()).isEqualTo(lock);

    TestRun.Verdict reasoned =
        running.answer(Map.of("approve", false, "comment", "too risky this month"));
    assertThat(reasoned.accepted()).isTrue();

    TestRun run = running.await();
    assertThat(run.state()).isEqualTo(RunState.DONE);
    assertThat(run.markdown()).startsWith("# Plan rejected\n").contains("> too risky this month");
    assertThat(run.actions()).extracting(TestRun.Action::name).containsExactly("rejected");
    assertThat(run.verdicts())
        .extracting(TestRun.Verdict::accepted)
        .containsExactly(false, false, true);
  }

  @Test
  void aRunKilledWhileWaitingForApprovalEndsKilled() {
    AsyncRun running = tester.runAsync(Map.of("goal", "move the wiki"));
    running.awaitLock();

    running.kill();

    TestRun run = running.await();
    assertThat(run.state()).isEqualTo(RunState.KILLED);
    assertThat(run.actions()).isEmpty();
  }
}
