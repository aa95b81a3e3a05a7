package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** kill, restart, ack, delete, share and cleanup against a stand-in node. */
class ManageCommandsTest {
  static final String DONE =
      "{\"fid\":\"f1\",\"flow\":\"a.B\",\"state\":\"done\",\"acknowledged\":false,\"events\":9}";
  static final String CONFLICT =
      "{\"title\":\"Conflict with the run's state\",\"status\":409,\"detail\":\"run f1 is done; only pending or locked runs can be killed\"}";

  FakeNode node;

  @BeforeEach
  void start() throws Exception {
    node = new FakeNode().on("GET", "/api/runs/f1", new FakeNode.Answer(200, DONE));
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private Cli koco(String... args) {
    return Cli.runAt("--node", node.url(), args);
  }

  private Cli kocoOn(Terminal terminal, String... args) throws Exception {
    return Cli.runAt(terminal, "--node", node.url(), args);
  }

  @Test
  void statusShowsTheRunsModelUsageOnlyWhenAModelWasCalled() {
    node.on(
        "GET",
        "/api/runs/f2",
        new FakeNode.Answer(
            200,
            "{\"fid\":\"f2\",\"flow\":\"crew\",\"state\":\"done\",\"acknowledged\":false,"
                + "\"events\":12,\"usage\":{\"calls\":3,\"inputTokens\":60,"
                + "\"outputTokens\":6,\"cost\":1.5}}"));

    assertThat(koco("status", "f2").out())
        .contains("model usage   3 calls, 60 tokens in, 6 out, cost 1.5");
    assertThat(koco("status", "f1").out()).doesNotContain("model usage");
  }

  @Test
  void killPrintsOneLineOrTheNodesAnswer() {
    node.on(
        "POST",
        "/api/runs/f1/kill",
        new FakeNode.Answer(
            200,
            "{\"fid\":\"f1\",\"flow\":\"a.B\",\"events\":0,\"acknowledged\":false,\"state\":\"killed\"}"),
        new FakeNode.Answer(409, CONFLICT));

    Cli killed = koco("kill", "f1");
    assertThat(killed.exitCode()).isEqualTo(Exit.OK);
    assertThat(killed.out()).isEqualTo("run f1 of a.B killed (killed)" + System.lineSeparator());

    Cli again = koco("kill", "f1");
    assertThat(again.exitCode()).isEqualTo(Exit.NODE);
    assertThat(again.err())
        .contains(
            "409 Conflict with the run's state — run f1 is done; only pending or locked runs can be killed");
  }

  @Test
  void restartPrintsTheNewFid() {
    node.on(
        "POST",
        "/api/runs/f1/restart",
        new FakeNode.Answer(
            201,
            "{\"fid\":\"f2\",\"flow\":\"a.B\",\"events\":0,\"acknowledged\":false,\"state\":\"pending\"}"));

    assertThat(koco("restart", "f1").out()).isEqualTo("f2" + System.lineSeparator());
    assertThat(Json.read(koco("restart", "f1", "--json").out()).path("fid").asString())
        .isEqualTo("f2");
  }

  @Test
  void ackSaysTheRunIsAcknowledged() {
    node.on(
        "POST",
        "/api/runs/f1/ack",
        new FakeNode.Answer(
            200,
            "{\"fid\":\"f1\",\"flow\":\"a.B\",\"events\":0,\"state\":\"done\",\"acknowledged\":true}"));

    assertThat(koco("ack", "f1").out())
        .isEqualTo("run f1 of a.B acknowledged (done)" + System.lineSeparator());
  }

  @Test
  void shareSendsSubjectsLevelAndModeAndSaysWhoSeesTheRun() {
    node.on(
        "POST",
        "/api/runs/f1/share",
        new FakeNode.Answer(
            200,
            "{\"fid\":\"f1\",\"flow\":\"a.B\",\"events\":0,\"acknowledged\":false,\"state\":\"done\","
                + "\"shares\":[{\"subject\":\"ada\",\"level\":\"full\",\"mode\":\"x\"},{\"subject\":\"ops\",\"level\":\"full\",\"mode\":\"x\"}]}"));

    Cli cli = koco("share", "f1", "--with", "ada,ops", "--level", "full", "--mode", "x");

    assertThat(cli.out())
        .isEqualTo("run f1 is shared with ada (full, x), ops (full, x)" + System.lineSeparator());
    assertThat(Json.read(node.bodies("POST", "/api/runs/f1/share").getFirst()))
        .isEqualTo(Json.read("{\"subjects\":[\"ada\",\"ops\"],\"level\":\"full\",\"mode\":\"x\"}"));
    koco("share", "f1", "-w", "bob");
    assertThat(Json.read(node.bodies("POST", "/api/runs/f1/share").getLast()))
        .isEqualTo(Json.read("{\"subjects\":[\"bob\"],\"level\":\"basic\",\"mode\":\"r\"}"));
  }

  @Test
  void shareNeedsSomeoneToShareWith() {
    Cli cli = koco("share", "f1", "--level", "basic");

    assertThat(cli.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(cli.err()).contains("Missing required option: '--with=SUBJECT'");
  }

  @Test
  void deleteWithoutATerminalNeedsYes() throws Exception {
    Cli cli =
        kocoOn(Terminal.scripted(false, "", new PrintWriter(new StringWriter())), "delete", "f1");

    assertThat(cli.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(cli.err())
        .isEqualTo(
            "koco: not deleting run f1 without confirmation: standard input is not a terminal to ask on; add --yes"
                + System.lineSeparator());
    assertThat(node.requests).isEmpty();
  }

  @Test
  void deleteAsksOnATerminal() throws Exception {
    node.on("DELETE", "/api/runs/f1", new FakeNode.Answer(204, ""));
    StringWriter screen = new StringWriter();

    Cli kept = kocoOn(Terminal.scripted(true, "n\n", new PrintWriter(screen)), "delete", "f1");
    assertThat(kept.exitCode()).isEqualTo(Exit.FAILED);
    assertThat(kept.out()).contains("run f1 kept");
    assertThat(screen.toString())
        .startsWith("Delete run f1 of a.B (done, 9 events) and all its data? [y/N] n");
    assertThat(node.bodies("DELETE", "/api/runs/f1")).isEmpty();

    Cli deleted = kocoOn(Terminal.scripted(true, "yes\n", new PrintWriter(screen)), "delete", "f1");
    assertThat(deleted.exitCode()).isEqualTo(Exit.OK);
    assertThat(deleted.out()).isEqualTo("run f1 deleted" + System.lineSeparator());
  }

  @Test
  void deleteWithYesDoesNotAskAndARunningRunIsTheNodesToRefuse() throws Exception {
    node.on("DELETE", "/api/runs/f1", new FakeNode.Answer(204, ""));
    assertThat(koco("delete", "f1", "--yes", "--json").out()).contains("\"deleted\":true");

    node.on(
            "GET",
            "/api/runs/f1",
            new FakeNode.Answer(
                200,
                "{\"fid\":\"f1\",\"flow\":\"a.B\",\"events\":0,\"acknowledged\":false,\"state\":\"locked\"}"))
        .on(
            "DELETE",
            "/api/runs/f1",
            new FakeNode.Answer(
                409,
                "{\"title\":\"Conflict with the run's state\",\"status\":409,"
                    + "\"detail\":\"run f1 is locked; only finished runs can be deleted (kill it first)\"}"));
    StringWriter screen = new StringWriter();
    Cli locked = kocoOn(Terminal.scripted(true, "", new PrintWriter(screen)), "delete", "f1");
    assertThat(locked.exitCode()).isEqualTo(Exit.NODE);
    assertThat(locked.err()).contains("only finished runs can be deleted (kill it first)");
    assertThat(screen.toString()).isEmpty();
  }

  @Test
  void cleanupPreviewsInATableAndApplyRemoves() {
    String report =
        """
        {"removed":%s,"acknowledgedAfter":"PT168H","finishedAfter":"PT720H","count":1,"items":[
         {"fid":"f1","flow":"a.B","state":"done","finished":"2026-11-20T10:00:00Z","acknowledged":true,
          "reason":"acknowledged more than PT168H after it finished"}]}""";
    node.on("GET", "/api/cleanup", new FakeNode.Answer(200, report.formatted("false")))
        .on("POST", "/api/cleanup", new FakeNode.Answer(200, report.formatted("true")));

    Cli preview = koco("cleanup");
    assertThat(preview.exitCode()).isEqualTo(Exit.OK);
    assertThat(preview.out())
        .startsWith("FID  FLOW  STATE  FINISHED             ACK  REASON")
        .containsPattern(
            "f1 +a\\.B +done +2026-11-\\d\\d \\d\\d:\\d\\d:00 +yes +acknowledged more than PT168H after it finished")
        .contains(
            "1 run would be removed (acknowledged runs are kept 7 days after they finish, any other finished run 30 days);"
                + " koco cleanup --apply removes it");
    assertThat(node.bodies("POST", "/api/cleanup")).isEmpty();

    Cli applied = koco("cleanup", "--apply");
    assertThat(applied.out()).contains("removed 1 run (");
    assertThat(node.bodies("POST", "/api/cleanup")).hasSize(1);

    node.on(
        "GET",
        "/api/cleanup",
        new FakeNode.Answer(
            200,
            "{\"removed\":false,\"acknowledgedAfter\":\"PT0S\",\"finishedAfter\":\"PT90M\",\"count\":0,\"items\":[]}"));
    assertThat(koco("cleanup").out())
        .isEqualTo(
            "nothing to clean up (acknowledged runs are kept 0 seconds after they finish,"
                + " any other finished run 90 minutes)"
                + System.lineSeparator());
  }

  @Test
  void durationsReadAsWords() {
    assertThat(CleanupCommand.duration("PT24H")).isEqualTo("1 day");
    assertThat(CleanupCommand.duration("PT36H")).isEqualTo("36 hours");
    assertThat(CleanupCommand.duration("PT1.5S")).isEqualTo("1.5s");
    assertThat(CleanupCommand.duration("soon")).isEqualTo("soon");
  }
}
