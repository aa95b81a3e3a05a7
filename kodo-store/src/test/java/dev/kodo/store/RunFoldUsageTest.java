package dev.kodo.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.RunState;
import dev.kodo.client.RunUsage;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@link RunFold} sums a run's model calls from its {@code llm} actions. */
class RunFoldUsageTest {
  private static final Instant T0 = Instant.parse("2026-12-05T08:00:00.000Z");
  private static final String FID = "run-usage";

  private static RunRecord fold(String... actionData) {
    RunRecord r = RunRecord.start(new NewRun(FID, "crew.yaml", null, T0, "{}"));
    long seq = 0;
    r = RunFold.apply(r, Event.of(FID, ++seq, T0, EventType.INPUTS, "{}"));
    for (String d : actionData) {
      r = RunFold.apply(r, Event.of(FID, ++seq, T0, EventType.ACTION, d));
    }
    return r;
  }

  private static String llm(long in, long out, String extra) {
    return "{\"name\":\"llm\",\"provider\":\"openai\",\"model\":\"gpt-4o-mini\",\"agent\":\"writer\","
        + "\"input_tokens\":"
        + in
        + ",\"output_tokens\":"
        + out
        + ",\"latency_ms\":5,\"finish_reason\":\"stop\""
        + extra
        + "}";
  }

  @Test
  void aNewRunHasNoUsage() {
    assertThat(fold().usage()).isEqualTo(RunUsage.NONE);
    assertThat(RunUsage.NONE.none()).isTrue();
  }

  @Test
  void severalModelCallsAreSummed() {
    RunRecord r = fold(llm(100, 20, ""), llm(50, 5, ""), llm(1, 2, ""));

    assertThat(r.usage()).isEqualTo(new RunUsage(3, 151, 27, null));
    assertThat(r.lastSeq()).isEqualTo(4);
  }

  @Test
  void costIsSummedOverTheCallsThatCarryOne() {
    RunRecord r = fold(llm(1, 1, ""), llm(1, 1, ",\"cost\":0.25"), llm(1, 1, ",\"cost\":0.5"));

    assertThat(r.usage()).isEqualTo(new RunUsage(3, 3, 3, 0.75));
  }

  @Test
  void actionsThatAreNoModelCallsAreIgnored() {
    RunRecord r =
        fold(
            "{\"name\":\"search\",\"data\":{\"input_tokens\":5,\"output_tokens\":5}}",
            "{\"name\":\"llm\",\"data\":\"a flow's own action named llm, without token counts\"}",
            "{\"name\":\"LLM\",\"input_tokens\":1,\"output_tokens\":1}",
            "{\"tool\":\"llm\",\"input_tokens\":1,\"output_tokens\":1}",
            llm(10, 10, ""));

    assertThat(r.usage()).isEqualTo(new RunUsage(1, 10, 10, null));
  }

  @Test
  void otherEventTypesWithTheSameShapeAreIgnored() {
    RunRecord r = fold(llm(10, 10, ""));
    for (EventType t :
        List.of(EventType.ACTION_ERROR, EventType.RESULT, EventType.STDOUT, EventType.PROGRESS)) {
      r = RunFold.apply(r, Event.of(FID, r.lastSeq() + 1, T0, t, llm(99, 99, "")));
    }
    r = RunFold.apply(r, new Event(FID, r.lastSeq() + 1, T0, "process", "x-llm", llm(9, 9, "")));

    assertThat(r.usage()).isEqualTo(new RunUsage(1, 10, 10, null));
  }

  @Test
  void malformedDataIsIgnoredWithoutFailingTheRun() {
    RunRecord r =
        fold(
            "not json \"llm\"",
            "[\"llm\"]",
            "\"llm\"",
            "null",
            "{\"name\":\"llm\"",
            "{\"name\":\"llm\",\"input_tokens\":-1,\"output_tokens\":5}",
            "{\"name\":\"llm\",\"input_tokens\":1.5,\"output_tokens\":5}",
            "{\"name\":\"llm\",\"input_tokens\":\"12\",\"output_tokens\":5}",
            "{\"name\":\"llm\",\"input_tokens\":99999999999999999999999,\"output_tokens\":5}",
            "{\"name\":\"llm\",\"input_tokens\":1}",
            "{\"name\":\"llm\",\"input_tokens\":null,\"output_tokens\":null}",
            "{\"name\":[\"llm\"],\"input_tokens\":1,\"output_tokens\":1}",
            llm(4, 6, ",\"cost\":-1"),
            llm(4, 6, ",\"cost\":\"0.1\""),
            llm(4, 6, ",\"cost\":null"));

    assertThat(r.usage())
        .as("only the three well-formed calls count, without their bad costs")
        .isEqualTo(new RunUsage(3, 12, 18, null));
    assertThat(r.state()).isEqualTo(RunState.PENDING);
    assertThat(r.lastSeq()).isEqualTo(16);
  }

  @Test
  void sumsSaturateInsteadOfOverflowing() {
    RunRecord r =
        fold(llm(Long.MAX_VALUE, 1, ",\"cost\":1e308"), llm(Long.MAX_VALUE, 1, ",\"cost\":1e308"));

    assertThat(r.usage().inputTokens()).isEqualTo(Long.MAX_VALUE);
    assertThat(r.usage().outputTokens()).isEqualTo(2);
    assertThat(r.usage().cost()).isEqualTo(Double.MAX_VALUE);
  }

  @Test
  void usageStaysAfterTheRunEnds() {
    RunRecord r = fold(llm(3, 4, ",\"cost\":0.01"));
    r = RunFold.apply(r, Event.of(FID, r.lastSeq() + 1, T0, EventType.FINAL, "{\"ok\":true}"));

    assertThat(r.state()).isEqualTo(RunState.DONE);
    assertThat(r.usage()).isEqualTo(new RunUsage(1, 3, 4, 0.01));
  }
}
