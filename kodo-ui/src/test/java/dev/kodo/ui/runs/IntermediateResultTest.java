package dev.kodo.ui.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IntermediateResultTest {
  static final Instant T = Instant.parse("2026-12-06T20:00:00Z");

  /** A run's log of {@code n} progress events, with the given events put at their seqs. */
  static List<Event> log(int n, Event... at) {
    List<Event> all = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      all.add(Event.of("f", i, T, EventType.PROGRESS, "{\"value\":0,\"message\":\"\"}"));
    }
    for (Event e : at) all.set((int) e.seq() - 1, e);
    return all;
  }

  static Event result(long seq, String data) {
    return Event.of("f", seq, T, EventType.RESULT, data);
  }

  /** Reads like the store: events above {@code after}, at most {@code limit}; counts the reads. */
  static final class Store implements IntermediateResult.Events {
    final List<Event> log;
    int reads;

    Store(List<Event> log) {
      this.log = log;
    }

    @Override
    public List<Event> read(long after, int limit) {
      reads++;
      return log.stream().filter(e -> e.seq() > after).limit(limit).toList();
    }
  }

  @Test
  void theLatestMarkdownResultIsFound() {
    Store s =
        new Store(
            log(
                5,
                result(2, "{\"format\":\"markdown\",\"body\":\"# first\"}"),
                result(4, "{\"format\":\"markdown\",\"body\":\"# second <script>x</script>\"}")));
    IntermediateResult r = IntermediateResult.latest(s, 5, Level.ADVANCED);
    assertThat(r.seq()).isEqualTo(4);
    assertThat(r.markdown()).isTrue();
    assertThat(r.text()).isEqualTo("# second <script>x</script>");
    assertThat(s.reads).isEqualTo(1);
  }

  @Test
  void aJsonResultIsShownAsIndentedJson() {
    Store s = new Store(log(3, result(3, "{\"format\":\"json\",\"body\":{\"step\":\"one\"}}")));
    IntermediateResult r = IntermediateResult.latest(s, 3, Level.FULL);
    assertThat(r.markdown()).isFalse();
    assertThat(r.format()).isEqualTo("json");
    assertThat(r.text()).contains("\"step\" : \"one\"").contains("\n");
  }

  @Test
  void aCallerAtBasicSeesNoIntermediateResult() {
    Store s = new Store(log(3, result(2, "{\"format\":\"markdown\",\"body\":\"x\"}")));
    assertThat(IntermediateResult.latest(s, 3, Level.BASIC)).isNull();
    assertThat(s.reads).isZero();
  }

  @Test
  void noResultMalformedResultsAndAnEmptyRunGiveNothing() {
    assertThat(IntermediateResult.latest(new Store(log(30)), 30, Level.FULL)).isNull();
    assertThat(IntermediateResult.latest(new Store(List.of()), 0, Level.FULL)).isNull();
    Store bad =
        new Store(
            log(
                4,
                result(1, "{\"format\":\"markdown\",\"body\":\"ok\"}"),
                result(2, "{\"format\":\"markdown\",\"body\":{\"not\":\"text\"}}"),
                result(3, "{\"format\":\"markdown\"}"),
                result(4, "not json")));
    assertThat(IntermediateResult.latest(bad, 4, Level.FULL).seq()).isEqualTo(1);
  }

  @Test
  void theLogIsReadBackwardsInWindowsAndTheSearchIsBounded() {
    int n = 2_500;
    Store s = new Store(log(n, result(700, "{\"format\":\"markdown\",\"body\":\"early\"}")));
    IntermediateResult r = IntermediateResult.latest(s, n, Level.FULL);
    assertThat(r.seq()).isEqualTo(700);
    assertThat(s.reads).isEqualTo(2); // 1501..2500, then 501..1500 holds it

    int far = IntermediateResult.WINDOW * IntermediateResult.MAX_WINDOWS + 10;
    Store tooFar = new Store(log(far, result(5, "{\"format\":\"markdown\",\"body\":\"old\"}")));
    assertThat(IntermediateResult.latest(tooFar, far, Level.FULL)).isNull();
    assertThat(tooFar.reads).isEqualTo(IntermediateResult.MAX_WINDOWS);
  }
}
