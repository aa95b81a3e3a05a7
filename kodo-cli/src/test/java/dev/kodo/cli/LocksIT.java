package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code koco lock} and the run management commands against a real node: the example flows that
 * stop for a person (PlanApproval, OrderIntake), answered, denied, killed, acknowledged, deleted,
 * restarted, shared and cleaned up. The node removes acknowledged runs at once when asked to clean
 * up, and never by itself.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class LocksIT {
  @TempDir static Path data;
  static TestNode node;

  @BeforeAll
  static void startNode() {
    node =
        TestNode.start(data, "--kodo.cleanup.acknowledged-after=0s", "--kodo.cleanup.interval=0s");
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  private static Cli koco(String... args) {
    return node.koco(args);
  }

  /** Runs koco where no person can be asked, whatever runs the tests. */
  private static Cli unattended(String... args) throws Exception {
    try (AutoCloseable t =
        Terminal.install(Terminal.scripted(false, "", new PrintWriter(new StringWriter())))) {
      return koco(args);
    }
  }

  /** Launches a run and waits until it is locked; returns its fid. */
  private static String launchLocked(String flow, String... inputs) throws InterruptedException {
    String[] args = new String[inputs.length * 2 + 2];
    args[0] = "launch";
    args[1] = flow;
    for (int i = 0; i < inputs.length; i++) {
      args[2 + 2 * i] = "-i";
      args[3 + 2 * i] = inputs[i];
    }
    Cli launched = koco(args);
    assertThat(launched.exitCode()).as(launched.err()).isEqualTo(Exit.OK);
    String fid = launched.out().strip();
    awaitState(fid, "locked");
    return fid;
  }

  private static void awaitState(String fid, String state) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
    String now = "?";
    while (Instant.now().isBefore(deadline)) {
      now = Json.read(koco("status", fid, "--json").out()).path("state").asString();
      if (now.equals(state)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("run " + fid + " is " + now + ", not " + state + ", after 15 s");
  }

  @Test
  void planApprovalDeniesARejectionWithoutCommentThenAcceptsOneWithIt() throws Exception {
    String fid = launchLocked("dev.kodo.examples.PlanApproval", "goal=move the wiki");

    Cli status = koco("status", fid);
    assertThat(status.out())
        .contains("state         locked")
        .containsPattern(
            "lock +waiting for input: Approve the plan for: move the wiki \\(lock \\w+, until ")
        .contains("koco lock " + fid + " shows and answers it");

    Cli denied = unattended("lock", fid, "--data", "approve=false");
    assertThat(denied.exitCode()).isEqualTo(Exit.FAILED);
    assertThat(denied.out())
        .contains("Approve the plan for: move the wiki")
        .contains("## Proposed plan")
        .containsPattern("approve +true/false +yes +Approve the plan");
    assertThat(denied.err())
        .contains("koco: 422 Answer denied")
        .contains("  - comment: say why you reject the plan");

    Cli accepted = unattended("lock", fid, "--data", "approve=false", "--data", "comment=no");
    assertThat(accepted.exitCode()).as(accepted.err()).isEqualTo(Exit.OK);
    assertThat(accepted.out())
        .containsPattern("answer \\w+ accepted: lock \\w+ of run " + fid + " is released");

    Cli followed = koco("follow", fid);
    assertThat(followed.exitCode()).isEqualTo(Exit.OK);
    assertThat(followed.out())
        .containsPattern("lock +waiting for input: Approve the plan for: move the wiki")
        .contains("asks for approve (true/false, required), comment (text (max 2000 chars))")
        .contains("answer it: koco lock " + fid)
        .containsPattern("candidate +answer \\w+ to lock \\w+: approve=false\n")
        .containsPattern(
            "unlock-deny +answer \\w+ to lock \\w+ denied: comment: say why you reject the plan")
        .containsPattern("unlock +lock \\w+ released: answer \\w+ accepted")
        .contains("# Plan rejected");

    Cli after = koco("lock", fid);
    assertThat(after.exitCode()).isEqualTo(Exit.NODE);
    assertThat(after.err())
        .isEqualTo("koco: run " + fid + " has no open lock (it is done)" + System.lineSeparator());
  }

  @Test
  void orderIntakeDeniesAPostcodeThatDoesNotFitTheCountry() throws Exception {
    String fid = launchLocked("dev.kodo.examples.OrderIntake", "product=teapot");

    Cli shown = koco("lock", fid, "--show");
    assertThat(shown.exitCode()).isEqualTo(Exit.OK);
    assertThat(shown.out())
        .startsWith("Complete the order of teapot")
        .containsPattern("quantity +integer \\(1\\.\\.100\\) +yes +Quantity")
        .containsPattern("country +one of DE, CH, US, GB +yes +Country")
        .contains(
            "koco lock "
                + fid
                + " --data quantity=1 --data name='…' --data street='…' --data country=DE --data postcode='…'");

    String[] answer = {
      "--data",
      "quantity=2",
      "--data",
      "name=Ada",
      "--data",
      "street=Main St 1",
      "--data",
      "country=DE"
    };
    Cli bad = unattended(concat(new String[] {"lock", fid, "--data", "postcode=1234"}, answer));
    assertThat(bad.exitCode()).isEqualTo(Exit.FAILED);
    assertThat(bad.err()).contains("  - postcode: '1234' is not a postcode of DE");

    Cli typeError =
        unattended(
            "lock",
            fid,
            "--data",
            "quantity=lots",
            "--data",
            "name=Ada",
            "--data",
            "street=Main St 1",
            "--data",
            "country=DE",
            "--data",
            "postcode=10115");
    assertThat(typeError.exitCode()).isEqualTo(Exit.FAILED);
    assertThat(typeError.err()).contains("  - quantity: must be a number, not 'lots'");

    Cli good = unattended(concat(new String[] {"lock", fid, "--data", "postcode=10115"}, answer));
    assertThat(good.exitCode()).as(good.err()).isEqualTo(Exit.OK);
    awaitState(fid, "done");
    assertThat(koco("status", fid).out()).contains("| Ship to | Ada, Main St 1, 10115 DE |");
  }

  @Test
  void aLockThatIsNotOpenIsTheNodesAnswer() throws Exception {
    String fid = launchLocked("dev.kodo.examples.PlanApproval", "goal=x");

    Cli wrongLid = koco("lock", fid, "--lid", "000000000000", "--data", "approve=true");
    assertThat(wrongLid.exitCode()).isEqualTo(Exit.NODE);
    assertThat(wrongLid.err()).contains("404 Lock not found").contains("the open lock is");

    assertThat(koco("lock", "no-such-run", "--show").exitCode()).isEqualTo(Exit.NODE);
    assertThat(koco("kill", fid).exitCode()).isEqualTo(Exit.OK);
  }

  @Test
  void killingALockedRunEndsItAndItCannotBeKilledTwice() throws Exception {
    String fid = launchLocked("dev.kodo.examples.PlanApproval", "goal=x");

    Cli killed = koco("kill", fid);
    assertThat(killed.exitCode()).as(killed.err()).isEqualTo(Exit.OK);
    assertThat(killed.out())
        .isEqualTo(
            "run "
                + fid
                + " of dev.kodo.examples.PlanApproval killed (killed)"
                + System.lineSeparator());
    assertThat(koco("status", fid).out())
        .contains("state         killed")
        .doesNotContain("waiting for input");

    Cli again = koco("kill", fid);
    assertThat(again.exitCode()).isEqualTo(Exit.NODE);
    assertThat(again.err()).contains("409").contains("only pending or locked runs can be killed");

    Cli followed = koco("follow", fid);
    assertThat(followed.exitCode()).isEqualTo(Exit.FAILED);
    assertThat(followed.out()).contains("kill          run killed");

    assertThat(unattended("lock", fid, "--data", "approve=true").exitCode()).isEqualTo(Exit.NODE);
  }

  @Test
  void ackDeleteAndRestart() throws Exception {
    String fid = launchLocked("dev.kodo.examples.PlanApproval", "goal=x", "budget=10");

    Cli early = koco("ack", fid);
    assertThat(early.exitCode()).isEqualTo(Exit.NODE);
    assertThat(early.err()).contains("only finished runs can be acknowledged");
    assertThat(unattended("delete", fid, "--yes").err())
        .contains("only finished runs can be deleted (kill it first)");

    Cli restarted = koco("restart", fid);
    assertThat(restarted.exitCode()).as(restarted.err()).isEqualTo(Exit.OK);
    String copy = restarted.out().strip();
    assertThat(copy).isNotEqualTo(fid).matches("[0-9a-f-]{36}");
    assertThat(koco("status", copy).out()).contains("inputs        goal=x, budget=10, wait=240");
    awaitState(copy, "locked");
    assertThat(koco("kill", copy).exitCode()).isEqualTo(Exit.OK);

    assertThat(unattended("lock", fid, "--data", "approve=true").exitCode()).isEqualTo(Exit.OK);
    awaitState(fid, "done");
    Cli ack = koco("ack", fid);
    assertThat(ack.exitCode()).isEqualTo(Exit.OK);
    assertThat(ack.out())
        .isEqualTo(
            "run "
                + fid
                + " of dev.kodo.examples.PlanApproval acknowledged (done)"
                + System.lineSeparator());
    assertThat(koco("status", fid).out()).contains("acknowledged  yes");

    Cli unconfirmed = unattended("delete", fid);
    assertThat(unconfirmed.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(unconfirmed.err()).contains("add --yes");
    assertThat(koco("status", fid).exitCode()).isEqualTo(Exit.OK);

    Cli deleted = unattended("delete", fid, "--yes");
    assertThat(deleted.exitCode()).as(deleted.err()).isEqualTo(Exit.OK);
    assertThat(deleted.out()).isEqualTo("run " + fid + " deleted" + System.lineSeparator());
    assertThat(koco("status", fid).exitCode()).isEqualTo(Exit.NODE);
    assertThat(unattended("delete", fid, "--yes").err()).contains("404 Run not found");
  }

  @Test
  void shareNamesWhoSeesTheRunAndABadLevelIsTheNodesFieldError() throws Exception {
    String fid = launchLocked("dev.kodo.examples.PlanApproval", "goal=x");

    Cli bad = koco("share", fid, "--with", "ada", "--level", "everything");
    assertThat(bad.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(bad.err())
        .contains("400 Invalid request")
        .contains("  - level: must be one of basic, advanced, full");

    Cli shared = koco("share", fid, "--with", "ada,ops", "--level", "advanced");
    assertThat(shared.exitCode()).as(shared.err()).isEqualTo(Exit.OK);
    assertThat(shared.out())
        .isEqualTo(
            "run "
                + fid
                + " is shared with ada (advanced, r), ops (advanced, r)"
                + System.lineSeparator());
    assertThat(koco("status", fid).out())
        .contains("shared with   ada (advanced, r), ops (advanced, r)");

    Cli json = koco("share", fid, "--with", "ops", "--level", "full", "--mode", "x", "--json");
    assertThat(Json.read(json.out()).path("shares").toString())
        .contains("{\"subject\":\"ops\",\"level\":\"full\",\"mode\":\"x\"}");

    koco("kill", fid);
    Cli followed = koco("follow", fid);
    assertThat(followed.out())
        .contains("share         shared with ada, ops (level advanced, mode r)");
  }

  @Test
  void cleanupPreviewsAcknowledgedRunsAndApplyRemovesThem() throws Exception {
    String fid = launchLocked("dev.kodo.examples.PlanApproval", "goal=x");
    assertThat(koco("kill", fid).exitCode()).isEqualTo(Exit.OK);
    assertThat(koco("ack", fid).exitCode()).isEqualTo(Exit.OK);

    Cli preview = koco("cleanup");
    assertThat(preview.exitCode()).as(preview.err()).isEqualTo(Exit.OK);
    assertThat(preview.out())
        .startsWith("FID ")
        .containsPattern(
            fid
                + " +dev\\.kodo\\.examples\\.PlanApproval +killed +\\S+ \\S+ +yes +acknowledged, and finished more than")
        .containsPattern(
            "\\d+ runs? would be removed \\(acknowledged runs are kept 0 seconds after they finish, any other finished run 30 days\\)");
    assertThat(koco("status", fid).exitCode()).isEqualTo(Exit.OK);

    Cli applied = koco("cleanup", "--apply");
    assertThat(applied.exitCode()).isEqualTo(Exit.OK);
    assertThat(applied.out()).contains(fid).containsPattern("removed \\d+ runs? \\(");
    assertThat(koco("status", fid).exitCode()).isEqualTo(Exit.NODE);
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
