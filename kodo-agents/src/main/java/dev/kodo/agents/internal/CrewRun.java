package dev.kodo.agents.internal;

import dev.kodo.agents.crew.AgentSpec;
import dev.kodo.agents.crew.Crew;
import dev.kodo.agents.crew.Placeholders;
import dev.kodo.agents.crew.TaskSpec;
import dev.kodo.agents.internal.tools.CrewTool;
import dev.kodo.agents.internal.tools.ToolOutcome;
import dev.kodo.client.Json;
import dev.kodo.client.KodoException;
import dev.kodo.engine.EngineContext;
import dev.kodo.sdk.CancelledException;
import dev.kodo.sdk.Result;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import tools.jackson.databind.JsonNode;

/**
 * One run of a crew's tasks as its process says (docs/flows.md#how-a-crew-runs): sequential in file
 * order; parallel, each task as soon as its {@code context} tasks are done, on virtual threads with
 * at most {@link #MAX_PARALLEL} at once; hierarchical, a manager agent working through the tasks
 * and delegating to the agents through a {@code delegate} tool. Each task writes {@code task} and
 * {@code agent} events and its output as a {@code result}; the final task's output is the run's
 * result. One instance per run; the parallel process calls it from several threads.
 */
final class CrewRun {
  /** Most tasks of a parallel crew running at once. */
  static final int MAX_PARALLEL = 4;

  /** The manager's id in events and for its model. */
  static final String MANAGER = "manager";

  private final Crew crew;
  private final EngineContext ctx;
  private final AgentEvents events;
  private final AgentLoop loop;
  private final Map<String, ChatModel> models;
  private final Toolbox tools;
  private final Map<String, Object> inputs;
  private final Map<String, String> outputs = new ConcurrentHashMap<>();
  private volatile String review;
  private volatile Result declined;

  /**
   * @param models a model per agent id, and for a hierarchical crew one for {@link #MANAGER}
   */
  CrewRun(Crew crew, EngineContext ctx, Map<String, ChatModel> models, Toolbox tools) {
    this.crew = crew;
    this.ctx = ctx;
    this.events = new AgentEvents(ctx);
    this.loop = new AgentLoop(events, ctx);
    this.models = Map.copyOf(models);
    this.tools = tools;
    this.inputs = ctx.inputs().asMap();
  }

  Result run() {
    switch (crew.process()) {
      case SEQUENTIAL -> {
        for (TaskSpec t : crew.tasks()) {
          if (declined != null) {
            break;
          }
          runTask(t);
        }
      }
      case PARALLEL -> runParallel();
      case HIERARCHICAL -> {
        for (TaskSpec t : crew.tasks()) {
          if (declined != null) {
            break;
          }
          manageTask(t);
        }
      }
    }
    if (declined != null) {
      return declined;
    }
    String out = outputs.get(crew.finalTask().id());
    return Result.markdown(out == null ? "" : out);
  }

  private void runTask(TaskSpec t) {
    AgentSpec agent = agentOf(t);
    String description = fill(t.description());
    events.taskStarted(t.id(), agent.id(), description);
    String out = work(agent, t.id(), prompt(t));
    finish(t, agent.id(), out);
  }

  /** One agent's work on one task, between its {@code agent} events. */
  private String work(AgentSpec agent, String task, String user) {
    events.agentStarted(agent.id(), fill(agent.role()), task);
    String out =
        loop.run(agent.id(), task, model(agent.id()), system(agent), user, tools.forAgent(agent));
    events.agentFinished(agent.id(), task, out);
    return out;
  }

  private void finish(TaskSpec t, String agent, String out) {
    events.taskFinished(t.id(), agent, out);
    outputs.put(t.id(), out);
    ctx.result(Result.markdown(out));
    if (crew.human() != null && crew.human().after().equals(t.id())) {
      HumanReview.Answer answer = HumanReview.ask(ctx, crew.human(), out);
      if (answer.approved()) {
        review = answer.asContext(t.id());
      } else {
        declined = answer.declined(t.id());
      }
    }
  }

  private void runParallel() {
    Map<String, CompletableFuture<Void>> done = new HashMap<>();
    for (TaskSpec t : crew.tasks()) {
      done.put(t.id(), new CompletableFuture<>());
    }
    Semaphore slots = new Semaphore(MAX_PARALLEL);
    ExecutorService pool =
        Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("kodo-crew-" + ctx.fid() + "-", 0).factory());
    try {
      ExecutorCompletionService<String> finished = new ExecutorCompletionService<>(pool);
      for (TaskSpec t : crew.tasks()) {
        finished.submit(
            () -> {
              CompletableFuture<Void> mine = done.get(t.id());
              try {
                for (String c : t.context()) {
                  done.get(c).get();
                }
                if (declined == null) {
                  slots.acquire();
                  try {
                    runTask(t);
                  } finally {
                    slots.release();
                  }
                }
                mine.complete(null);
              } catch (Throwable e) {
                mine.completeExceptionally(e);
                throw e;
              }
              return t.id();
            });
      }
      for (int i = 0; i < crew.tasks().size(); i++) {
        Future<String> f = finished.take();
        try {
          f.get();
        } catch (ExecutionException e) {
          throw rethrow(e.getCause());
        }
        if (declined != null) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancelledException(ctx.fid());
    } finally {
      pool.shutdownNow();
    }
  }

