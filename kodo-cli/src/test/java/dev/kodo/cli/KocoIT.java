package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The client commands against a real node on a loopback port. */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class KocoIT {
  @TempDir static Path data;
  static TestNode node;

  @BeforeAll
  static void startNode() {
    node = TestNode.start(data);
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

  @Test
  void flowsListsTheCatalogue() {
    Cli cli = koco("flows");

    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(Exit.OK);
    assertThat(cli.out().lines().findFirst())
        .hasValueSatisfying(
            h -> assertThat(h).startsWith("PATH").contains("NAME", "RELEASE", "TAGS"));
    assertThat(cli.out())
        .contains(
            "dev.kodo.examples.MarketReport", "Market report", "1.1.0", "example, report, markdown")
        .contains("dev.kodo.examples.ResearchSteps", "dev.kodo.examples.FailingFlow")
        .contains("dev.kodo.examples.PlanApproval", "dev.kodo.examples.OrderIntake")
        .contains("dev.kodo.examples.AgenticResearch")
        .contains("dev.kodo.examples.HashChain")
        .contains("7 flows");
  }

  @Test
  void flowsSearchNarrowsTheList() {
    Cli cli = koco("flows", "--search", "markdown");

    assertThat(cli.out())
        .contains("dev.kodo.examples.MarketReport")
        .doesNotContain("FailingFlow")
        .contains("1 of 7 flows match 'markdown'");
  }

  @Test
  void flowsShowListsTheInputsAndHowToLaunch() {
    Cli cli = koco("flows", "show", "dev.kodo.examples.MarketReport");

    assertThat(cli.exitCode()).isEqualTo(Exit.OK);
    assertThat(cli.out())
        .contains("Market report  (dev.kodo.examples.MarketReport, release 1.1.0)")
        .containsPattern("company +text \\(max 100 chars\\) +yes")
        .containsPattern("quarter +one of Q1, Q2, Q3, Q4 +no +Q3")
        .contains("koco launch dev.kodo.examples.MarketReport --input company='ACME Corp'");
  }

  @Test
  void anUnknownFlowIsTheNodesAnswerInOneLine() {
    Cli cli = koco("flows", "show", "com.acme.Nope");

    assertThat(cli.exitCode()).isEqualTo(Exit.NODE);
    assertThat(cli.err())
        .isEqualTo("koco: 404 Flow not found — no flow 'com.acme.Nope'" + System.lineSeparator());
  }

  @Test
  void launchFollowPrintsTheEventsAndExitsZeroWhenDone() {
    Cli cli =
        koco(
            "launch",
            "dev.kodo.examples.ResearchSteps",
            "-i",
            "topic=heat pumps",
            "-i",
            "steps=2",
            "-i",
            "pause=0",
            "--follow");

    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(Exit.OK);
    assertThat(cli.out())
        .containsPattern("run \\S+ of dev.kodo.examples.ResearchSteps launched")
        .contains("inputs        topic=heat pumps, steps=2, pause=0")
        .contains("stdout        researching 'heat pumps' in 2 steps")
        .contains("action        step")
        .contains("result        {\"step\":\"Collect sources\"")
        .contains("final         done in")
        .contains("# Research: heat pumps");
  }

  @Test
  void launchFollowExitsOneWhenTheRunFails() {
    Cli cli = koco("launch", "dev.kodo.examples.FailingFlow", "--follow");

    assertThat(cli.exitCode()).isEqualTo(Exit.FAILED);
    assertThat(cli.out())
        .contains("fatal         IllegalStateException: supplier database is unreachable")
        .contains("at dev.kodo.examples.FailingFlow.run(FailingFlow.java:");
  }

  @Test
  void launchWithInvalidInputsExitsTwoNamingTheFields() {
    Cli cli =
        koco("launch", "dev.kodo.examples.MarketReport", "-i", "year=1900", "-i", "colour=red");

    assertThat(cli.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(cli.err())
        .startsWith("koco: 400 Invalid inputs")
        .contains("  - company: is required")
        .contains("  - year: must be at least 2000")
        .contains("  - colour: unknown field")
        .containsPattern("company +text");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void launchPrintsTheFidThenStatusAndFollowAfterShowTheRun() {
    Cli launched = koco("launch", "dev.kodo.examples.MarketReport", "--input", "company=ACME");
    assertThat(launched.exitCode()).as(launched.err()).isEqualTo(Exit.OK);
    String fid = launched.out().strip();
    assertThat(fid).matches("[0-9a-f-]{36}");

    Cli followed = koco("follow", fid);
    assertThat(followed.exitCode()).isEqualTo(Exit.OK);
    assertThat(followed.out())
        .contains("inputs        company=ACME")
        .contains("# ACME — Q3 2026 market report");

    Cli status = koco("status", fid);
    assertThat(status.exitCode()).isEqualTo(Exit.OK);
    assertThat(status.out())
        .contains("run           " + fid)
        .contains("flow          dev.kodo.examples.MarketReport")
        .contains("state         done")
        .contains("[####################] 100%  report ready")
        .contains("inputs        company=ACME, quarter=Q3, year=2026, risks=true")
        .contains("# ACME — Q3 2026 market report");

    JsonNode doc = Json.read(koco("status", fid, "--json").out());
    assertThat(doc.get("fid").asString()).isEqualTo(fid);
    assertThat(doc.get("state").asString()).isEqualTo("done");

    Cli after = koco("follow", fid, "--after", "3", "--json");
    assertThat(after.exitCode()).isEqualTo(Exit.OK);
    List<JsonNode> events = after.out().lines().map(Json::read).toList();
    assertThat(events.getFirst().get("seq").asLong()).isEqualTo(4);
    assertThat(events.getLast().get("type").asString()).isEqualTo("final");
    assertThat(events).noneMatch(e -> e.get("type").asString().equals("inputs"));

    Cli runs = koco("runs", "--state", "done", "--flow", "dev.kodo.examples.MarketReport");
    assertThat(runs.exitCode()).isEqualTo(Exit.OK);
    assertThat(runs.out()).contains(fid).contains("done").doesNotContain("FailingFlow");
  }

  @Test
  void followAfterTheEndOfAFinishedRunEndsAtOnceByItsState() {
    Cli failed = koco("launch", "dev.kodo.examples.FailingFlow", "--follow", "--json");
    String fid = Json.read(failed.out().lines().findFirst().orElseThrow()).get("fid").asString();
    long last = failed.out().lines().count();

    Cli cli = koco("follow", fid, "--after", Long.toString(last));

    assertThat(cli.exitCode()).isEqualTo(Exit.FAILED);
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void anUnknownRunIsTheNodesAnswer() {
    assertThat(koco("status", "no-such-run").exitCode()).isEqualTo(Exit.NODE);
    Cli follow = koco("follow", "no-such-run");
    assertThat(follow.exitCode()).isEqualTo(Exit.NODE);
    assertThat(follow.err()).contains("404").contains("no-such-run");
  }
}
