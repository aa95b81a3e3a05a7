package dev.kodo.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Event;
import dev.kodo.client.NodeClient;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import dev.kodo.node.testflows.Deaf;
import dev.kodo.node.testflows.Erring;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Runs that nobody would end without a fix (zombies): a flow throwing an {@link Error}, and a
 * killed flow that ignores interruption. One node with an embedded worker of capacity 1, so that a
 * slot held by a deaf flow is visible.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ZombieRunsIT {
  private static final String QUICK = "dev.kodo.examples.ResearchSteps";

  static ConfigurableApplicationContext context;
  static NodeClient client;

  @BeforeAll
  static void start() {
    Path data = Path.of("target", "it-data", "zombies-" + UUID.randomUUID());
    context =
        NodeApplication.start(
            "--server.port=0",
            "--kodo.data=" + data,
            "--kodo.cluster.name=zombies-" + UUID.randomUUID(),
            "--kodo.worker.capacity=1",
            "--kodo.flows=classpath:*," + Erring.class.getName() + "," + Deaf.class.getName());
    client =
        NodeClient.connect(
            "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
  }

  @AfterAll
  static void stop() {
    Deaf.release();
    if (context != null) {
      context.close();
    }
  }

  private static RunDocument untilFinished(String fid) throws InterruptedException {
    return NodeTestSupport.await(
        "run " + fid + " to end",
        () -> {
          RunDocument r = client.run(fid);
          return r.state().finished() ? r : null;
        });
  }

  private static JsonNode worker() {
    return client.state().path("workers").get(0);
  }

  @ParameterizedTest
  @CsvSource({
    "oom, java.lang.OutOfMemoryError",
    "internal, java.lang.InternalError",
    "stack, java.lang.StackOverflowError",
    "init, java.lang.ExceptionInInitializerError",
    "linkage, java.lang.NoClassDefFoundError"
  })
  void aFlowThrowingAnErrorEndsItsRunWithError(String kind, String error)
      throws InterruptedException {
    RunDocument run = client.launch(Erring.class.getName(), Map.of("kind", kind));

    RunDocument ended = untilFinished(run.fid());

    assertThat(ended.state()).isEqualTo(RunState.ERROR);
    assertThat(ended.error().path("reason").asString()).isEqualTo("exception");
    assertThat(ended.error().path("error").asString()).isEqualTo(error);
    // The worker's only slot is free again: the next run executes.
    RunDocument next =
        client.launch(QUICK, Map.of("topic", "after " + kind, "steps", 1, "pause", 0));
    assertThat(untilFinished(next.fid()).state()).isEqualTo(RunState.DONE);
  }

  @Test
  void aKilledFlowDeafToInterruptsIsKilledAtOnceAndItsSlotShownLeakedUntilItReturns()
      throws InterruptedException {
    RunDocument deaf = client.launch(Deaf.class.getName(), Map.of());
    NodeTestSupport.await("the deaf flow to spin", () -> Deaf.spinning() == 1 ? true : null);

    RunDocument killed;
    try {
      killed = client.kill(deaf.fid());

      assertThat(killed.state()).as("reported killed at once").isEqualTo(RunState.KILLED);
      JsonNode leaking =
          NodeTestSupport.await(
              "the slot to be shown leaked",
              () -> worker().path("leaked").asInt(-1) == 1 ? worker() : null);
      assertThat(leaking.path("active").asInt())
          .as("a leaked flow no longer counts as an active run")
          .isZero();
      assertThat(Deaf.spinning()).as("the flow still spins").isEqualTo(1);
    } finally {
      Deaf.release();
    }

    RunDocument next =
        client.launch(QUICK, Map.of("topic", "after the deaf one", "steps", 1, "pause", 0));
    assertThat(untilFinished(next.fid()).state())
        .as("the slot came back when the flow returned")
        .isEqualTo(RunState.DONE);
    NodeTestSupport.await(
        "nothing leaked any more", () -> worker().path("leaked").asInt(-1) == 0 ? true : null);
    List<Event> events = new ArrayList<>();
    client.stream(deaf.fid(), 0, events::add);
    assertThat(events.getLast().type())
        .as("what the flow emitted after its kill was dropped")
        .isEqualTo("kill");
    assertThat(client.run(deaf.fid()).state()).isEqualTo(RunState.KILLED);
  }
}
