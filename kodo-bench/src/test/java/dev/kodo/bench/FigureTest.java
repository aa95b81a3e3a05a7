package dev.kodo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A figure's verdict: against its value, or, for a ratio target, against value ÷ baseline. */
class FigureTest {

  @Test
  void anAbsoluteTargetBoundsTheValue() {
    Figure f = new Figure("launch", 1_200, "runs/s", 3_000, "no-op POST/s", true, 1_000);
    assertThat(f.targetIsRatio()).isFalse();
    assertThat(f.verdict()).isEqualTo("MET (target ≥ 1,000)");
    assertThat(new Figure("p99", 25, "ms", 3, "no-op", false, 20).verdict())
        .isEqualTo("MISSED (target ≤ 20.0)");
  }

  @Test
  void aRatioTargetBoundsValueOverBaseline() {
    // 300 runs/s is well over an absolute 0.5, but only 0.3 of the baseline: missed.
    Figure slow = Figure.ratioTarget("launch, auth on", 300, "runs/s", 1_000, "off", true, 0.50);
    assertThat(slow.verdict()).isEqualTo("MISSED (target ratio ≥ 0.50)");
    Figure fast = Figure.ratioTarget("launch, auth on", 600, "runs/s", 1_000, "off", true, 0.50);
    assertThat(fast.verdict()).isEqualTo("MET (target ratio ≥ 0.50)");
    // 4 ms over a 2 ms baseline is a ratio of 2 > 1.5: missed; 2.8 ms is 1.4: met.
    assertThat(Figure.ratioTarget("p99, auth on", 4, "ms", 2, "off", false, 1.5).verdict())
        .isEqualTo("MISSED (target ratio ≤ 1.50)");
    assertThat(Figure.ratioTarget("p99, auth on", 2.8, "ms", 2, "off", false, 1.5).verdict())
        .isEqualTo("MET (target ratio ≤ 1.50)");
  }

  @Test
  void aSecondTargetOnTheRatioIsJudgedInTheNote() {
    // 1,200 runs/s meets the absolute 1,000 but is only 0.40 of a 3,000/s baseline.
    Figure launch =
        new Figure("launch", 1_200, "runs/s", 3_000, "no-op POST/s", true, 1_000)
            .withRatioTarget(0.80);
    assertThat(launch.row()).endsWith("MET (target ≥ 1,000)  MISSED (target ratio ≥ 0.80)");
    Figure events =
        new Figure("events", 300, "events/s", 400, "raw rows/s", true, Double.NaN)
            .withNote("5 rounds")
            .withRatioTarget(0.70);
    assertThat(events.row()).endsWith("0.750  MET (target ratio ≥ 0.70)  5 rounds");
  }

  @Test
  void aSkippedFigureIsItsNameAndWhyAndANoteFollowsTheVerdict() {
    Figure skipped = Figure.skipped("launch → final, PostgreSQL", "no PostgreSQL");
    assertThat(skipped.isSkipped()).isTrue();
    assertThat(skipped.row())
        .startsWith("launch → final, PostgreSQL")
        .endsWith("skipped (no PostgreSQL)")
        .doesNotContain("NaN");
    Figure noted =
        new Figure("runs/s, 2 workers", 90, "runs/s", 100, "1 worker", true, Double.NaN)
            .withNote("2 cores");
    assertThat(noted.isSkipped()).isFalse();
    assertThat(noted.row()).contains("0.900").endsWith("2 cores");
  }
}
