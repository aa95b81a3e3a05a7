package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code koco lock} against a stand-in node: every answer the node may give, and the prompts. */
class LockCommandTest {
  static final String FID = "f1";
  static final String LOCK =
      """
      {"lid":"l1","expires":"2026-11-27T16:00:00Z","demand":{"title":"Approve the plan for: wiki",
       "markdown":"## Proposed plan\\n\\n1. Move it\\n",
       "schema":{"type":"object","properties":{"approve":{"type":"boolean","title":"Approve the plan"},
         "comment":{"type":"string","maxLength":2000,"title":"Comment"}},"required":["approve"]},
       "form":[{"name":"approve","widget":"checkbox","label":"Approve the plan","required":true},
         {"name":"comment","widget":"textarea","label":"Comment","required":false}]}}""";
  static final String RUN =
      "{\"fid\":\"f1\",\"flow\":\"dev.kodo.examples.PlanApproval\",\"events\":0,\"acknowledged\":false,\"state\":\"locked\",\"lock\":"
          + LOCK
          + "}";
  static final String DENIED =
      """
      {"title":"Answer denied","status":422,"detail":"the flow denied the answer to lock l1 of run f1; the lock stays open",
       "errors":[{"field":"comment","message":"say why you reject the plan"}]}""";
  static final String ACCEPTED = "{\"fid\":\"f1\",\"lid\":\"l1\",\"cid\":\"c9\",\"accepted\":true}";

  FakeNode node;

