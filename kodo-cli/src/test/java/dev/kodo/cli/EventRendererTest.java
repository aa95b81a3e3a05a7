package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EventRendererTest {
  private static final Instant TS = Instant.parse("2026-11-27T11:12:13.456Z");
  private final EventRenderer renderer =
      new EventRenderer(new PrintWriter(new StringWriter()), ZoneOffset.UTC, false, Style.PLAIN);

  private String render(EventType type, String data) {
    return renderer.render(Event.of("f1", 7, TS, type, data));
  }

  @Test
  void aLineStartsWithTheTimeAndTheType() {
    assertThat(render(EventType.STDOUT, "{\"line\":\"hello\"}"))
        .isEqualTo("11:12:13.456  stdout        hello");
  }

  @Test
  void inputsShowAsNameValuePairs() {
    assertThat(render(EventType.INPUTS, "{\"company\":\"ACME\",\"year\":2026,\"risks\":true}"))
        .endsWith("inputs        company=ACME, year=2026, risks=true");
    assertThat(render(EventType.INPUTS, "{}")).endsWith("(none)");
  }

  @Test
  void versionAndFlowSayWhatRuns() {
    assertThat(render(EventType.VERSION, "{\"kodo\":\"0.1.0\",\"java\":\"21.0.2\"}"))
        .endsWith("kodo 0.1.0 on Java 21.0.2");
    assertThat(render(EventType.FLOW, "{\"path\":\"a.B\",\"name\":\"Bee\",\"release\":\"1.2.0\"}"))
        .endsWith("Bee 1.2.0 (a.B)");
  }

  @Test
  void progressShowsABarThePercentageAndTheMessage() {
    assertThat(render(EventType.PROGRESS, "{\"value\":0.5,\"message\":\"halfway\"}"))
        .endsWith("progress      [##########----------]  50%  halfway");
    assertThat(render(EventType.PROGRESS, "{\"value\":1.0,\"message\":null}"))
        .endsWith("[####################] 100%");
    assertThat(render(EventType.PROGRESS, "{\"value\":7}")).contains("100%");
  }

  @Test
  void resultsFitOnOneLine() {
    assertThat(
            render(
                EventType.RESULT, "{\"format\":\"json\",\"body\":{\"step\":\"Collect\",\"n\":3}}"))
        .endsWith("result        {\"step\":\"Collect\",\"n\":3}");
    assertThat(
            render(
                EventType.RESULT,
                "{\"format\":\"markdown\",\"body\":\"# Title\\n\\nline one\\nline two\"}"))
        .endsWith("result        # Title  (+2 lines)")
        .doesNotContain("\n");
    assertThat(render(EventType.RESULT_ERROR, "{\"message\":\"source 3 timed out\"}"))
        .endsWith("result-error  source 3 timed out");
  }

  @Test
  void aVeryLongOneLineRenderingIsCut() {
    String line = "x".repeat(1000);
    assertThat(render(EventType.STDOUT, "{\"line\":\"" + line + "\"}"))
        .hasSizeLessThan(300)
        .endsWith("…");
  }

  @Test
  void actionsShowTheirNameAndData() {
    assertThat(render(EventType.ACTION, "{\"name\":\"step\",\"data\":{\"index\":1}}"))
        .endsWith("action        step {\"index\":1}");
    assertThat(
            render(
                EventType.ACTION_ERROR,
                "{\"name\":\"fetch\",\"message\":\"404 from example.org\"}"))
        .endsWith("action-error  fetch 404 from example.org");
  }

  @Test
  void logLinesShowAsTheyAre() {
    assertThat(render(EventType.STDERR, "{\"line\":\"warning: slow\"}"))
        .endsWith("stderr        warning: slow");
  }

  @Test
  void finalPrintsMarkdownAsTextAfterTheRuntime() {
    String out =
        render(
            EventType.FINAL,
            "{\"result\":{\"format\":\"markdown\",\"body\":\"# Report\\n\\n| a | b |\\n\"},\"runtime\":0.25}");

    assertThat(out)
        .isEqualTo("11:12:13.456  final         done in 0.250 s\n\n# Report\n\n| a | b |");
  }

  @Test
  void finalPrintsJsonIndented() {
    String out =
        render(
            EventType.FINAL,
            "{\"result\":{\"format\":\"json\",\"body\":{\"answer\":42}},\"runtime\":12.5}");

    assertThat(out)
        .startsWith("11:12:13.456  final         done in 12.5 s\n\n{")
        .contains("\"answer\" : 42");
  }

  @Test
  void fatalShowsTheMessageAndWhereOutsideTheJdk() {
    String out =
        render(
            EventType.FATAL,
            Json.write(
                Map.of(
                    "reason", "exception",
                    "message", "IllegalStateException: database unreachable",
                    "where",
                        List.of(
                            "java.base/java.util.Objects.requireNonNull(Objects.java:233)",
                            "com.acme.Flow.run(Flow.java:38)"),
                    "cause", "java.net.ConnectException: refused")));

    assertThat(out)
        .isEqualTo(
            "11:12:13.456  fatal         IllegalStateException: database unreachable\n"
                + "                            at com.acme.Flow.run(Flow.java:38)\n"
                + "                            caused by java.net.ConnectException: refused");
  }

  @Test
  void fatalWithoutAnExceptionShowsItsReason() {
    assertThat(
            render(
                EventType.FATAL,
                "{\"reason\":\"worker-lost\",\"message\":\"worker w1 left the cluster\"}"))
        .endsWith("fatal         worker w1 left the cluster [worker-lost]");
  }

  private static final String LOCK =
      "{\"lid\":\"l1\",\"expires\":\"2026-11-27T15:00:00Z\",\"demand\":{\"title\":\"Approve the plan\","
          + "\"markdown\":\"## Plan\",\"schema\":{\"properties\":{\"approve\":{\"type\":\"boolean\"},"
          + "\"comment\":{\"type\":\"string\",\"maxLength\":2000}},\"required\":[\"approve\"]},\"form\":[]}}";

  @Test
  void aLockSaysWhatItWaitsForUntilWhenAndTheFieldsItAsksFor() {
    assertThat(render(EventType.LOCK, LOCK))
        .isEqualTo(
            "11:12:13.456  lock          waiting for input: Approve the plan (lock l1, until 2026-11-27 15:00:00)\n"
                + "                            asks for approve (true/false, required), comment (text (max 2000 chars))");
    assertThat(render(EventType.LOCK, "{\"lid\":\"l2\"}"))
        .endsWith("lock          waiting for input (lock l2)");
  }

  @Test
  void followingOnANodeALockSaysHowToAnswerIt() {
    String out = renderer.withLockHints().render(Event.of("f1", 7, TS, EventType.LOCK, LOCK));

    assertThat(out.lines().toList())
        .last()
        .isEqualTo("                            answer it: koco lock f1");
    assertThat(render(EventType.LOCK, LOCK)).doesNotContain("koco lock");
  }

  @Test
  void answersAndVerdictsNameTheAnswerAndTheLock() {
    assertThat(
            render(
                EventType.CANDIDATE,
                "{\"lid\":\"l1\",\"cid\":\"c1\",\"data\":{\"approve\":true,\"comment\":\"two\\nlines\"}}"))
        .endsWith("candidate     answer c1 to lock l1: approve=true, comment=two\\nlines");
    assertThat(render(EventType.UNLOCK, "{\"lid\":\"l1\",\"cid\":\"c1\"}"))
        .endsWith("unlock        lock l1 released: answer c1 accepted");
    assertThat(render(EventType.UNLOCK_TIMEOUT, "{\"lid\":\"l1\",\"cid\":\"c3\"}"))
        .endsWith(
            "unlock-timeout  answer c3 to lock l1 was not judged in time; the lock stays open");
    assertThat(render(EventType.LOCK_TIMEOUT, "{\"lid\":\"l1\"}"))
        .endsWith("lock-timeout  lock l1 expired without an accepted answer");
  }

  @Test
  void aDenialGivesItsReasonInlineOrSeveralOnLinesOfTheirOwn() {
    assertThat(
            render(
                EventType.UNLOCK_DENY,
                "{\"lid\":\"l1\",\"cid\":\"c2\",\"errors\":[{\"field\":\"comment\",\"message\":\"is required\"}]}"))
        .endsWith("unlock-deny   answer c2 to lock l1 denied: comment: is required");
    assertThat(
            render(
                EventType.UNLOCK_DENY,
                "{\"lid\":\"l1\",\"cid\":\"c3\",\"errors\":[{\"field\":\"x\",\"message\":\"unknown\"},"
                    + "{\"field\":\"\",\"message\":\"lock l0 is not open\"}]}"))
        .isEqualTo(
            "11:12:13.456  unlock-deny   answer c3 to lock l1 denied (2 reasons)\n"
                + "                            - x: unknown\n"
                + "                            - lock l0 is not open");
  }

  @Test
  void manageEventsSayWhatHappenedAndWho() {
    assertThat(render(EventType.KILL, "{\"by\":\"admin\"}"))
        .endsWith("kill          run killed by admin");
    assertThat(render(EventType.KILL, "{\"by\":null}")).endsWith("kill          run killed");
    assertThat(render(EventType.KILL, "{\"reason\":\"timeout\"}"))
        .endsWith("kill          run killed (reason=timeout)");
    assertThat(render(EventType.KILL, "{}")).endsWith("kill          run killed");
    assertThat(render(EventType.ACKNOWLEDGE, "{\"by\":\"ada\"}"))
        .endsWith("acknowledge   run acknowledged by ada");
    assertThat(render(EventType.ACKNOWLEDGE, "{}")).endsWith("acknowledge   run acknowledged");
    assertThat(
            render(
                EventType.SHARE,
                "{\"subjects\":[\"ada\",\"ops\"],\"level\":\"advanced\",\"mode\":\"r\"}"))
        .endsWith("share         shared with ada, ops (level advanced, mode r)");
    assertThat(render(EventType.DELETE, "{}")).endsWith("delete        run deleted");
  }

  @Test
  void anUnknownTypeStillRenders() {
    Event e = new Event("f1", 3, TS, "process", "telemetry", "{\"tokens\":12}");

    assertThat(renderer.render(e)).isEqualTo("11:12:13.456  telemetry     {\"tokens\":12}");
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  void everyTypeOfTheCatalogueRendersOnALineOfItsOwn(EventType type) {
    String out = render(type, "{}");

    assertThat(out).startsWith("11:12:13.456  " + type.type());
  }

  @Test
  void jsonModePrintsEachEventAsOneLineOfJson() {
    StringWriter text = new StringWriter();
    EventRenderer json =
        new EventRenderer(new PrintWriter(text), ZoneOffset.UTC, true, Style.PLAIN);

    json.print(Event.of("f1", 1, TS, EventType.PROGRESS, "{\"value\":0.5,\"message\":\"half\"}"));

    assertThat(text.toString())
        .isEqualTo(
            "{\"fid\":\"f1\",\"seq\":1,\"ts\":\"2026-11-27T11:12:13.456Z\",\"kind\":\"process\","
                + "\"type\":\"progress\",\"data\":{\"value\":0.5,\"message\":\"half\"}}"
                + System.lineSeparator());
  }

  @Test
  void coloursAreOnlyAddedWhenAsked() {
    EventRenderer coloured =
        new EventRenderer(
            new PrintWriter(new StringWriter()), ZoneOffset.UTC, false, new Style(true));

    assertThat(coloured.render(Event.of("f1", 1, TS, EventType.FATAL, "{\"message\":\"boom\"}")))
        .contains("\u001b[31m");
    assertThat(render(EventType.FATAL, "{\"message\":\"boom\"}")).doesNotContain("\u001b");
  }
}
