package dev.kodo.bench;

import dev.kodo.client.NodeClient;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import dev.kodo.client.RunUsage;
import dev.kodo.store.EventStore;
import dev.kodo.store.RunQuery;
import dev.kodo.testing.ModelReply;
import dev.kodo.testing.ScriptedModelServer;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agentic engine's figures of issue 9 (scenario {@code agents}): a scripted model server
 * (kodo-testing, answering {@code "ok"} at once) stands in for the provider, so that what is
 * measured is Kodo's own cost, not a model's.
 *
 * <ol>
 *   <li><b>Observed model call</b>: calls/s of {@link ModelCaller} — a run on the bench's node
 *       calling the observed model {@code bench} ({@code Models.chat}), one call after the other,
 *       each also an {@code action} event — vs. the same number of calls of a plain LangChain4j
 *       {@link OpenAiChatModel} made directly from one thread.
 *   <li><b>Crew runs/s</b>: a two-task sequential crew ({@code bench-crew.yaml}) launched from 100
 *       concurrent clients, each run to {@code final}, vs. the runs/s the model server alone would
 *       allow: direct calls/s at concurrency 100 divided by the crew's 2 calls per run.
 * </ol>
 *
 * Prepare it before the node starts ({@link #prepare}): the node must be given {@link
 * #nodeArguments()}; close it after the node has stopped.
 */
final class AgentsScenario implements AutoCloseable {
  /** The crew's path on the node: its file name without {@code .yaml} (docs/flows.md). */
  static final String CREW = "bench-crew";

  /** Model calls one run of the crew makes: one per task, no tools. */
  static final int CALLS_PER_CREW_RUN = 2;

  /** Concurrent clients (and, for the baseline, concurrent direct callers) of the crew figure. */
  static final int CONCURRENCY = 100;

  /** Not a secret: the scripted server only checks that the node hands it through. */
  private static final String API_KEY = "bench-key";

  private static final String MODEL_NAME = "bench-model";

  private final ScriptedModelServer models;
  private final Path crewFile;

  private AgentsScenario(ScriptedModelServer models, Path crewFile) {
    this.models = models;
    this.crewFile = crewFile;
  }

  /** Starts the scripted model server and writes the bench crew into {@code dir}. */
  static AgentsScenario prepare(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path crew = dir.resolve(CREW + ".yaml");
    try (InputStream in = AgentsScenario.class.getResourceAsStream(CREW + ".yaml")) {
      if (in == null) {
        throw new IllegalStateException("kodo-bench lacks its resource " + CREW + ".yaml");
      }
      Files.copy(in, crew);
    }
    ScriptedModelServer models = ScriptedModelServer.start();
    models.requireApiKey(API_KEY).always(ModelReply.text("ok").usage(10, 2));
    return new AgentsScenario(models, crew);
  }

  /** What {@code kodo.flows} must offer besides the other scenarios' flows. */
  List<String> flows() {
    return List.of(ModelCaller.class.getName(), crewFile.toString());
  }

  /**
   * The node's secrets (the crew's {@code ${OPENAI_BASE_URL}} and {@code ${OPENAI_API_KEY}}) and
   * the settings of the model {@code bench} that {@link ModelCaller} calls — without retries, like
   * the direct baseline.
   */
  List<String> nodeArguments() {
    String p = "--kodo.agents.models." + ModelCaller.MODEL + ".";
    return List.of(
        "--kodo.secrets.OPENAI_BASE_URL=" + models.baseUrl(),
        "--kodo.secrets.OPENAI_API_KEY=" + API_KEY,
        p + "provider=openai",
        p + "model=" + MODEL_NAME,
        p + "base-url=${OPENAI_BASE_URL}",
        p + "api-key=${OPENAI_API_KEY}",
        p + "max-retries=0");
  }

  /** Both figures, measured against the node at {@code uri}. */
  List<Figure> run(boolean quick, NodeClient client, URI uri, EventStore store)
      throws InterruptedException {
    List<Figure> figures = new ArrayList<>();
    figures.add(observedModelCall(quick, client, store));
    figures.add(crewThroughput(quick, uri, store));
    return figures;
  }

  /** A plain LangChain4j model on the scripted server: what a flow would build for itself. */
  private ChatModel directModel() {
    return OpenAiChatModel.builder()
        .baseUrl(models.baseUrl())
        .apiKey(API_KEY)
        .modelName(MODEL_NAME)
        .maxRetries(0)
        .build();
  }

  /**
   * Figure 1: N observed calls inside a run vs. N direct calls, both sequential from one thread,
   * after a warm-up of both.
   */
  private Figure observedModelCall(boolean quick, NodeClient client, EventStore store)
      throws InterruptedException {
    int calls = quick ? 300 : 2_000;
    ChatModel direct = directModel();
    // Warm up both paths (JIT, connection pools, SQLite pages); then one measurement each, to keep
    // the whole scenario well under a minute.
    directCalls(direct, calls / 4);
    observedCalls(client, store, calls / 4);
    double directSeconds = directCalls(direct, calls);
    double observedSeconds = observedCalls(client, store, calls);
    double directRate = calls / directSeconds;
    double observedRate = calls / observedSeconds;
    double overheadMicros = (observedSeconds - directSeconds) / calls * 1e6;
    System.out.printf(
        Locale.ROOT,
        "agents: %,d observed model calls in one run in %.3f s (%,.0f calls/s, %.1f µs a call);"
            + " %,d direct LangChain4j calls in %.3f s (%,.0f calls/s, %.1f µs a call);"
            + " overhead %+.1f µs a call%n",
        calls,
        observedSeconds,
        observedRate,
        observedSeconds / calls * 1e6,
        calls,
        directSeconds,
        directRate,
        directSeconds / calls * 1e6,
        overheadMicros);
    return new Figure(
        "observed model call",
        observedRate,
        "calls/s",
        directRate,
        "direct LangChain4j call/s",
        true,
        Double.NaN);
  }

  /** Seconds {@code calls} direct calls of {@code model} take, one after the other. */
  private static double directCalls(ChatModel model, int calls) {
    long start = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      answered(model.chat("ping " + i), i);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static void answered(String answer, int call) {
    if (!"ok".equals(answer)) {
      throw new IllegalStateException(
          "direct call " + call + " answered " + answer + " instead of ok");
    }
  }

  /**
   * Seconds a run of {@link ModelCaller} took for its {@code calls} observed calls (measured by the
   * flow around its calls), after checking that the run is done and its usage counts every call.
   */
  private double observedCalls(NodeClient client, EventStore store, int calls)
      throws InterruptedException {
    RunDocument launched = client.launch(ModelCaller.class.getName(), Map.of("count", calls));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!store.run(launched.fid()).orElseThrow().state().finished()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("run " + launched.fid() + " did not finish within 120 s");
      }
      Thread.sleep(2);
    }
    RunDocument run = client.run(launched.fid());
    if (run.state() != RunState.DONE) {
      throw new IllegalStateException(
          "run " + run.fid() + " of ModelCaller ended " + run.state().wire() + ": " + run.error());
    }
    RunUsage usage = run.usage();
    if (usage == null || usage.calls() != calls) {
      throw new IllegalStateException(
          "run " + run.fid() + " made " + calls + " model calls but its usage says " + usage);
    }
    // The run document's result is the final event's data: {result: {format, body}, runtime}.
    long nanos = run.result().path("result").path("body").path("nanos").asLong(-1);
    if (nanos <= 0) {
      throw new IllegalStateException(
          "run " + run.fid() + " of ModelCaller ended without a timing: " + run.result());
    }
    return nanos / 1e9;
  }

  /**
   * Figure 2: crew runs launched from {@link #CONCURRENCY} clients, all to {@code final}, vs.
   * direct calls at the same concurrency ÷ {@link #CALLS_PER_CREW_RUN}.
   */
  private Figure crewThroughput(boolean quick, URI uri, EventStore store)
      throws InterruptedException {
    int runs = quick ? 200 : 600;
    String launch = "{\"flow\":\"" + CREW + "\",\"inputs\":{\"topic\":\"queues\"}}";
    ChatModel direct = directModel();
    // Warm up both paths (JIT, connection pools, SQLite pages).
    concurrentDirectCalls(direct, runs / 5 * CALLS_PER_CREW_RUN);
    launchAndWait(uri, store, runs / 5, launch);

    double directSeconds = concurrentDirectCalls(direct, runs * CALLS_PER_CREW_RUN);
    double crewSeconds = launchAndWait(uri, store, runs, launch);
    double crewRate = runs / crewSeconds;
    double directCallRate = runs * CALLS_PER_CREW_RUN / directSeconds;
    System.out.printf(
        Locale.ROOT,
        "agents: %,d runs of a %d-task crew to final in %.2f s from %d clients (%,.0f runs/s);"
            + " %,d direct LangChain4j calls in %.2f s from %d threads (%,.0f calls/s = %,.0f crew"
            + " runs/s at %d calls a run)%n",
        runs,
        CALLS_PER_CREW_RUN,
        crewSeconds,
        CONCURRENCY,
        crewRate,
        runs * CALLS_PER_CREW_RUN,
        directSeconds,
        CONCURRENCY,
        directCallRate,
        directCallRate / CALLS_PER_CREW_RUN,
        CALLS_PER_CREW_RUN);
    return new Figure(
        "crew runs, 100 concurrent",
        crewRate,
        "runs/s",
        directCallRate / CALLS_PER_CREW_RUN,
        "direct calls/s ÷ 2 a run",
        true,
        Double.NaN);
  }

  /** Seconds {@code calls} direct calls take from {@link #CONCURRENCY} virtual threads. */
  private static double concurrentDirectCalls(ChatModel model, int calls)
      throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> callers = new ArrayList<>();
    long start = System.nanoTime();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < CONCURRENCY; c++) {
        callers.add(
            pool.submit(
                () -> {
                  int i;
                  while ((i = next.getAndIncrement()) < calls) {
                    answered(model.chat("ping " + i), i);
                  }
                  return null;
                }));
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    for (Future<Void> caller : callers) {
      try {
        caller.get();
      } catch (ExecutionException e) {
        throw new IllegalStateException(
            "the direct calls failed: " + e.getCause().getMessage(), e.getCause());
      }
    }
    return seconds;
  }

  /**
   * Seconds from the first of {@code runs} launches of the crew (from {@link #CONCURRENCY} clients)
   * until all of them are {@code done}; fails at once when one ends otherwise.
   */
  private static double launchAndWait(URI uri, EventStore store, int runs, String body)
      throws InterruptedException {
    long doneBefore = count(store, RunState.DONE);
    long failedBefore = count(store, RunState.ERROR) + count(store, RunState.KILLED);
    long start = System.nanoTime();
    Load.run(uri, runs, CONCURRENCY, "/api/runs", body, 201);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    long done;
    while ((done = count(store, RunState.DONE)) < doneBefore + runs) {
      long failed = count(store, RunState.ERROR) + count(store, RunState.KILLED) - failedBefore;
      if (failed > 0) {
        throw new IllegalStateException(
            failed + " runs of " + CREW + " failed or were killed; see the node's runs");
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "only " + (done - doneBefore) + " of " + runs + " crew runs reached final in 120 s");
      }
      Thread.sleep(2);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static long count(EventStore store, RunState state) {
    return store.runs(new RunQuery(Set.of(state), CREW, null, null, List.of(), 0, 1)).filtered();
  }

  /** Checks that the model server saw nothing unexpected, then stops it. */
  @Override
  public void close() {
    try {
      models.verify();
    } finally {
      models.close();
    }
  }
}