  @BeforeEach
  void start() throws Exception {
    node =
        new FakeNode()
            .on("GET", "/api/runs/f1", new FakeNode.Answer(200, RUN))
            .on("GET", "/api/runs/f1/locks/l1", new FakeNode.Answer(200, LOCK));
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
  void showPrintsTheDemandAndHowToAnswerIt() {
    Cli cli = koco("lock", FID, "--show");

    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(Exit.OK);
    assertThat(cli.out())
        .startsWith("Approve the plan for: wiki\nlock l1 of run f1, open until ")
        .contains("## Proposed plan\n\n1. Move it\n")
        .containsPattern("approve +true/false +yes +Approve the plan")
        .containsPattern("comment +text \\(max 2000 chars\\) +no +Comment")
        .endsWith(
            "Answer it:\n  koco lock f1 --data approve=true\n"
                .replace("\n", System.lineSeparator()));
    assertThat(node.bodies("POST", "/api/runs/f1/locks/l1")).isEmpty();
  }

  @Test
  void showJsonPrintsTheNodesDemand() {
    Cli cli = koco("lock", FID, "--show", "--json");

    assertThat(Json.read(cli.out()).path("demand").path("title").asString())
        .isEqualTo("Approve the plan for: wiki");
  }

  @Test
  void dataIsSubmittedAndAnAcceptedAnswerExitsZero() {
    node.on("POST", "/api/runs/f1/locks/l1", new FakeNode.Answer(200, ACCEPTED));

    Cli cli = koco("lock", FID, "--data", "approve=false", "-d", "comment=too dear");

    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(Exit.OK);
    assertThat(cli.out())
        .contains("Approve the plan for: wiki")
        .endsWith("answer c9 accepted: lock l1 of run f1 is released" + System.lineSeparator());
    assertThat(Json.read(node.bodies("POST", "/api/runs/f1/locks/l1").getFirst()))
        .isEqualTo(Json.read("{\"approve\":\"false\",\"comment\":\"too dear\"}"));
  }

  @Test
  void jsonDataAndJsonOutput() {
    node.on("POST", "/api/runs/f1/locks/l1", new FakeNode.Answer(200, ACCEPTED));

    Cli cli = koco("lock", FID, "--json-data", "{\"approve\":true}", "--json", "--lid", "l1");

    assertThat(cli.exitCode()).isEqualTo(Exit.OK);
    assertThat(Json.read(cli.out()).path("cid").asString()).isEqualTo("c9");
    assertThat(node.requests).noneMatch(r -> r.path().equals("/api/runs/f1"));
  }

  @Test
  void aDenialPrintsTheReasonsAndExitsOneWhenNobodyCanBeAsked() throws Exception {
    node.on("POST", "/api/runs/f1/locks/l1", new FakeNode.Answer(422, DENIED));

    Cli cli =
        kocoOn(
            Terminal.scripted(false, "", new PrintWriter(new StringWriter())),
            "lock",
            FID,
            "--data",
            "approve=false");

    assertThat(cli.exitCode()).isEqualTo(Exit.FAILED);
    assertThat(cli.err())
        .contains(
            "koco: 422 Answer denied — the flow denied the answer to lock l1 of run f1; the lock stays open")
        .contains("  - comment: say why you reject the plan");
  }

  @Test
  void onATerminalEachFieldIsAskedAndADeniedOneAskedAgain() throws Exception {
    node.on(
        "POST",
        "/api/runs/f1/locks/l1",
        new FakeNode.Answer(422, DENIED),
        new FakeNode.Answer(200, ACCEPTED));
    StringWriter screen = new StringWriter();

    Cli cli =
        kocoOn(
            Terminal.scripted(true, "maybe\nn\n\nit costs too much\n", new PrintWriter(screen)),
            "lock",
            FID);

    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(Exit.OK);
    assertThat(screen.toString())
        .isEqualTo(
            String.join(
                System.lineSeparator(),
                "Approve the plan (approve; required, y/n): maybe",
                "  answer y or n",
                "Approve the plan (approve; required, y/n): n",
                "Comment (comment; optional, text (max 2000 chars)): ",
                "The flow denied the answer; please correct:",
                "! Comment: say why you reject the plan",
                "Comment (comment; optional, text (max 2000 chars)): it costs too much",
                ""));
    assertThat(node.bodies("POST", "/api/runs/f1/locks/l1").stream().map(Json::read).toList())
        .containsExactly(
            Json.read("{\"approve\":false}"),
            Json.read("{\"approve\":false,\"comment\":\"it costs too much\"}"));
    assertThat(cli.out())
        .endsWith("answer c9 accepted: lock l1 of run f1 is released" + System.lineSeparator());
  }

  @Test
  void dataGivenOnATerminalIsSentFirstAndOnlyDeniedFieldsAreAsked() throws Exception {
    node.on(
        "POST",
        "/api/runs/f1/locks/l1",
        new FakeNode.Answer(422, DENIED),
        new FakeNode.Answer(200, ACCEPTED));
    StringWriter screen = new StringWriter();

    Cli cli =
        kocoOn(
            Terminal.scripted(true, "because\n", new PrintWriter(screen)),
            "lock",
            FID,
            "--data",
            "approve=no");

    assertThat(cli.exitCode()).isEqualTo(Exit.OK);
    assertThat(screen.toString())
        .doesNotContain("Approve the plan (")
        .contains("Comment (comment; optional");
    assertThat(Json.read(node.bodies("POST", "/api/runs/f1/locks/l1").getLast()))
        .isEqualTo(Json.read("{\"approve\":\"no\",\"comment\":\"because\"}"));
  }

  @Test
  void theEndOfInputAtAPromptAnswersNothing() throws Exception {
    Cli cli = kocoOn(Terminal.scripted(true, "", new PrintWriter(new StringWriter())), "lock", FID);

    assertThat(cli.exitCode()).isEqualTo(Exit.FAILED);
    assertThat(cli.err()).contains("no answer: the input ended; the lock stays open");
    assertThat(node.bodies("POST", "/api/runs/f1/locks/l1")).isEmpty();
  }

  @Test
  void noAnswerAndNoTerminalIsAUsageErrorThatSaysHowToAnswer() throws Exception {
    Cli cli =
        kocoOn(Terminal.scripted(false, "", new PrintWriter(new StringWriter())), "lock", FID);

    assertThat(cli.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(cli.out()).contains("Approve the plan for: wiki");
    assertThat(cli.err())
        .contains("standard input is not a terminal")
        .contains("koco lock f1 --data approve=true");
  }

  @Test
  void noVerdictInTimeIsAClearMessageAndExitOne() {
    node.on(
        "POST",
        "/api/runs/f1/locks/l1",
        new FakeNode.Answer(
            504,
            "{\"title\":\"No verdict in time\",\"status\":504,"
                + "\"detail\":\"the flow of run f1 did not answer candidate c1 for lock l1 within PT30S; the lock stays open\"}"));

    Cli cli = koco("lock", FID, "--data", "approve=true");

    assertThat(cli.exitCode()).isEqualTo(Exit.FAILED);
    assertThat(cli.err())
        .isEqualTo(
            "koco: no verdict in time: the flow of run f1 did not answer candidate c1 for lock l1 within PT30S;"
                + " the lock stays open (koco status f1 shows the run)"
                + System.lineSeparator());
  }

  @Test
  void aClosedLockOrARunThatIsNotLockedIsTheNodesAnswerWithExitThree() {
    node.on(
        "POST",
        "/api/runs/f1/locks/l1",
        new FakeNode.Answer(
            409,
            "{\"title\":\"Conflict with the run's state\",\"status\":409,"
                + "\"detail\":\"run f1 is done, not locked\"}"));
    Cli conflict = koco("lock", FID, "--data", "approve=true");
    assertThat(conflict.exitCode()).isEqualTo(Exit.NODE);
    assertThat(conflict.err())
        .contains("409 Conflict with the run's state — run f1 is done, not locked");

    Cli gone = koco("lock", FID, "--lid", "l0", "--show");
    assertThat(gone.exitCode()).isEqualTo(Exit.NODE);
  }

  @Test
  void aRunWithoutAnOpenLockSaysSoWithExitThree() {
    node.on(
        "GET",
        "/api/runs/f1",
        new FakeNode.Answer(
            200,
            "{\"fid\":\"f1\",\"flow\":\"a.B\",\"events\":0,\"acknowledged\":false,\"state\":\"done\"}"));
    Cli done = koco("lock", FID);
    assertThat(done.exitCode()).isEqualTo(Exit.NODE);
    assertThat(done.err())
        .isEqualTo("koco: run f1 has no open lock (it is done)" + System.lineSeparator());

    node.on(
        "GET",
        "/api/runs/f1",
        new FakeNode.Answer(
            200,
            "{\"fid\":\"f1\",\"flow\":\"a.B\",\"events\":0,\"acknowledged\":false,\"state\":\"pending\"}"));
    assertThat(koco("lock", FID, "--show").err())
        .contains("it is pending; koco follow f1 shows when it locks");
  }

  @Test
  void badArgumentsAreUsageErrorsBeforeTheNodeIsAsked() {
    Cli malformed = koco("lock", FID, "--data", "approve");
    assertThat(malformed.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(malformed.err())
        .contains("--data 'approve' is not name=value (e.g. --data approve=true)");

    Cli both = koco("lock", FID, "--show", "--data", "approve=true");
    assertThat(both.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(both.err()).contains("--show only shows the demand");

    Cli badJson = koco("lock", FID, "--json-data", "[1]");
    assertThat(badJson.err()).contains("--json-data must be a JSON object");
    assertThat(node.requests).isEmpty();
  }

  @Test
  void aNodeThatIsDownIsExitFour() {
    Cli cli = Cli.run("lock", FID, "--data", "approve=true", "--node", "http://127.0.0.1:1");

    assertThat(cli.exitCode()).isEqualTo(Exit.UNREACHABLE);
  }

  @Test
  void valuesAreTypedFromWhatIsTyped() {
    assertThat(Map.of("v", LockPrompt.bool("Yes"))).containsEntry("v", true);
    assertThat(LockPrompt.bool("0")).isFalse();
    assertThat(LockPrompt.bool("maybe")).isNull();
    assertThat(LockPrompt.number(" 12 ", true)).isEqualTo(12L);
    assertThat(LockPrompt.number("12.0", true)).isEqualTo(12L);
    assertThat(LockPrompt.number("12.5", true)).isNull();
    assertThat(LockPrompt.number("12.5", false)).hasToString("12.5");
    assertThat(LockPrompt.number("twelve", false)).isNull();
  }
}
