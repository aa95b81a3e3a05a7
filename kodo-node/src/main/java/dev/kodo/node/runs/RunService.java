package dev.kodo.node.runs;

import dev.kodo.client.Deadline;
import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.EventsPage;
import dev.kodo.client.Fids;
import dev.kodo.client.Json;
import dev.kodo.client.KodoException;
import dev.kodo.client.Level;
import dev.kodo.client.Page;
import dev.kodo.client.Problem;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import dev.kodo.cluster.Cluster;
import dev.kodo.cluster.RunTicket;
import dev.kodo.engine.EventData;
import dev.kodo.engine.FlowCatalog;
import dev.kodo.engine.LoadedFlow;
import dev.kodo.engine.RunEnvironment;
import dev.kodo.node.NodeProperties;
import dev.kodo.sdk.Inputs;
import dev.kodo.sdk.internal.SdkBridge;
import dev.kodo.store.EventStore;
import dev.kodo.store.NewRun;
import dev.kodo.store.NoSuchRunException;
import dev.kodo.store.RunFold;
import dev.kodo.store.RunQuery;
import dev.kodo.store.RunRecord;
import dev.kodo.store.RunVisibility;
import dev.kodo.web.ApiException;
import dev.kodo.web.ListParams;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;

/**
 * What the node does with runs: launch them onto the cluster, and tell about them. Plain logic
 * behind the HTTP controllers; tests call it directly.
 */
@Service
public class RunService {
  private static final Logger log = LoggerFactory.getLogger(RunService.class);
  static final Set<String> SORTABLE = Set.of("created", "finished", "flow", "state", "fid");

  private final FlowCatalog catalog;
  private final EventStore store;
  private final RunJournal journal;
  private final Cluster cluster;
  private final CallerEvents callerEvents;
  private final String node;
  private final RunEnvironment environment;
  private final RunAdmission admission;
  private volatile RunObserver observer = RunObserver.NONE;
  private final NoWorkerWatch noWorker;

  RunService(
      FlowCatalog catalog,
      EventStore store,
      RunJournal journal,
      Cluster cluster,
      CallerEvents callerEvents,
      NodeProperties properties,
      RunEnvironment environment,
      RunAdmission admission) {
    this.environment = environment;
    this.admission = admission;
    this.callerEvents = callerEvents;
    this.catalog = catalog;
    this.store = store;
    this.journal = journal;
    this.cluster = cluster;
    this.node = NodeIncarnation.id(properties, cluster);
    this.noWorker = new NoWorkerWatch(cluster, journal, properties.getNode().getNoWorkerTimeout());
    admission.start(this::dispatchAdmitted);
  }

  /** Stops the no-worker watch's timer with the node (nothing scheduled fires after close). */
  @jakarta.annotation.PreDestroy
  void close() {
    noWorker.close();
  }

  /** Tells {@code observer} about each launch (metrics and traces, docs/operations.md). */
  @org.springframework.beans.factory.annotation.Autowired(required = false)
  void observe(RunObserver observer) {
    this.observer = observer;
  }

  /**
   * Validates the inputs, records the run ({@code inputs}, {@code version}, {@code flow}) durably
   * and puts it on the cluster.
   *
   * @throws ApiException 404 for an unknown flow; 400 "Flow cannot start" when the flow's launch
   *     check fails (a crew's {@code ${VAR}} that neither {@code kodo.secrets.*} nor the
   *     environment sets), naming what to set; 429 naming the limit when the launch is over an
   *     admission limit and may not wait ({@link RunAdmission})
   * @throws dev.kodo.sdk.InvalidInputsException for inputs that do not fit the flow's form
   */
  public RunDocument launch(String flowPath, Map<String, ?> rawInputs, String owner) {
    return launch(flowPath, rawInputs, owner, null);
  }

