package dev.kodo.testing;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.Json;
import dev.kodo.client.Progress;
import dev.kodo.client.RunState;
import dev.kodo.sdk.InputError;
import dev.kodo.sdk.Inputs;
import dev.kodo.sdk.Result;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The event log of one test run and what it says, read the way a client of a node would read it:
 * the derived {@link #state()}, the {@link #finalResult()}, the {@link #progress()} reports, the
 * intermediate {@link #results()}, the {@link #actions()}, the flow's {@link #stdout()} and {@link
 * #stderr()} lines, the {@link #locks()} it asked for and the {@link #verdicts()} on the answers,
 * and the {@link #fatal()} that ended a failed run.
 *
 * <pre>{@code
 * TestRun run = FlowTester.of(Research.class).run(Map.of("topic", "tea"));
 * assertThat(run.state()).isEqualTo(RunState.DONE);
 * assertThat(run.progress()).extracting(Progress::message).contains("reading sources");
 * assertThat(run.markdown()).startsWith("# Research: tea");
 * }</pre>
 *
 * <p>JSON result bodies come back as {@link JsonNode}s, as they would from the wire; {@link
 * #results(Class)} converts them to a type of yours. Methods that read what a run may lack ({@link
 * #finalResult()}, {@link #fatal()}) fail with an {@link AssertionError} that shows the whole log.
 * Immutable snapshot; thread-safe.
 */
public final class TestRun {

  /** An {@code action} event: a step the flow recorded with {@code ctx.action(name, data)}. */
  public record Action(String name, JsonNode data) {}

  /**
   * The {@code fatal} event that ended a failed run.
   *
   * @param reason why the run ended: {@code exception} for an exception the flow threw, {@code
   *     no-result} for a flow that returned null, …
   * @param message a human message, e.g. {@code IllegalStateException: database unreachable}
   * @param error the exception's class name, or null when there was none
   * @param where the top frames of the exception's stack trace (empty without an exception)
   * @param cause the exception's cause as {@code class: message}, or null
   */
  public record Fatal(
      String reason, String message, String error, List<String> where, String cause) {}

  /**
   * A {@code lock} event: the flow stopped and asked for input with {@code ctx.lock(demand, …)}.
   *
   * @param lid the lock's id, to answer it with
   * @param demand what the flow asks for: {@code title}, {@code markdown}, {@code schema} (JSON
   *     Schema of the answer) and {@code form} (form hints)
   * @param expires until when the flow waits for an accepted answer
   */
  public record Lock(String lid, JsonNode demand, Instant expires) {

    /** The demand's title. */
    public String title() {
      return demand.path("title").asString("");
    }

    /** The demand's explanatory Markdown. */
    public String markdown() {
      return demand.path("markdown").asString("");
    }

    /** The JSON Schema an answer must fit. */
    public JsonNode schema() {
      return demand.path("schema");
    }

    /** The names of the fields the demand asks for, in form order. */
    public List<String> fields() {
      List<String> names = new ArrayList<>();
      schema().path("properties").propertyNames().forEach(names::add);
      return names;
    }

    /** The names of the fields an answer must give. */
    public List<String> required() {
      List<String> names = new ArrayList<>();
      schema().path("required").forEach(n -> names.add(n.asString()));
      return names;
    }

    static Lock of(Event e) {
      JsonNode d = e.dataNode();
      String expires = d.path("expires").asString(null);
      return new Lock(
          d.path("lid").asString(null),
          d.path("demand"),
          expires == null ? null : Instant.parse(expires));
    }
  }

  /**
   * The flow's verdict on one answer to a lock: {@code unlock} (accepted) or {@code unlock-deny}
   * (denied, with the flow's reasons per field; the lock stays open).
   *
   * @param lid the lock answered
   * @param cid the answer (candidate) the verdict is about
   * @param accepted whether the flow accepted the answer and went on
   * @param errors why the flow denied it, per field (empty when accepted)
   */
  public record Verdict(String lid, String cid, boolean accepted, List<InputError> errors) {
    public Verdict {
      errors = List.copyOf(errors);
    }

    /** The reasons given for one field, e.g. {@code postcode}. */
    public List<String> reasons(String field) {
      return errors.stream().filter(e -> e.field().equals(field)).map(InputError::message).toList();
    }

    static Verdict of(Event e) {
      JsonNode d = e.dataNode();
      List<InputError> errors = new ArrayList<>();
      for (JsonNode x : d.path("errors")) {
        errors.add(new InputError(x.path("field").asString(""), x.path("message").asString("")));
      }
      return new Verdict(
          d.path("lid").asString(null),
          d.path("cid").asString(null),
          e.type().equals(EventType.UNLOCK.type()),
          errors);
    }
  }

  private final String fid;
  private final String flow;
  private final Inputs inputs;
  private final List<Event> events;

  TestRun(String fid, String flow, Inputs inputs, List<Event> events) {
    this.fid = fid;
    this.flow = flow;
    this.inputs = inputs;
    this.events = List.copyOf(events);
  }

  /** The run's id. */
  public String fid() {
    return fid;
  }

  /** The path of the flow that ran: its class name. */
  public String flow() {
    return flow;
  }

  /** The inputs the flow saw: validated, with defaults filled in. */
  public Inputs inputs() {
    return inputs;
  }

  /** Every event, in order, {@code seq} from 1. */
  public List<Event> events() {
    return events;
  }

  /** The events of one type, in order. */
  public List<Event> events(EventType type) {
    return events.stream().filter(e -> e.type().equals(type.type())).toList();
  }

  /**
   * The wire names of the events' types, in order, e.g. {@code [inputs, version, flow, progress,
   * final]}.
   */
  public List<String> types() {
    return events.stream().map(Event::type).toList();
  }

  /**
   * The run's state derived from its log (docs/events.md#derived-state): {@code error} if a {@code
   * fatal} exists; else {@code killed} if a {@code kill} exists; else {@code done} if {@code final}
   * exists; else {@code locked} if a lock is open; else {@code pending} (a run still going).
   */
  public RunState state() {
    boolean fatal = false;
    boolean killed = false;
    boolean done = false;
    String openLock = null;
    for (Event e : events) {
      EventType t = e.eventType();
      if (t == null) continue;
      switch (t) {
        case FATAL -> fatal = true;
        case KILL -> killed = true;
        case FINAL -> done = true;
        case LOCK -> openLock = e.dataNode().path("lid").asString("");
        case UNLOCK, LOCK_TIMEOUT -> {
          if (openLock != null && openLock.equals(e.dataNode().path("lid").asString(""))) {
            openLock = null;
          }
        }
        default -> {}
      }
    }
    return RunState.derive(fatal, killed, done, openLock != null);
  }

  /** The run's first event of {@code type}; an error saying the run {@code otherwise} if none. */
  private Event first(EventType type, String otherwise) {
    return events(type).stream()
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("run " + fid + " of " + flow + " " + otherwise + "\n" + this));
  }

  /**
   * The result the flow returned (its {@code final} event). A Markdown body is a {@code String}, a
   * JSON body a {@link JsonNode}.
   *
   * @throws AssertionError if the run has no {@code final} event (it failed, was killed or still
   *     runs)
   */
  public Result finalResult() {
    Event fin = first(EventType.FINAL, "has no final result; it is " + state() + why());
    return toResult(fin.dataNode().path("result"));
  }

  /**
   * The final result's Markdown text.
   *
   * @throws AssertionError if there is no final result or it is not Markdown
   */
  public String markdown() {
    Result r = finalResult();
    if (r.format() != Result.Format.MARKDOWN) {
      throw new AssertionError(
          "the final result of run "
              + fid
              + " of "
              + flow
              + " is "
              + r.format()
              + ", not Markdown: "
              + r.body());
    }
    return (String) r.body();
  }

  /** The run's runtime in seconds, as its {@code final} event reports it. */
  public double runtime() {
    finalResult();
    return events(EventType.FINAL).getFirst().dataNode().path("runtime").asDouble();
  }

  /** Every progress report, in order. */
  public List<Progress> progress() {
    return events(EventType.PROGRESS).stream()
        .map(
            e -> {
              JsonNode d = e.dataNode();
              return new Progress(
                  d.path("value").asDouble(),
                  d.path("message").isNull() ? null : d.path("message").asString(null));
            })
        .toList();
  }

  /** The intermediate results ({@code result} events), in order. */
  public List<Result> results() {
    return events(EventType.RESULT).stream().map(e -> toResult(e.dataNode())).toList();
  }

  /**
   * The bodies of the intermediate JSON results, in order, converted to {@code type}: a record of
   * yours, {@code Map.class}, {@code List.class}… Markdown results are left out; {@link #results()}
   * has them all.
   *
   * @throws AssertionError if a body does not convert to {@code type}
   */
  public <T> List<T> results(Class<T> type) {
    List<T> out = new ArrayList<>();
    List<Result> all = results();
    for (int i = 0; i < all.size(); i++) {
      Result r = all.get(i);
      if (r.format() != Result.Format.JSON) continue;
      try {
        out.add(Json.convert(r.body(), type));
      } catch (RuntimeException e) {
        throw new AssertionError(
            "result "
                + (i + 1)
                + " of run "
                + fid
                + " of "
                + flow
                + " is not a "
                + type.getSimpleName()
                + ": "
                + r.body()
                + "\n"
                + e.getMessage(),
            e);
      }
    }
    return out;
  }

  /** The recorded actions, in order. */
  public List<Action> actions() {
    return events(EventType.ACTION).stream()
        .map(e -> new Action(e.dataNode().path("name").asString(null), e.dataNode().path("data")))
        .toList();
  }

  /** The lines the flow wrote to {@code System.out} (and with {@code ctx.log}), in order. */
  public List<String> stdout() {
    return lines(EventType.STDOUT);
  }

  /** The lines the flow wrote to {@code System.err}, in order. */
  public List<String> stderr() {
    return lines(EventType.STDERR);
  }

  /**
   * Why the run failed (its {@code fatal} event).
   *
   * @throws AssertionError if the run has no {@code fatal} event
   */
  public Fatal fatal() {
    Event f = first(EventType.FATAL, "did not fail; it is " + state());
    JsonNode d = f.dataNode();
    List<String> where = new ArrayList<>();
    d.path("where").forEach(w -> where.add(w.asString()));
    return new Fatal(
        text(d, "reason"),
        text(d, "message"),
        text(d, "error"),
        List.copyOf(where),
        text(d, "cause"));
  }

  /** Every lock the flow asked for ({@code lock} events), in order, answered or not. */
  public List<Lock> locks() {
    return events(EventType.LOCK).stream().map(Lock::of).toList();
  }

  /**
   * The lock that is open: the last {@code lock} without its {@code unlock} or {@code
   * lock-timeout}, in a run that has not ended. Empty when the run is not {@link RunState#LOCKED}.
   */
  public Optional<Lock> openLock() {
    return openLock(events);
  }

  static Optional<Lock> openLock(List<Event> events) {
    Event open = null;
    for (Event e : events) {
      EventType t = e.eventType();
      if (t == null) continue;
      switch (t) {
        case LOCK -> open = e;
        case UNLOCK, LOCK_TIMEOUT -> {
          if (open != null
              && open.dataNode()
                  .path("lid")
                  .asString("")
                  .equals(e.dataNode().path("lid").asString(""))) {
            open = null;
          }
        }
        case FINAL, FATAL, KILL -> {
          return Optional.empty();
        }
        default -> {}
      }
    }
    return Optional.ofNullable(open).map(Lock::of);
  }

  /**
   * The flow's verdicts on answers to its locks ({@code unlock} and {@code unlock-deny} events), in
   * order.
   */
  public List<Verdict> verdicts() {
    return events.stream()
        .filter(
            e ->
                e.type().equals(EventType.UNLOCK.type())
                    || e.type().equals(EventType.UNLOCK_DENY.type()))
        .map(Verdict::of)
        .toList();
  }

  private List<String> lines(EventType type) {
    return events(type).stream().map(e -> e.dataNode().path("line").asString("")).toList();
  }

  private String why() {
    return events(EventType.FATAL).stream()
        .findFirst()
        .map(e -> " (" + text(e.dataNode(), "message") + ")")
        .orElse("");
  }

  private static String text(JsonNode d, String field) {
    JsonNode v = d.path(field);
    return v.isMissingNode() || v.isNull() ? null : v.asString();
  }

  private static Result toResult(JsonNode data) {
    Result.Format format =
        Result.Format.valueOf(data.path("format").asString("json").toUpperCase(Locale.ROOT));
    JsonNode body = data.path("body");
    return format == Result.Format.MARKDOWN ? Result.markdown(body.asString()) : Result.json(body);
  }

  /** The run's log, one event a line, for failure messages. */
  @Override
  public String toString() {
    StringBuilder s =
        new StringBuilder("run ")
            .append(fid)
            .append(" of ")
            .append(flow)
            .append(" (")
            .append(state())
            .append("):");
    for (Event e : events) {
      String data = e.data();
      if (data.length() > 300) {
        data = data.substring(0, 297) + "...";
      }
      s.append("\n  ").append(e.seq()).append(' ').append(e.type()).append(' ').append(data);
    }
    return s.toString();
  }
}
