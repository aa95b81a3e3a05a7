package dev.kodo.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RetryingTest {
  @Test
  void waitsLongerAfterEachFailureUpToTwoSecondsAndAfreshOnceACallWorks() {
    Retrying retrying = new Retrying(LoggerFactory.getLogger(RetryingTest.class), "a test loop");
    RuntimeException gone = new IllegalStateException("the member is gone");

    List<Long> waits = new ArrayList<>();
    for (int i = 0; i < 10; i++) waits.add(retrying.failed(gone));
    retrying.succeeded();

    assertThat(waits).containsExactly(10L, 20L, 40L, 80L, 160L, 320L, 640L, 1280L, 2000L, 2000L);
    assertThat(retrying.failed(gone)).as("after a call that worked").isEqualTo(10L);
  }
}
