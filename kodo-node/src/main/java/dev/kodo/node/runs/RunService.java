package dev.kodo.node.runs;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.EventsPage;
import dev.kodo.client.Fids;
import dev.kodo.client.Page;
import dev.kodo.client.RunDocument;
import dev.kodo.client.RunState;
import dev.kodo.cluster.KodoCluster;
import dev.kodo.cluster.RunTicket;
import dev.kodo.engine.EventData;
import dev.kodo.engine.FlowCatalog;
import dev.kodo.engine.LoadedFlow;
import dev.kodo.node.NodeProperties;
import dev.kodo.node.web.ApiException;
import dev.kodo.node.web.ListParams;
import dev.kodo.sdk.Inputs;
import dev.kodo.store.EventStore;
import dev.kodo.store.NewRun;
import dev.kodo.store.RunFold;
import dev.kodo.store.RunQuery;
import dev.kodo.store.RunRecord;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.springframework.stereotype.Service;

/**
 * What the node does with runs: launch them onto the cluster, and tell about them. Plain logic
 * behind the HTTP controllers; tests call it directly.
 */
@Service
public class RunService {
  static final Set<String> SORTABLE = Set.of("created", "finished", "flow", "state", "fid");

  private final FlowCatalog catalog;
  private final EventStore store;
  private final RunJournal journal;
  private final KodoCluster cluster;
  private final String node;

  RunService(FlowCatalog catalog, EventStore store, RunJournal journal, KodoCluster cluster, NodeProperties properties) {
    this.catalog = catalog;
    this.store = store;
    this.journal = journal;
    this.cluster = cluster;
    this.node = properties.getNode().getName();
  }

  /**
   * Validates the inputs, records the run ({@code inputs}, {@code version}, {@code flow}) durably
   * and puts it on the cluster.
   *
   * @throws ApiException 404 for an unknown flow
   * @throws dev.kodo.sdk.InvalidInputsException for inputs that do not fit the flow's form
   */
  public RunDocument launch(String flowPath, Map<String, ?> rawInputs, String owner) {
    LoadedFlow flow = catalog.get(flowPath).orElseThrow(() -> ApiException.notFound("flow", flowPath));
    Inputs inputs = flow.spec().inputs().validate(rawInputs);
    String fid = Fids.next();
    var now = journal.now();
    NewRun run = new NewRun(fid, flow.path(), owner, now, inputs.toJson());
    List<Event> first = List.of(
        Event.of(fid, 0, now, EventType.INPUTS, inputs.toJson()),
        Event.of(fid, 0, now, EventType.VERSION, EventData.version()),
        Event.of(fid, 0, now, EventType.FLOW, EventData.flow(flow)));
    join(journal.create(run, first));
    cluster.dispatch(new RunTicket(fid, flow.path(), inputs.toJson(), node));
    RunRecord record = RunRecord.start(run);
    long seq = 0;
    for (Event e : first) {
      record = RunFold.apply(record, e.withSeq(++seq));
    }
    return RunDocuments.of(record);
  }

  public RunDocument get(String fid) {
    return RunDocuments.of(record(fid));
  }

  RunRecord record(String fid) {
    if (!Fids.valid(fid)) {
      throw ApiException.notFound("run", fid);
    }
    return store.run(fid).orElseThrow(() -> ApiException.notFound("run", fid));
  }

  public Page<RunDocument> list(String states, String flow, ListParams params) {
    Set<RunState> wanted = EnumSet.noneOf(RunState.class);
    if (states != null && !states.isBlank()) {
      for (String s : states.split(",")) {
        try {
          wanted.add(RunState.parse(s));
        } catch (IllegalArgumentException e) {
          throw ApiException.badParameter("state", e.getMessage());
        }
      }
    }
    List<RunQuery.Sort> sort = new ArrayList<>();
    for (ListParams.Order o : params.by()) {
      sort.add(new RunQuery.Sort(RunQuery.Field.valueOf(o.field().toUpperCase(java.util.Locale.ROOT)), o.descending()));
    }
    String search = params.search();
    if (search != null && !search.contains("*") && !search.contains("?")) {
      search = "*" + search + "*";
    }
    Page<RunRecord> page = store.runs(new RunQuery(wanted, flow == null || flow.isBlank() ? null : flow, null, search, sort,
        params.page(), params.perPage()));
    return new Page<>(page.total(), page.filtered(), page.p(), page.pp(), page.items().stream().map(RunDocuments::of).toList());
  }

  public EventsPage events(String fid, long after, int limit) {
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

  static <T> T join(java.util.concurrent.CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : e;
    }
  }
}
