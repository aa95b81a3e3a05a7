package dev.kodo.node.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.FlowUsage;
import dev.kodo.client.RunUsage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The per-flow figures a node's heartbeat carries: runs and model calls of the last hour. */
class FlowUsageCounterTest {
  private Instant now = Instant.parse("2026-12-05T08:00:00Z");

  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };

  private final FlowUsageCounter counter = new FlowUsageCounter(clock);

  @Test
  void modelCallsAreSummedPerFlowBesideTheRuns() {
    counter.started("crew");
    counter.modelCall("crew", new RunUsage(1, 100, 20, 0.25));
    counter.modelCall("crew", new RunUsage(1, 50, 5, null));
    counter.finished("crew");
    counter.modelCall("other", new RunUsage(1, 1, 1, 1.0));
    counter.modelCall(null, new RunUsage(1, 1, 1, 1.0));

    assertThat(counter.lastHour("crew")).isEqualTo(new FlowUsage(1, 1, 2, 150, 25, 0.25));
    assertThat(counter.lastHour("other")).isEqualTo(new FlowUsage(0, 0, 1, 1, 1, 1.0));
    assertThat(counter.lastHour("unused")).isEqualTo(FlowUsage.NONE);
  }

  @Test
  void callsOlderThanAnHourDropOut() {
    counter.modelCall("crew", new RunUsage(1, 10, 1, 0.5));
    now = now.plus(Duration.ofMinutes(30));
    counter.modelCall("crew", new RunUsage(1, 20, 2, null));
    assertThat(counter.lastHour("crew")).isEqualTo(new FlowUsage(0, 0, 2, 30, 3, 0.5));

    now = now.plus(Duration.ofMinutes(31));
    assertThat(counter.lastHour("crew")).isEqualTo(new FlowUsage(0, 0, 1, 20, 2, 0));

    // 60 minutes after the second call its bucket is reused for a new minute.
    now = now.plus(Duration.ofMinutes(29));
    counter.modelCall("crew", new RunUsage(1, 5, 5, 0.1));
    assertThat(counter.lastHour("crew")).isEqualTo(new FlowUsage(0, 0, 1, 5, 5, 0.1));
  }
}
