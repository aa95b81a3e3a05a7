package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** {@code koco worker}'s options are checked before it joins any cluster. */
class WorkerCommandTest {
  private static final String FLOW = "dev.kodo.examples.MarketReport";

  @Test
  void aMetricsPortOutOfRangeIsAUsageError() {
    Cli cli = Cli.run("worker", "--flows", FLOW, "--metrics-port", "70000");
    assertThat(cli.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(cli.err()).contains("--metrics-port must be between 0 and 65535, not 70000");
  }

  @Test
  void metricsOnAnAddressBeyondLoopbackNeedTheScrapeToken() {
    assumeTrue(System.getenv(WorkerCommand.SCRAPE_TOKEN) == null);
    Cli cli =
        Cli.run("worker", "--flows", FLOW, "--metrics-port", "9464", "--metrics-host", "0.0.0.0");
    assertThat(cli.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(cli.err())
        .contains("0.0.0.0 is not a loopback address")
        .contains("KODO_AUTH_SCRAPE_TOKEN");
  }
}