  private RuntimeException rethrow(Throwable cause) {
    if (cause instanceof ExecutionException e && e.getCause() != null) {
      return rethrow(e.getCause());
    }
    if (cause instanceof InterruptedException) {
      return new CancelledException(ctx.fid());
    }
    if (cause instanceof RuntimeException r) {
      return r;
    }
    if (cause instanceof Error err) {
      throw err;
    }
    return new KodoException("a task of the crew failed: " + cause, cause);
  }

  private void manageTask(TaskSpec t) {
    String description = fill(t.description());
    events.taskStarted(t.id(), t.agent(), description);
    events.agentStarted(MANAGER, "Crew manager", t.id());
    String user =
        prompt(t)
            + (t.agent() == null
                ? ""
                : "\n\nThe crew file suggests agent '" + t.agent() + "' for this task.");
    String out =
        loop.run(
            MANAGER, t.id(), model(MANAGER), managerSystem(), user, List.of(new Delegate(t.id())));
    events.agentFinished(MANAGER, t.id(), out);
    finish(t, t.agent(), out);
  }

  /** The manager's tool: hands a piece of work to one agent and returns its answer. */
  private final class Delegate implements CrewTool {
    private final String task;
    private final ToolSpecification spec;

    Delegate(String task) {
      this.task = task;
      this.spec =
          ToolSpecification.builder()
              .name("delegate")
              .description("Gives a piece of work to one agent of the crew and returns its answer")
              .parameters(
                  JsonObjectSchema.builder()
                      .addEnumProperty(
                          "agent", new ArrayList<>(crew.agents().keySet()), "the agent's id")
                      .addStringProperty("work", "what the agent should do, fully explained")
                      .addStringProperty("context", "what the agent needs to know, if anything")
                      .required("agent", "work")
                      .build())
              .build();
    }

    @Override
    public ToolSpecification specification() {
      return spec;
    }

    @Override
    public ToolOutcome call(String arguments, String agent) {
      String id;
      String work;
      String context;
      try {
        JsonNode args = Json.read(arguments == null || arguments.isBlank() ? "{}" : arguments);
        id = args.path("agent").asString("");
        work = args.path("work").asString("");
        context = args.path("context").asString("");
      } catch (RuntimeException e) {
        return ToolOutcome.failed("the arguments must be a JSON object with agent and work");
      }
      AgentSpec target = crew.agents().get(id);
      if (target == null) {
        return ToolOutcome.failed(
            "there is no agent '"
                + AgentEventsText.clip(id, 100)
                + "'; the crew has "
                + String.join(", ", crew.agents().keySet()));
      }
      if (work.isBlank()) {
        return ToolOutcome.failed("say what the agent should do as 'work'");
      }
      String user = "Work: " + work + (context.isBlank() ? "" : "\n\nContext:\n" + context);
      return ToolOutcome.ok(work(target, task, user));
    }
  }

  private AgentSpec agentOf(TaskSpec t) {
    AgentSpec a = t.agent() == null ? null : crew.agents().get(t.agent());
    if (a == null) {
      a = crew.agents().values().stream().findFirst().orElse(null);
    }
    if (a == null) {
      throw new KodoException("task " + t.id() + " has no agent to do it");
    }
    return a;
  }

  private ChatModel model(String agent) {
    ChatModel m = models.get(agent);
    if (m == null) {
      throw new KodoException("no model for agent " + agent);
    }
    return m;
  }

  private String system(AgentSpec a) {
    StringBuilder s = new StringBuilder("You are ").append(fill(a.role())).append('.');
    if (a.goal() != null && !a.goal().isBlank()) {
      s.append("\nYour goal: ").append(fill(a.goal()));
    }
    if (a.backstory() != null && !a.backstory().isBlank()) {
      s.append("\n").append(fill(a.backstory()));
    }
    s.append("\nAnswer with the result of your work only.");
    return s.toString();
  }

  private String managerSystem() {
    StringBuilder s =
        new StringBuilder(
            "You are the manager of a crew. You do not do the work yourself: give each piece of"
                + " work to the agent best suited for it with the delegate tool, then answer with"
                + " the task's result built from their answers.\nThe agents:");
    for (AgentSpec a : crew.agents().values()) {
      s.append("\n- ").append(a.id()).append(": ").append(fill(a.role()));
      if (a.goal() != null && !a.goal().isBlank()) {
        s.append(" (goal: ").append(fill(a.goal())).append(')');
      }
    }
    return s.toString();
  }

  /** The user message of a task: what to do, what to give back, what earlier tasks found. */
  private String prompt(TaskSpec t) {
    StringBuilder s = new StringBuilder("Task: ").append(fill(t.description()));
    if (t.expectedOutput() != null && !t.expectedOutput().isBlank()) {
      s.append("\n\nExpected output: ").append(fill(t.expectedOutput()));
    }
    List<String> context = new ArrayList<>(t.context());
    if (!context.isEmpty()) {
      s.append("\n\nContext from earlier tasks:");
      for (String c : context) {
        s.append("\n\n### ").append(c).append("\n").append(outputs.getOrDefault(c, ""));
      }
    }
    String note = review;
    if (note != null
        && (crew.process() != Crew.Process.PARALLEL
            || t.context().contains(crew.human().after()))) {
      s.append("\n\n### Review by a person\n").append(note);
    }
    return s.toString();
  }

  private String fill(String text) {
    return text == null ? null : Placeholders.fill(text, inputs);
  }
}
