package dev.kodo.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Progress;
import dev.kodo.client.RunState;
import dev.kodo.testing.FlowTester;
import dev.kodo.testing.TestRun;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MarketReportTest {
  private final FlowTester tester = FlowTester.of(MarketReport.class);

  @Test
  void writesAReportWithAllItsSections() {
    TestRun run = tester.run(Map.of("company", "ACME Corp"));

    assertThat(run.state()).isEqualTo(RunState.DONE);
    assertThat(run.progress()).extracting(Progress::value).containsExactly(0.2, 0.6, 1.0);
    assertThat(run.markdown())
        .startsWith("# ACME Corp — Q3 2026 market report\n\n_Figures as of 2026-12-31.")
        .contains("## Key figures\n\n| Metric | Value | Trend |\n|---|---:|:---:|\n| Revenue | ")
        .contains("| Growth (YoY) | ", "| Operating margin | ")
        .contains("## Highlights\n\n1. **Demand**")
        .contains("\n> We expect")
        .contains("## Risks\n\n- Currency swings\n")
        .contains("## Method\n\n```text\n")
        .doesNotContain("## Analyst notes");
  }

  @Test
  void leavesOutTheRisksWhenAskedTo() {
    assertThat(tester.run(Map.of("company", "ACME", "risks", false)).markdown())
        .doesNotContain("## Risks", "Currency swings");
    assertThat(tester.run(Map.of("company", "ACME", "risks", "off")).markdown())
        .doesNotContain("## Risks");
  }

  @Test
  void honoursQuarterYearDateAndNotes() {
    String md =
        tester
            .run(
                Map.of(
                    "company",
                    "Initech",
                    "quarter",
                    "Q1",
                    "year",
                    "2031",
                    "asOf",
                    "2031-03-31",
                    "notes",
                    "Watch the *supply* side."))
            .markdown();
    assertThat(md)
        .startsWith("# Initech — Q1 2031 market report\n\n_Figures as of 2031-03-31.")
        .contains("## Analyst notes\n\nWatch the *supply* side.\n");
  }

  @Test
  void givesTheSameFiguresForTheSameInputs() {
    Map<String, Object> inputs = Map.of("company", "ACME", "quarter", "Q2");
    assertThat(tester.run(inputs).markdown()).isEqualTo(tester.run(inputs).markdown());
    assertThat(tester.run(Map.of("company", "Umbrella")).markdown())
        .isNotEqualTo(tester.run(inputs).markdown());
  }
}
