package dev.kodo.engine;

import static dev.kodo.client.EventType.FINAL;
import static dev.kodo.client.EventType.STDERR;
import static dev.kodo.client.EventType.STDOUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Result;
import dev.kodo.sdk.internal.SdkBridge;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StdCaptureTest {

  /**
   * Prints from its own thread, from a platform and a virtual thread it starts, and while another
   * thread prints.
   */
  public static final class Printer implements Flow {
    static volatile CountDownLatch inRun = new CountDownLatch(1);
    static volatile CountDownLatch outsiderDone = new CountDownLatch(1);

    @Override
    public FlowSpec spec() {
      return FlowSpec.builder("Printer").build();
    }

    @Override
    public Result run(FlowContext ctx) throws Exception {
      System.out.println("from the flow");
      System.err.println("warning from the flow");
      Thread platform =
          Thread.ofPlatform().start(() -> System.out.println("from a platform thread"));
      Thread virtual = Thread.ofVirtual().start(() -> System.err.println("from a virtual thread"));
      platform.join();
      virtual.join();
      inRun.countDown();
      if (!outsiderDone.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the outsider did not print");
      }
      System.out.print("last line without newline");
      return Result.markdown("done");
    }
  }

  @Test
  void outputOfTheFlowAndOfThreadsItStartsLandsInTheRunAndNobodyElses() throws Exception {
    Printer.inRun = new CountDownLatch(1);
    Printer.outsiderDone = new CountDownLatch(1);
    Thread outsider =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    Printer.inRun.await();
                    System.out.println("outsider line");
                    System.err.println("outsider error");
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  } finally {
                    Printer.outsiderDone.countDown();
                  }
                });
    Recorder sink = new Recorder();
    LoadedFlow flow = LoadedFlow.of(Printer.class);

    RunOutcome outcome =
        FlowRunner.run(
            flow, SdkBridge.validate(flow.spec().inputs(), Map.of()), new RunHandle("p"), sink);
    outsider.join();

    assertThat(outcome).isEqualTo(RunOutcome.DONE);
    assertThat(sink.lines(STDOUT))
        .containsExactly("from the flow", "from a platform thread", "last line without newline");
    assertThat(sink.lines(STDERR))
        .containsExactly("warning from the flow", "from a virtual thread");
  }

  @Test
  void aPartialLastLineComesBeforeTheFinalEvent() {
    Recorder sink = new Recorder();
    Printer.inRun = new CountDownLatch(1);
    Printer.outsiderDone = new CountDownLatch(0);
    LoadedFlow flow = LoadedFlow.of(Printer.class);
    FlowRunner.run(
        flow, SdkBridge.validate(flow.spec().inputs(), Map.of()), new RunHandle("p"), sink);
    assertThat(sink.types().getLast()).isEqualTo(FINAL);
  }

  @Test
  void theCallingThreadIsUnboundAfterTheRun() {
    List<String> lines = new CopyOnWriteArrayList<>();
    try (StdCapture.Binding ignored = StdCapture.bind(lines::add, lines::add)) {
      System.out.println("inside");
    }
    System.out.println("StdCaptureTest: this line belongs to the test output, not to a run");
    assertThat(lines).containsExactly("inside");
  }

  @Test
  void splitsLinesOnNewlinesAndDropsCarriageReturns() {
    List<String> out = new CopyOnWriteArrayList<>();
    try (StdCapture.Binding ignored = StdCapture.bind(out::add, out::add)) {
      System.out.print("one\r\ntwo\n\nthree\nfour");
      System.out.print("-continued\n");
    }
    assertThat(out).containsExactly("one", "two", "", "three", "four-continued");
  }

  @Test
  void keepsUnicode() {
    List<String> out = new CopyOnWriteArrayList<>();
    try (StdCapture.Binding ignored = StdCapture.bind(out::add, out::add)) {
      System.out.println("Grüße, 世界 😀");
    }
    assertThat(out).containsExactly("Grüße, 世界 😀");
  }

  @Test
  void splitsOverlongLinesBetweenCharacters() {
    List<String> out = new CopyOnWriteArrayList<>();
    String line = "é".repeat(20_000); // 40,000 bytes of two-byte characters
    try (StdCapture.Binding ignored = StdCapture.bind(out::add, out::add)) {
      System.out.print("x"); // shifts the characters so that one straddles the 16 KiB mark
      System.out.println(line);
    }
    assertThat(out).hasSizeGreaterThan(1);
    assertThat(String.join("", out)).isEqualTo("x" + line);
    assertThat(out)
        .allSatisfy(
            l -> {
              assertThat(l.getBytes(StandardCharsets.UTF_8).length)
                  .isLessThanOrEqualTo(16 * 1024 + 4);
              assertThat(l).doesNotContain("\uFFFD");
            });
  }

  @Test
  void keepsLinesWholeWhenThreadsOfOneRunPrintAtOnce() throws Exception {
    List<String> out = new CopyOnWriteArrayList<>();
    try (StdCapture.Binding ignored = StdCapture.bind(out::add, out::add)) {
      List<Thread> threads =
          List.of("a", "b", "c", "d").stream()
              .map(
                  name ->
                      Thread.ofVirtual()
                          .start(
                              () -> {
                                for (int i = 0; i < 500; i++) {
                                  System.out.println(name.repeat(20) + i);
                                }
                              }))
              .toList();
      for (Thread t : threads) {
        t.join();
      }
    }
    assertThat(out).hasSize(2_000).allMatch(l -> l.matches("(a{20}|b{20}|c{20}|d{20})\\d+"));
  }

  @Test
  void aThreadLeftBehindNoLongerWritesIntoTheRun() throws Exception {
    List<String> out = new CopyOnWriteArrayList<>();
    CountDownLatch printed = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    Thread straggler;
    try (StdCapture.Binding ignored = StdCapture.bind(out::add, out::add)) {
      straggler =
          Thread.ofVirtual()
              .start(
                  () -> {
                    System.out.println("while bound");
                    printed.countDown();
                    try {
                      closed.await();
                    } catch (InterruptedException e) {
                      return;
                    }
                    System.out.println("StdCaptureTest: a straggler's line after its run ended");
                  });
      assertThat(printed.await(10, TimeUnit.SECONDS)).isTrue();
    }
    closed.countDown();
    straggler.join();
    assertThat(out).containsExactly("while bound");
  }

  @Test
  void nestedBindingsRestoreTheOuterOne() {
    List<String> outer = new CopyOnWriteArrayList<>();
    List<String> inner = new CopyOnWriteArrayList<>();
    try (StdCapture.Binding a = StdCapture.bind(outer::add, outer::add)) {
      System.out.println("1");
      try (StdCapture.Binding b = StdCapture.bind(inner::add, inner::add)) {
        System.out.println("2");
      }
      System.out.println("3");
    }
    assertThat(outer).containsExactly("1", "3");
    assertThat(inner).containsExactly("2");
  }
}
