package dev.kodo.client;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadlineTest {

  @AfterEach
  void clear() {
    Deadline.clear();
  }

  @Test
  void aPassedDeadlineStopsTheWork() {
    Deadline.start(Duration.ofNanos(1));
    assertThatThrownBy(Deadline::check)
        .isInstanceOfSatisfying(
            Deadline.ExceededException.class, e -> Assertions.assertThat(e.retryable()).isTrue())
        .hasMessageContaining("deadline");
  }

  @Test
  void noDeadlineOrAFarOneNeverStopsIt() {
    assertThatCode(Deadline::check).doesNotThrowAnyException();
    Deadline.start(Duration.ofHours(1));
    assertThatCode(Deadline::check).doesNotThrowAnyException();
    Deadline.start(Duration.ZERO);
    assertThatCode(Deadline::check).doesNotThrowAnyException();
  }

  @Test
  void clearedDeadlinesAreGone() {
    Deadline.start(Duration.ofNanos(1));
    Deadline.clear();
    assertThatCode(Deadline::check).doesNotThrowAnyException();
  }

  @Test
  void eachThreadHasItsOwn() throws Exception {
    Deadline.start(Duration.ofNanos(1));
    try (var other = Executors.newVirtualThreadPerTaskExecutor()) {
      other
          .submit(Deadline::check)
          .get(); // would throw ExecutionException if the deadline were shared
    }
    assertThatThrownBy(Deadline::check).isInstanceOf(Deadline.ExceededException.class);
  }

  @Test
  void waitingForWorkEndsAtTheDeadlineAndReturnsWhatIsDoneInTime() {
    Deadline.start(Duration.ofMillis(50));
    assertThatThrownBy(() -> Deadline.await(new CompletableFuture<String>()))
        .isInstanceOf(Deadline.ExceededException.class);
    Deadline.start(Duration.ofHours(1));
    Assertions.assertThat(Deadline.await(CompletableFuture.completedFuture("written")))
        .isEqualTo("written");
    assertThatThrownBy(
            () ->
                Deadline.await(
                    CompletableFuture.failedFuture(new IllegalStateException("refused"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("refused");
  }
}
