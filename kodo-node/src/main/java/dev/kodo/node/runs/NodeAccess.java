package dev.kodo.node.runs;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.Fids;
import dev.kodo.client.Level;
import dev.kodo.client.Share;
import dev.kodo.client.access.Access;
import dev.kodo.client.access.Caller;
import dev.kodo.client.access.Grant;
import dev.kodo.client.access.Mode;
import dev.kodo.client.access.Resources;
import dev.kodo.engine.FlowCatalog;
import dev.kodo.engine.LoadedFlow;
import dev.kodo.node.NodeProperties;
import dev.kodo.store.EventStore;
import dev.kodo.store.RunRecord;
import dev.kodo.store.RunVisibility;
import dev.kodo.web.ApiException;
import dev.kodo.web.security.AuthProperties;
import dev.kodo.web.security.CachedGrants;
import dev.kodo.web.security.Callers;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Who may do what on this node (docs/security.md#node-who-sees-what): flows a caller may launch
 * ({@code x}) or read ({@code r}) from its grants on {@code flow://{node}/{path}}; runs it sees
 * (operator; owner at the level it launched with; shared with one of its subjects; {@code r} on the
 * run's flow) and at which level; who manages a run (owner, operators) and who answers its locks
 * (owner, subjects shared at {@code x}, operators). A run a caller cannot see is 404, never 403.
 * Grants come from {@link CachedGrants}, so no request asks the auth provider anything.
 * Thread-safe.
 */
@Component
public class NodeAccess {
  private final CachedGrants grants;
  private final EventStore store;
  private final FlowCatalog catalog;
  private final String node;
  private final boolean enabled;

  /** A run as one caller sees it. */
  public record RunView(RunRecord record, List<Share> shares, Level level, boolean owner) {}

  NodeAccess(
      CachedGrants grants,
      EventStore store,
      FlowCatalog catalog,
      NodeProperties properties,
      AuthProperties auth) {
    this.grants = grants;
    this.store = store;
    this.catalog = catalog;
    this.node = properties.getNode().getName();
    this.enabled = auth.isEnabled();
  }

  /** The caller of the current request. */
  public Caller caller() {
    return Callers.current();
  }

  /** Whether callers are told apart at all ({@code kodo.auth.enabled}). */
  public boolean enabled() {
    return enabled;
  }

  /** The owner to record for a run the caller launches: its subject, or null with auth off. */
  public String owner(Caller caller) {
    return enabled ? caller.subject() : null;
  }

  private List<Grant> grants(Caller caller) {
    return caller.operator() ? List.of() : grants.grants();
  }

  /** The caller's level on a flow of this node in a mode; empty if it has none. */
  public Optional<Level> flow(Caller caller, String path, Mode mode) {
    if (caller.operator()) return Optional.of(Level.FULL);
    return Access.level(caller, grants(caller), Resources.flow(node, path), mode);
  }

  /** Whether the caller may see the flow at all (it may launch or read it). */
  public boolean seesFlow(Caller caller, String path) {
    if (caller.operator()) return true;
    List<Grant> g = grants(caller);
    String resource = Resources.flow(node, path);
    return Access.level(caller, g, resource, Mode.X).isPresent()
        || Access.level(caller, g, resource, Mode.R).isPresent();
  }

  /**
   * The level the caller launches the flow with ({@code x}).
   *
   * @throws ApiException 404 when the caller may not see the flow; 403 when it may only read it
   */
  public Level launch(Caller caller, String path) {
    Optional<Level> x = flow(caller, path, Mode.X);
    if (x.isPresent()) return x.get();
    if (catalog.get(path).isEmpty() || !seesFlow(caller, path)) {
      throw ApiException.notFound("flow", path);
    }
    throw forbidden(
        "you may read flow " + ApiException.shorten(path) + " but not launch it (needs x on it)");
  }

  /** Which runs the caller may list; null for all (operators). */
  public RunVisibility visibility(Caller caller) {
    if (caller.operator()) return null;
    List<Grant> g = grants(caller);
    Set<String> flows = new LinkedHashSet<>();
    for (LoadedFlow f : catalog.all()) {
      if (Access.level(caller, g, Resources.flow(node, f.path()), Mode.R).isPresent()) {
        flows.add(f.path());
      }
    }
    // Flows named exactly (no *) that this node no longer offers: their runs stay readable.
    Set<String> subjects = caller.subjects();
    String prefix = Resources.FLOW + node + "/";
    for (Grant gr : g) {
      if (subjects.contains(gr.subject())
          && gr.modeValue() == Mode.R
          && gr.resource().startsWith(prefix)
          && !gr.resource().contains("*")) {
        flows.add(gr.resource().substring(prefix.length()));
      }
    }
    return new RunVisibility(subjects, flows);
  }

  /**
   * The run as the caller sees it.
   *
   * @throws ApiException 404 when there is no such run or the caller may not see it
   */
  public RunView view(Caller caller, String fid) {
    RunRecord r = record(fid);
    List<Share> shares = store.shares(fid);
    return level(caller, r, shares)
        .map(l -> new RunView(r, shares, l, owns(caller, r)))
        .orElseThrow(() -> ApiException.notFound("run", fid));
  }

  /** The run, whoever asks. @throws ApiException 404 when there is no such run */
  private RunRecord record(String fid) {
    if (!Fids.valid(fid)) throw ApiException.notFound("run", fid);
    return store.run(fid).orElseThrow(() -> ApiException.notFound("run", fid));
  }

  /** The level at which the caller sees the run now; empty if it may not see it (or it is gone). */
  public Optional<Level> level(Caller caller, String fid) {
    Optional<RunRecord> r = store.run(fid);
    if (r.isEmpty()) return Optional.empty();
    return level(caller, r.get(), store.shares(fid));
  }

  Optional<Level> level(Caller caller, RunRecord r, List<Share> shares) {
    if (caller.operator()) return Optional.of(Level.FULL);
    Level best = null;
    Set<String> subjects = caller.subjects();
    for (Share s : shares) {
      Level l = level(s);
      if (l != null && subjects.contains(s.subject())) best = Access.max(best, l);
    }
    if (owns(caller, r)) best = Access.max(best, Level.BASIC);
    best = Access.max(best, flow(caller, r.flow(), Mode.R).orElse(null));
    return Optional.ofNullable(best);
  }

  private boolean owns(Caller caller, RunRecord r) {
    return r.owner() != null && r.owner().equals(caller.subject());
  }

  /** A share's level; null for {@code none} (revoked) or anything unknown. */
  static Level level(Share s) {
    try {
      return Level.valueOf(s.level().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * The run, for its owner or an operator: kill, restart, ack, delete, share.
   *
   * @throws ApiException 404 when the caller cannot see the run; 403 when it sees but does not own
   *     it
   */
  public RunView manage(Caller caller, String fid) {
    RunView v = view(caller, fid);
    if (!v.owner() && !caller.operator()) {
      throw forbidden("only the run's owner and operators may manage run " + fid);
    }
    return v;
  }

  /**
   * The run, for who may answer its locks: owner, subjects it is shared with at {@code x},
   * operators. The run's shares are read only for a caller who is neither owner nor operator (both
   * see every run they may answer): an answer is on the lock release's hot path
   * (docs/performance.md#lock-release).
   *
   * @throws ApiException 404 when the caller cannot see the run; 403 otherwise
   */
  public RunRecord answerLocks(Caller caller, String fid) {
    RunRecord r = record(fid);
    if (caller.operator() || owns(caller, r)) return r;
    List<Share> shares = store.shares(fid);
    if (level(caller, r, shares).isEmpty()) throw ApiException.notFound("run", fid);
    Set<String> subjects = caller.subjects();
    for (Share s : shares) {
      if (subjects.contains(s.subject()) && "x".equals(s.mode()) && level(s) != null) return r;
    }
    throw forbidden(
        "only the run's owner, subjects it is shared with at x, and operators answer its locks");
  }

  /**
   * @throws ApiException 403 unless the caller is an operator
   */
  public void operator(Caller caller, String what) {
    if (!caller.operator()) throw forbidden("only operators may " + what);
  }

  /** Whether a caller at {@code level} sees the event (unknown types need full). */
  public static boolean shows(Level level, Event e) {
    return level.includes(EventType.of(e.type()).map(EventType::level).orElse(Level.FULL));
  }

  static ApiException forbidden(String detail) {
    return new ApiException(HttpStatus.FORBIDDEN, "Forbidden", detail, null);
  }
}
