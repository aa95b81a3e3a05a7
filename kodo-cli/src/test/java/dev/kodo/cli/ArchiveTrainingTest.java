package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The class-data archive's training workload runs each of its commands to success. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ArchiveTrainingTest {
  @Test
  void theFlowsOfTheStandInAndTheGivenRunSucceed() throws Exception {
    assertThat(
            ArchiveTraining.train(
                "run", "dev.kodo.examples.MarketReport", "--input", "company=ACME"))
        .isZero();
  }

  @Test
  void aFailingCommandFailsTheTraining() throws Exception {
    assertThat(ArchiveTraining.train("run", "no.such.Flow")).isNotZero();
  }
}
