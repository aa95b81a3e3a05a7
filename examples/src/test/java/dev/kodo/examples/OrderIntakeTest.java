package dev.kodo.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.EventType;
import dev.kodo.client.RunState;
import dev.kodo.testing.AsyncRun;
import dev.kodo.testing.FlowTester;
import dev.kodo.testing.TestRun;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrderIntakeTest {
  private final FlowTester tester = FlowTester.of(OrderIntake.class);

  @Test
  void aMissingQuantityIsAskedFor() {
    AsyncRun running = tester.runAsync(Map.of("product", "kettle"));
    try {
      TestRun.Lock lock = running.awaitLock();

      assertThat(lock.title()).isEqualTo("Complete the order of kettle");
      assertThat(lock.fields())
          .containsExactly("quantity", "name", "street", "country", "postcode");
      assertThat(lock.required()).contains("quantity");
    } finally {
      running.kill();
    }
  }

  @Test
  void aQuantityGivenAtLaunchIsNotAskedAgain() {
    AsyncRun running = tester.runAsync(Map.of("product", "teapot", "quantity", 3));
    TestRun.Lock lock = running.awaitLock();
    assertThat(lock.fields()).containsExactly("name", "street", "country", "postcode");

    assertThat(running.answer(address("CH", "8001")).accepted()).isTrue();

    TestRun run = running.await();
    assertThat(run.markdown())
        .contains("| Quantity | 3 |")
        .contains("| Ship to | Ada Lovelace, Main Street 1, 8001 CH |");
  }

  @Test
  void aPostcodeThatDoesNotFitTheCountryIsDeniedUntilOneDoes() {
    AsyncRun running = tester.runAsync(Map.of("product", "cups"));
    running.awaitLock();

    Map<String, Object> bad = address("DE", "1234");
    bad.put("quantity", 2);
    TestRun.Verdict denied = running.answer(bad);
    assertThat(denied.accepted()).isFalse();
    assertThat(denied.errors()).extracting(e -> e.field()).containsExactly("postcode");
    assertThat(denied.reasons("postcode"))
        .singleElement()
        .asString()
        .contains("1234")
        .contains("DE");

    Map<String, Object> good = address("DE", "10115");
    good.put("quantity", 2);
    TestRun.Verdict accepted = running.answer(good);
    assertThat(accepted.accepted()).isTrue();

    TestRun run = running.await();
    assertThat(run.state()).isEqualTo(RunState.DONE);
    assertThat(run.markdown())
        .startsWith("# Order placed")
        .contains(
            "| Product | cups |",
            "| Quantity | 2 |",
            "| Ship to | Ada Lovelace, Main Street 1, 10115 DE |");
    assertThat(run.actions())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.name()).isEqualTo("order-placed");
              assertThat(a.data().path("quantity").asInt()).isEqualTo(2);
              assertThat(a.data().path("country").asString()).isEqualTo("DE");
            });
    assertThat(run.verdicts()).extracting(TestRun.Verdict::accepted).containsExactly(false, true);
  }

  @Test
  void anAnswerWithoutTheQuantityIsDeniedByTheForm() {
    AsyncRun running = tester.runAsync(Map.of("product", "kettle"));
    try {
      running.awaitLock();

      TestRun.Verdict denied = running.answer(address("GB", "SW1A 1AA"));

      assertThat(denied.accepted()).isFalse();
      assertThat(denied.reasons("quantity")).containsExactly("is required");
    } finally {
      running.kill();
    }
  }

  @Test
  void aRunKilledWhileLockedEndsKilled() {
    AsyncRun running = tester.runAsync(Map.of("product", "kettle"));
    running.awaitLock();

    running.kill();

    TestRun run = running.await();
    assertThat(run.state()).isEqualTo(RunState.KILLED);
    assertThat(run.types()).endsWith("lock", "kill");
    assertThat(run.events(EventType.FATAL)).isEmpty();
    assertThat(run.actions()).isEmpty();
  }

  private static Map<String, Object> address(String country, String postcode) {
    Map<String, Object> a = new HashMap<>();
    a.put("name", "Ada Lovelace");
    a.put("street", "Main Street 1");
    a.put("country", country);
    a.put("postcode", postcode);
    return a;
  }
}