  /**
   * As {@link #launch(String, Map, String)}; with {@code ownerLevel} (auth on) the run's first
   * events also hold a {@code share} of the run with its owner at that level in mode {@code x}: the
   * level the owner launched with, which it keeps seeing the run at
   * (docs/security.md#node-who-sees-what).
   */
  public RunDocument launch(
      String flowPath, Map<String, ?> rawInputs, String owner, Level ownerLevel) {
    LoadedFlow flow =
        catalog.get(flowPath).orElseThrow(() -> ApiException.notFound("flow", flowPath));
    Inputs inputs = SdkBridge.validate(flow.spec().inputs(), rawInputs);
    // Before anything is stored: a crew whose ${VAR} is set nowhere would only fail on its worker.
    // The problems name variables, never values, and are not logged (docs/flows.md#serving-crews).
    List<String> problems = flow.launchProblems(environment.secrets());
    if (!problems.isEmpty()) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          "Flow cannot start",
          "flow " + flowPath + " cannot start: " + String.join("; ", problems),
          null);
    }
    if (runQueueFull(flow.path())) {
      // Refused before the run exists: a run recorded but never dispatched would stay pending for
      // ever.
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "Run queue full",
          "cannot launch "
              + flowPath
              + ": "
              + Cluster.MAX_QUEUED_RUNS
              + " runs of it already wait for a worker (the flow's run queue is full); try again later",
          null);
    }
    RunObserver.Launch launch = observer.launching(flow.path());
    try {
      RunDocument document =
          recordAndDispatch(flow, inputs, owner, ownerLevel, launch.traceparent());
      launch.dispatched(document.fid());
      return document;
    } catch (RuntimeException e) {
      launch.failed(e);
      throw e;
    }
  }

  private RunDocument recordAndDispatch(
      LoadedFlow flow, Inputs inputs, String owner, Level ownerLevel, String traceparent) {
    // Interned, as the worker interns the fid of each ticket it takes: the node's and worker's
    // per-run maps share one instance (docs/performance.md#parked-runs).
    String fid = Fids.next().intern();
    var now = journal.now();
    String inputsJson = EventData.inputs(inputs);
    RunTicket ticket = new RunTicket(fid, flow.path(), inputsJson, node, traceparent, 0L);
    // Over a limit: refused here (429), before anything is stored, or recorded as waiting.
    RunAdmission.Decision decision = admission.admit(fid, flow.path(), owner, ticket);
    NewRun run = new NewRun(fid, flow.path(), owner, now, inputsJson);
    List<Event> first = new ArrayList<>();
    first.add(Event.of(fid, 0, now, EventType.INPUTS, inputsJson));
    first.add(Event.of(fid, 0, now, EventType.VERSION, EventData.version()));
    first.add(Event.of(fid, 0, now, EventType.FLOW, EventData.flow(flow)));
    if (owner != null && ownerLevel != null) {
      Map<String, Object> share = new LinkedHashMap<>();
      share.put("subjects", List.of(owner));
      share.put("level", ownerLevel.name().toLowerCase(Locale.ROOT));
      share.put("mode", "x");
      first.add(Event.of(fid, 0, now, EventType.SHARE, Json.write(share)));
    }
    if (decision instanceof RunAdmission.Decision.Waiting w) {
      first.add(Event.of(fid, 0, now, EventType.PROGRESS, EventData.progress(0, w.message())));
    }
    try {
      join(journal.create(run, first));
    } catch (RuntimeException e) {
      admission.abandon(fid);
      throw e;
    }
    admission.recorded(fid);
    callerEvents.started(fid, first);
    if (decision instanceof RunAdmission.Decision.Admitted) {
      dispatch(ticket);
    }
    RunRecord record = RunRecord.start(run);
    long seq = 0;
    for (Event e : first) {
      record = RunFold.apply(record, e.withSeq(++seq));
    }
    return RunDocuments.of(record, ownerLevel == null ? null : shares(first));
  }

  private static List<dev.kodo.client.Share> shares(List<Event> events) {
    List<dev.kodo.client.Share> out = new ArrayList<>();
    for (Event e : events) {
      if (e.type().equals(EventType.SHARE.type())) out.addAll(dev.kodo.client.Share.of(e));
    }
    return out;
  }

  /**
   * Whether the cluster's run queue is full; a cluster that cannot say is left to the dispatch,
   * which ends the run if it fails.
   */
  private boolean runQueueFull(String flow) {
    try {
      return cluster.runQueueFull(flow);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Dispatches a run that waited for a slot and got one (on the admission's thread): first a {@code
   * progress} saying so, appended only while the run has not ended — a run killed while it waited
   * is not dispatched (its kill already freed the slot).
   */
  private void dispatchAdmitted(RunTicket ticket) {
    try {
      journal.appendWhileRunning(
          ticket.fid(), EventType.PROGRESS, EventData.progress(0, "got a slot; starting"));
    } catch (RunJournal.RunEndedException | NoSuchRunException e) {
      return;
    } catch (RuntimeException e) {
      log.warn("run {} got a slot; its progress was not written: {}", ticket.fid(), e.toString());
    }
    try {
      dispatch(ticket);
    } catch (ApiException e) {
      // dispatch() has ended the run (fatal dispatch-failed), which frees its slot; nobody waits
      // for an answer.
    }
  }

  /**
   * Puts a recorded run on the cluster. If the cluster does not take it, the run ends at once with
   * {@code fatal} / {@code dispatch-failed} (no worker will ever start it, so nothing else would
   * end it) and the caller gets a 503 naming it.
   */
  private void dispatch(RunTicket unstamped) {
    // Stamped now, not at launch: a run that waited for a slot starts its dispatch latency here.
    // The no-worker watch below withdraws exactly this ticket, so it must get the stamped one.
    RunTicket ticket =
        new RunTicket(
            unstamped.fid(),
            unstamped.flow(),
            unstamped.inputs(),
            unstamped.node(),
            unstamped.traceparent(),
            System.currentTimeMillis());
    try {
      cluster.dispatch(ticket);
    } catch (RuntimeException e) {
      log.warn(
          "run {} of {} was recorded but could not be dispatched: {}",
          ticket.fid(),
          ticket.flow(),
          e.toString());
      String why =
          e instanceof KodoException
              ? e.getMessage()
              : "the cluster did not take it (" + e.getClass().getSimpleName() + ")";
      try {
        join(
            journal.appendWhileRunning(
                ticket.fid(),
                EventType.FATAL,
                EventData.fatal(
                    "dispatch-failed",
                    "run "
                        + ticket.fid()
                        + " could not be handed to a worker: "
                        + why
                        + "; launch it again later",
                    null)));
      } catch (RuntimeException ended) {
        log.error(
            "run {} could not be ended after its dispatch failed; it ends when the node restarts",
            ticket.fid(),
            ended);
      }
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "Run not dispatched",
          "run "
              + ticket.fid()
              + " of flow "
              + ticket.flow()
              + " was recorded but no worker could be reached ("
              + why
              + "); it ended with fatal "
              + "dispatch-failed. Try again later.",
          null);
    }
    noWorker.dispatched(ticket);
  }

  /**
   * The {@code traceparent} run {@code fid}'s launch carried while the run is in flight here (null
   * if none): a requeued run keeps its trace.
   */
  String traceparent(String fid) {
    return admission.traceparent(fid);
  }

  /**
   * Puts a run whose worker was lost back on the cluster (a {@code @RetrySafe} flow); false if the
   * cluster did not take it.
   */
  boolean requeue(RunTicket ticket) {
    try {
      cluster.dispatch(ticket);
    } catch (RuntimeException e) {
      log.warn("run {} could not be put back on the cluster: {}", ticket.fid(), e.toString());
      return false;
    }
    noWorker.dispatched(ticket);
    return true;
  }

  public RunDocument get(String fid) {
    return RunDocuments.of(record(fid), store.shares(fid));
  }

  RunRecord record(String fid) {
    if (!Fids.valid(fid)) {
      throw ApiException.notFound("run", fid);
    }
    return store.run(fid).orElseThrow(() -> ApiException.notFound("run", fid));
  }

  public Page<RunDocument> list(String states, String flow, ListParams params) {
    return list(states, flow, params, null);
  }

  /**
   * A page of the runs {@code visibility} lets a caller see (null: every run), filtered by state
   * and flow; {@code total} counts the visible runs only.
   */
  public Page<RunDocument> list(
      String states, String flow, ListParams params, RunVisibility visibility) {
    return list(states, flow, params, visibility, null, null);
  }

  /**
   * As {@link #list(String, String, ListParams, RunVisibility)}, limited to runs created in {@code
   * [from, to)} (either null: unbounded).
   */
  public Page<RunDocument> list(
      String states,
      String flow,
      ListParams params,
      RunVisibility visibility,
      Instant from,
      Instant to) {
    Set<RunState> wanted = EnumSet.noneOf(RunState.class);
    if (states != null && !states.isBlank()) {
      for (String s : states.split(",")) {
        if (s.isBlank()) continue;
        try {
          wanted.add(RunState.parse(s));
        } catch (IllegalArgumentException e) {
          throw ApiException.badParameter(
              "state",
              "unknown run state '"
                  + ApiException.shorten(s.strip())
                  + "': expected one of pending, locked, done, error, killed");
        }
      }
    }
    List<RunQuery.Sort> sort = new ArrayList<>();
    for (ListParams.Order o : params.by()) {
      sort.add(
          new RunQuery.Sort(
              RunQuery.SortField.valueOf(o.field().toUpperCase(Locale.ROOT)), o.descending()));
    }
    String search = params.search();
    if (search != null && !search.contains("*") && !search.contains("?")) {
      search = "*" + search + "*";
    }
    Page<RunRecord> page =
        store.runs(
            new RunQuery(
                    wanted,
                    flow == null || flow.isBlank() ? null : flow,
                    null,
                    search,
                    sort,
                    params.page(),
                    params.perPage())
                .visibleTo(visibility)
                .createdBetween(from, to));
    return new Page<>(
        page.total(),
        page.filtered(),
        page.p(),
        page.pp(),
        page.items().stream().map(RunDocuments::of).toList());
  }

  public EventsPage events(String fid, long after, int limit) {
    return events(fid, after, limit, Level.FULL);
  }

  /**
   * Up to {@code limit} of the run's events after {@code after} that a caller at {@code level} sees
   * (docs/events.md#levels); events it does not see are skipped, so {@code more} tells whether
   * visible events follow.
   */
  public EventsPage events(String fid, long after, int limit, Level level) {
    if (level != Level.FULL) {
      return visibleEvents(fid, after, limit, level);
    }
    RunRecord r = record(fid);
    if (after < 0) {
      throw ApiException.badParameter("after", "must be 0 or more, not " + after);
    }
    if (limit < 1 || limit > 10_000) {
      throw ApiException.badParameter("limit", "must be between 1 and 10000, not " + limit);
    }
    List<Event> events = store.events(fid, after, limit);
    long last = Math.max(r.lastSeq(), events.isEmpty() ? 0 : events.getLast().seq());
    long upTo = events.isEmpty() ? after : events.getLast().seq();
    return new EventsPage(fid, events, last, upTo < last);
  }

  private EventsPage visibleEvents(String fid, long after, int limit, Level level) {
    RunRecord r = record(fid);
    if (after < 0) {
      throw ApiException.badParameter("after", "must be 0 or more, not " + after);
    }
    if (limit < 1 || limit > 10_000) {
      throw ApiException.badParameter("limit", "must be between 1 and 10000, not " + limit);
    }
    List<Event> out = new ArrayList<>();
    long cursor = after;
    boolean more = false;
    while (true) {
      List<Event> page = store.events(fid, cursor, 1_000);
      for (Event e : page) {
        if (!NodeAccess.shows(level, e)) {
          cursor = e.seq();
          continue;
        }
        if (out.size() == limit) {
          more = true;
          break;
        }
        out.add(e);
        cursor = e.seq();
      }
      if (more || page.size() < 1_000) break;
    }
    long last = Math.max(r.lastSeq(), out.isEmpty() ? 0 : out.getLast().seq());
    return new EventsPage(fid, out, last, more);
  }

  /**
   * Up to {@code limit} events of a run after {@code after}, as the store holds them, for a stream
   * that has already found the run ({@link #record}): empty once the run has been deleted.
   */
  List<Event> eventsAfter(String fid, long after, int limit) {
    return store.events(fid, after, limit);
  }

  /**
   * Whether the run has ended, or was deleted meanwhile: either way, nothing more will be appended
   * to it.
   */
  boolean endedOrGone(String fid) {
    return store.run(fid).map(r -> r.state().finished()).orElse(true);
  }

  /**
   * Kills a pending or locked run: appends {@code kill} (so its state is {@code killed} at once)
   * and tells the cluster, whose worker interrupts the flow — or skips it if it has not started.
   *
   * @throws ApiException 409 if the run has ended
   */
  public RunDocument kill(String fid, String by) {
    RunRecord r = record(fid);
    if (r.state().finished()) {
      throw ApiException.conflict(
          "run " + fid + " is " + r.state() + "; only pending or locked runs can be killed");
    }
    try {
      appendTo(fid, () -> journal.appendWhileRunning(fid, EventType.KILL, EventData.kill(by)));
    } catch (RunJournal.RunEndedException e) {
      throw ApiException.conflict("run " + fid + " ended before it could be killed");
    }
    cluster.kill(fid);
    return get(fid);
  }

  /**
   * Launches a new run of the same flow with a copy of the inputs; no events are copied.
   *
   * @throws ApiException 409 if the node no longer offers the flow
   */
  public RunDocument restart(String fid, String owner) {
    return restart(fid, owner, null);
  }

  /** As {@link #restart(String, String)}, the new run's owner keeping {@code ownerLevel}. */
  public RunDocument restart(String fid, String owner, Level ownerLevel) {
    RunRecord r = record(fid);
    if (catalog.get(r.flow()).isEmpty()) {
      throw ApiException.conflict(
          "run " + fid + " cannot be restarted: this node no longer offers flow " + r.flow());
    }
    Map<String, Object> inputs =
        Json.mapper().readValue(r.inputs(), new TypeReference<Map<String, Object>>() {});
    return launch(r.flow(), inputs, owner, ownerLevel);
  }

  /**
   * Acknowledges a finished run (it has been seen to); doing it twice changes nothing.
   *
   * @throws ApiException 409 if the run has not finished
   */
  public RunDocument acknowledge(String fid, String by) {
    RunRecord r = record(fid);
    if (!r.state().finished()) {
      throw ApiException.conflict(
          "run " + fid + " is " + r.state() + "; only finished runs can be acknowledged");
    }
    if (!r.acknowledged()) {
      appendTo(
          fid,
          () ->
              journal.append(
                  fid,
                  EventType.ACKNOWLEDGE,
                  by == null ? "{}" : "{\"by\":" + Json.quote(by) + "}"));
    }
    return get(fid);
  }

  /**
   * Deletes a finished run and everything of it: its summary, its events, its shares.
   *
   * @throws ApiException 409 if the run has not finished
   */
  public void delete(String fid) {
    RunRecord r = record(fid);
    if (!r.state().finished()) {
      throw ApiException.conflict(
          "run "
              + fid
              + " is "
              + r.state()
              + "; only finished runs can be deleted (kill it first)");
    }
    store.delete(fid);
    journal.forget(fid);
    callerEvents.forget(fid);
  }

  /**
   * Valid share levels and modes (docs/events.md#levels); {@code none} revokes an earlier share
   * (docs/security.md#node-who-sees-what).
   */
  static final Set<String> LEVELS = Set.of("basic", "advanced", "full", "none");

  static final Set<String> MODES = Set.of("r", "x");

  /**
   * Records that the run is shared with {@code subjects} at {@code level} in {@code mode}
   * (enforcement comes with the auth provider).
   *
   * @throws ApiException 400 naming each bad field
   */
  public RunDocument share(String fid, List<String> subjects, String level, String mode) {
    record(fid);
    List<Problem.FieldError> errors = new ArrayList<>();
    if (subjects == null || subjects.isEmpty()) {
      errors.add(new Problem.FieldError("subjects", "is required: a list of users or groups"));
    } else if (subjects.size() > 100) {
      errors.add(new Problem.FieldError("subjects", "may name at most 100 subjects"));
    } else {
      for (int i = 0; i < subjects.size(); i++) {
        String s = subjects.get(i);
        if (s == null
            || s.isBlank()
            || s.length() > 200
            || s.chars().anyMatch(Character::isISOControl)) {
          errors.add(
              new Problem.FieldError(
                  "subjects[" + i + "]",
                  "must be a user or group name of 1 to 200 printable characters"));
        }
      }
    }
    if (level == null || !LEVELS.contains(level)) {
      errors.add(
          new Problem.FieldError("level", "must be one of basic, advanced, full (none revokes)"));
    }
    if ("none".equals(level) && mode == null) {
      mode = "r";
    }
    if (mode == null || !MODES.contains(mode)) {
      errors.add(new Problem.FieldError("mode", "must be r (see the run) or x (see and launch)"));
    }
    if (!errors.isEmpty()) {
      throw ApiException.badRequest("the share of run " + fid + " is invalid", errors);
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("subjects", subjects.stream().distinct().toList());
    data.put("level", level);
    data.put("mode", mode);
    callerEvents.take(fid);
    try {
      appendTo(fid, () -> journal.append(fid, EventType.SHARE, Json.write(data)));
    } catch (RuntimeException e) {
      callerEvents.refund(fid);
      throw e;
    }
    return get(fid);
  }

  /**
   * Waits for an append to a run that existed a moment ago: if the store refused it because the run
   * was deleted meanwhile (a {@code DELETE} racing this request), or the journal finds no such run,
   * the answer is 404 like for any run that does not exist — not a 500.
   */
  <T> T appendTo(String fid, Supplier<CompletableFuture<T>> write) {
    try {
      return join(write.get());
    } catch (KodoException e) {
      if (e instanceof NoSuchRunException
          || (!(e instanceof ApiException) && !e.retryable() && store.run(fid).isEmpty())) {
        throw ApiException.notFound("run", fid);
      }
      throw e;
    }
  }

  /**
   * Waits for a write of the journal, within the current request's deadline ({@link Deadline}): a
   * store that has stopped taking writes (it retries them until it takes them again) answers 503
   * instead of holding the request. The write itself is kept and lands once the store recovers.
   */
  static <T> T join(CompletableFuture<T> f) {
    try {
      return Deadline.await(f);
    } catch (Deadline.ExceededException e) {
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "Write not confirmed",
          "the event store has not confirmed the write within "
              + e.timeout().toMillis()
              + " ms (kodo.http.request-timeout); it is kept and lands once the store takes writes again. Look at the run"
              + " before you try again",
          null);
    }
  }
}
