package dev.kodo.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Event;
import dev.kodo.client.EventsPage;
import dev.kodo.client.NodeClient;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;

/** 500 launches at once: every run reaches final, and every run's log is 1..n without gaps. */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ConcurrentLaunchIT {
  static ConfigurableApplicationContext context;
  static NodeClient client;

  @BeforeAll
  static void start() {
    Path data = Path.of("target", "it-data", UUID.randomUUID().toString());
    context =
        NodeApplication.start(
            "--server.port=0",
            "--kodo.data=" + data,
            "--kodo.cluster.name=it-" + UUID.randomUUID(),
            "--kodo.flows=classpath:*");
    client =
        NodeClient.connect(
            "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
  }

  @AfterAll
  static void stop() {
    context.close();
  }

  @Test
  void fiveHundredConcurrentLaunchesAllReachFinalWithGaplessLogs() throws Exception {
    int n = 500;
    List<Future<RunDocument>> launches = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        int k = i;
        launches.add(
            pool.submit(
                () ->
                    client.launch(
                        "dev.kodo.examples.ResearchSteps",
                        Map.of("topic", "topic " + k, "steps", 1 + k % 4, "pause", 0))));
      }
    }
    List<String> fids = new ArrayList<>();
    for (Future<RunDocument> f : launches) {
      fids.add(f.get().fid());
    }
    assertThat(fids).doesNotHaveDuplicates().hasSize(n);

    List<Future<List<Event>>> streams = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (String fid : fids) {
        streams.add(
            pool.submit(
                () -> {
                  List<Event> events = new ArrayList<>();
                  client.stream(fid, 0, events::add);
                  return events;
                }));
      }
    }
    for (int i = 0; i < n; i++) {
      List<Event> events = streams.get(i).get();
      String fid = fids.get(i);
      assertThat(events.getLast().type()).as("last event of %s", fid).isEqualTo("final");
      assertThat(NodeTestSupport.seqs(events))
          .as("seqs of %s", fid)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().toList());
      assertThat(events).allMatch(e -> e.fid().equals(fid));
      // The stored log is the same as the streamed one.
      EventsPage stored = client.events(fid, 0, 10_000);
      assertThat(stored.items()).hasSameSizeAs(events);
      assertThat(client.run(fid).state()).isEqualTo(RunState.DONE);
    }
  }
}
