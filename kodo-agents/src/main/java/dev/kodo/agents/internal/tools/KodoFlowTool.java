package dev.kodo.agents.internal.tools;

import dev.kodo.client.BaseUrl;
import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.EventsPage;
import dev.kodo.client.Json;
import dev.kodo.client.KodoException;
import dev.kodo.client.ListOptions;
import dev.kodo.client.NodeClient;
import dev.kodo.client.NodeException;
import dev.kodo.client.NotAuthenticatedException;
import dev.kodo.client.Problem;
import dev.kodo.client.RegistryClient;
import dev.kodo.client.RegistryFlow;
import dev.kodo.client.RunDocument;
import dev.kodo.client.TokenSupplier;
import dev.kodo.sdk.CancelledException;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.InputError;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * The {@code kodo_flow} tool (docs/flows.md#how-a-crew-runs): launches a flow on another node,
 * follows the sub-run to its end and gives the model its final result. The node is named by URL or
 * found through a registry query. If the sub-run locks, this run locks with the same demand and
 * relays the answer (a denial on the sub-run's side is this run's denial); a kill of this run kills
 * the sub-run (best effort, bounded). Every remote call has a timeout; waiting is interruptible.
 *
 * <p>Two forms: the built-in {@code kodo_flow}, where the model names {@code node} (or {@code
 * registry} and {@code query}) and {@code flow}; and a named tool ({@code tools: {report: {type:
 * kodo_flow, node: …, flow: …}}}) where the definition fixes them and the model gives only {@code
 * inputs}. Where no node is named, the engine setting {@code kodo-flow.node} is used, else the
 * definition's {@code node}.
 *
 * <p>Every call to the other node (and to the registry) carries the bearer token of the run's
 * {@link dev.kodo.engine.RunEnvironment#token()}, when it gives one: on a node, the node's own
 * identity {@code node:{name}}, which then owns the sub-run
 * (docs/security.md#the-node-calling-other-nodes). A 401, 403 or 404 from there is an error the
 * model reads that says what is missing; the token is never part of a message.
 */
public final class KodoFlowTool implements CrewTool {
  /** The built-in tool's name and the {@code type} of a named one. */
  public static final String NAME = "kodo_flow";

  /** The engine setting (relative to {@code kodo.agents.}) naming the default node. */
  public static final String NODE_SETTING = "kodo-flow.node";

  /**
   * The engine setting (relative to {@code kodo.agents.}) listing, comma-separated, the node and
   * registry URLs the model may name in the built-in {@code kodo_flow} besides {@link
   * #NODE_SETTING}'s: a model's arguments can come from anything it has read, so it reaches only
   * where the operator allowed (docs/flows.md#how-a-crew-runs).
   */
  public static final String ALLOWED_SETTING = "kodo-flow.allowed";

  /** Longest wait for one remote call. */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  /** Longest wait for the sub-run's kill after this run was killed. */
  static final Duration KILL_TIMEOUT = Duration.ofSeconds(5);

  private static final long POLL_MILLIS = 250;
  private static final int PAGE = 500;

  private final ToolSpecification spec;
  private final boolean builtIn;
  private final Map<String, String> options;
  private final String defaultNode;
  private final Set<String> allowed;
  private final TokenSupplier token;
  private final FlowContext ctx;

  private KodoFlowTool(
      ToolSpecification spec,
      boolean builtIn,
      Map<String, String> options,
      String defaultNode,
      Set<String> allowed,
      TokenSupplier token,
      FlowContext ctx) {
    this.spec = spec;
    this.token = token;
    this.builtIn = builtIn;
    this.options = Map.copyOf(options);
    this.defaultNode = defaultNode;
    this.allowed = allowed;
    this.ctx = ctx;
  }

  /**
   * The built-in {@code kodo_flow}.
   *
   * @param defaultNode the {@link #NODE_SETTING} node, or null
   * @param allowed the {@link #ALLOWED_SETTING} value (comma-separated URLs), or null
   * @param token the bearer token calls carry ({@link TokenSupplier#NONE}: none)
   */
  public static KodoFlowTool builtIn(
      String defaultNode, String allowed, TokenSupplier token, FlowContext ctx) {
    JsonObjectSchema params =
        JsonObjectSchema.builder()
            .addStringProperty("flow", "the flow's path on its node, e.g. dev.kodo.examples.Hello")
            .addStringProperty("node", "the node's URL, e.g. http://127.0.0.1:8080")
            .addStringProperty(
                "registry", "instead of node: a registry's URL, to find a node offering the flow")
            .addStringProperty(
                "query",
                "with registry: a filter of the registry's flows, e.g. tags contains \"x\"")
            .addProperty(
                "inputs",
                JsonObjectSchema.builder().description("the flow's inputs by name").build())
            .required("flow")
            .build();
    ToolSpecification spec =
        ToolSpecification.builder()
            .name(NAME)
            .description(
                "Runs a Kodo flow on another node, waits for it to finish and returns its result")
            .parameters(params)
            .build();
    Set<String> urls = new HashSet<>();
    if (defaultNode != null && !defaultNode.isBlank()) {
      urls.add(normalized(defaultNode));
    }
    if (allowed != null) {
      for (String url : allowed.split(",")) {
        if (!url.isBlank()) {
          urls.add(normalized(url));
        }
      }
    }
    return new KodoFlowTool(spec, true, Map.of(), defaultNode, Set.copyOf(urls), token, ctx);
  }

  /**
   * A named tool whose definition fixes the flow ({@code flow}) and where it runs ({@code node}, or
   * {@code registry} and {@code query}).
   *
   * @param options the definition's options, every {@code ${VAR}} already resolved
   * @param token the bearer token calls carry ({@link TokenSupplier#NONE}: none)
   */
  public static KodoFlowTool defined(
      String name,
      Map<String, String> options,
      String defaultNode,
      TokenSupplier token,
      FlowContext ctx) {
    String flow = options.get("flow");
    ToolSpecification spec =
        ToolSpecification.builder()
            .name(name)
            .description(
                options.getOrDefault(
                    "description",
                    "Runs the Kodo flow "
                        + (flow == null ? "named by the query" : flow)
                        + ", waits for it to finish and returns its result"))
            .parameters(
                JsonObjectSchema.builder()
                    .addProperty(
                        "inputs",
                        JsonObjectSchema.builder().description("the flow's inputs by name").build())
                    .build())
            .build();
    return new KodoFlowTool(spec, false, options, defaultNode, Set.of(), token, ctx);
  }

  @Override
  public ToolSpecification specification() {
    return spec;
  }

  @Override
  public ToolOutcome call(String arguments, String agent) {
    String flow;
    String node;
    Map<String, Object> inputs;
    try {
      JsonNode args = ToolArguments.object(arguments);
      inputs = ToolArguments.map(args, "inputs");
      flow = pick(builtIn ? ToolArguments.text(args, "flow") : null, options.get("flow"));
      String registry =
          pick(builtIn ? ToolArguments.text(args, "registry") : null, options.get("registry"));
      String query = pick(builtIn ? ToolArguments.text(args, "query") : null, options.get("query"));
      node = builtIn ? blankToNull(ToolArguments.text(args, "node")) : null;
      if (builtIn) {
        checkAllowed("node", node);
        if (registry != null && !registry.equals(options.get("registry"))) {
          checkAllowed("registry", registry);
        }
      }
      if (node == null && registry != null) {
        RegistryFlow match = find(registry, query, flow);
        node = match.url();
        flow = match.path();
      }
      if (node == null) {
        node = pick(defaultNode, options.get("node"));
      }
      if (flow == null) {
        return ToolOutcome.failed("name the flow to run as 'flow'");
      }
      if (node == null) {
        return ToolOutcome.failed(
            "name the node to run "
                + flow
                + " on as 'node' (its URL), or a 'registry' and a 'query' to find one");
      }
    } catch (NotAuthenticatedException e) {
      return ToolOutcome.failed(notAuthenticated("registry", e));
    } catch (IllegalArgumentException | KodoException e) {
      return ToolOutcome.failed(e.getMessage());
    }
    NodeClient client;
    try {
      client = NodeClient.connect(node, token);
    } catch (KodoException e) {
      return ToolOutcome.failed(e.getMessage());
    }
    String target = flow;
    RunDocument run;
    try {
      run = remote("launching " + flow + " on " + node, () -> client.launch(target, inputs));
    } catch (NotAuthenticatedException e) {
      return ToolOutcome.failed(notAuthenticated("node", e));
    } catch (NodeException e) {
      return ToolOutcome.failed(refusal(flow, node, e));
    } catch (KodoException e) {
      return ToolOutcome.failed(e.getMessage());
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("node", client.url().toString());
    extra.put("fid", run.fid());
    try {
      return follow(client, flow, run.fid()).with(extra);
    } catch (CancelledException e) {
      killQuietly(client, run.fid());
      throw e;
    } catch (NotAuthenticatedException e) {
      return ToolOutcome.failed(notAuthenticated("node", e)).with(extra);
    } catch (KodoException e) {
      return ToolOutcome.failed(e.getMessage()).with(extra);
    }
  }

  /** Refuses a URL the model named that the operator did not allow ({@link #ALLOWED_SETTING}). */
  private void checkAllowed(String what, String url) {
    if (url == null) {
      return;
    }
    String normalized;
    try {
      normalized = normalized(url);
    } catch (KodoException e) {
      throw new KodoException("'" + what + "' is not a usable URL: " + e.getMessage());
    }
    if (!allowed.contains(normalized)) {
      throw new KodoException(
          what
              + " "
              + normalized
              + " is not one this crew may call; the operator allows "
              + (allowed.isEmpty()
                  ? "none (set kodo.agents."
                      + NODE_SETTING
                      + " or kodo.agents."
                      + ALLOWED_SETTING
                      + ")"
                  : String.join(", ", allowed.stream().sorted().toList()))
              + (defaultNode == null ? "" : "; leave 'node' out to use " + defaultNode));
    }
  }

  private static String normalized(String url) {
    try {
      return BaseUrl.of(url.strip());
    } catch (IllegalArgumentException e) {
      throw new KodoException(e.getMessage());
    }
  }

  /** Follows the sub-run until its terminal event, relaying its locks. */
  private ToolOutcome follow(NodeClient client, String flow, String fid) {
    long after = 0;
    Set<String> relayed = new HashSet<>();
    String where = "flow " + flow + " on " + client.url() + " (run " + fid + ")";
    while (true) {
      ctx.checkCancelled();
      long from = after;
      EventsPage page = remote("following run " + fid, () -> client.events(fid, from, PAGE));
      List<Event> items = page.items();
      for (int i = 0; i < items.size(); i++) {
        Event e = items.get(i);
        after = Math.max(after, e.seq());
        EventType type = e.eventType();
        if (type == null) {
          continue;
        }
        switch (type) {
          case FINAL -> {
            JsonNode result = e.dataNode().path("result");
            JsonNode body = result.path("body");
            return ToolOutcome.ok(body.isString() ? body.asString() : Json.write(body));
          }
          case FATAL -> {
            return ToolOutcome.failed(
                where + " failed: " + e.dataNode().path("message").asString("(no message)"));
          }
          case KILL -> {
            return ToolOutcome.failed(where + " was killed");
          }
          case LOCK -> {
            String lid = e.dataNode().path("lid").asString("");
            if (relayed.add(lid) && !closedLater(items, i, lid)) {
              relay(client, fid, where, e.dataNode());
            }
          }
          default -> {}
        }
      }
      if (!page.more()) {
        sleep();
      }
    }
  }

  /** Locks this run with the sub-run's demand until an answer the sub-run accepts. */
  private void relay(NodeClient client, String fid, String where, JsonNode lock) {
    String lid = lock.path("lid").asString("");
    String expires = lock.path("expires").asString(null);
    Duration timeout =
        expires == null
            ? dev.kodo.sdk.Demand.DEFAULT_TIMEOUT
            : Duration.between(Instant.now(), Instant.parse(expires));
    if (timeout.isNegative() || timeout.isZero()) {
      return;
    }
    ctx.lock(
        RelayedDemand.of(
            lock.path("demand"),
            "asked by " + where,
            values -> {
              try {
                remote(
                    "answering lock " + lid + " of run " + fid,
                    () -> client.answer(fid, lid, values));
                return List.of();
              } catch (NodeException e) {
                return reasons(e);
              } catch (KodoException e) {
                return List.of(new InputError("", e.getMessage()));
              }
            }),
        timeout);
  }

  static List<InputError> reasons(NodeException e) {
    Problem p = e.problem();
    List<InputError> out = new ArrayList<>();
    if (p != null) {
      for (Problem.FieldError f : p.errors()) {
        out.add(new InputError(f.field() == null ? "" : f.field(), f.message()));
      }
    }
    if (out.isEmpty()) {
      out.add(new InputError("", "the called flow did not take the answer: " + e.getMessage()));
    }
    return out;
  }

  private static boolean closedLater(List<Event> items, int index, String lid) {
    for (int j = index + 1; j < items.size(); j++) {
      Event e = items.get(j);
      if ((e.eventType() == EventType.UNLOCK || e.eventType() == EventType.LOCK_TIMEOUT)
          && lid.equals(e.dataNode().path("lid").asString(""))) {
        return true;
      }
    }
    return false;
  }

  private RegistryFlow find(String registry, String query, String flow) {
    RegistryClient client = RegistryClient.connect(registry, token);
    ListOptions list = ListOptions.all().withPerPage(100);
    if (query != null && !query.isBlank()) {
      list = list.withQuery(query);
    }
    ListOptions options = list;
    List<RegistryFlow> flows =
        remote("asking registry " + registry, () -> client.flows(options)).items();
    for (RegistryFlow f : flows) {
      if (f.online() && f.url() != null && (flow == null || flow.equals(f.path()))) {
        return f;
      }
    }
    throw new KodoException(
        "registry "
            + client.url()
            + " knows no online node offering "
            + (flow == null ? "a flow" : "flow " + flow)
            + (query == null ? "" : " that matches the query " + query));
  }

  private String refusal(String flow, String node, NodeException e) {
    StringBuilder s = new StringBuilder();
    if (e.status() == 404) {
      s.append("node ").append(node).append(" does not offer flow ").append(flow);
      if (sendsToken()) {
        s.append(", or does not let this node see it (a grant of mode x on the flow is missing)");
      }
    } else if (e.status() == 403) {
      s.append("node ")
          .append(node)
          .append(" does not let this node run ")
          .append(flow)
          .append(": its operator must grant this node's identity mode x on the flow")
          .append(" (docs/security.md#the-node-calling-other-nodes)");
    } else if (e.status() == 400) {
      s.append("flow ").append(flow).append(" refused the inputs: ").append(e.getMessage());
      if (e.problem() != null) {
        for (Problem.FieldError f : e.problem().errors()) {
          s.append("; ").append(f.field()).append(": ").append(f.message());
        }
      }
    } else {
      s.append("node ").append(node).append(" refused to run ").append(flow).append(": ");
      s.append(e.getMessage());
    }
    return s.toString();
  }

  /** Whether calls carry a token (one that cannot be had now counts: one was asked for). */
  private boolean sendsToken() {
    try {
      return token.token().isPresent();
    } catch (RuntimeException e) {
      return true;
    }
  }

  /**
   * A 401 from the other node or registry, said for the model and the operator: whether this node
   * sent no token or one that was refused. Never the token itself.
   */
  private static String notAuthenticated(String what, NotAuthenticatedException e) {
    String where = what + " " + e.url();
    if (e.reason() == NotAuthenticatedException.Reason.MISSING) {
      return where
          + " needs a token, and this node has none to send: give the node an identity"
          + " (auth on, or kodo.auth.client-id/client-secret of a node client;"
          + " docs/security.md#the-node-calling-other-nodes)";
    }
    return where
        + " did not accept this node's token: it trusts another auth provider, or the"
        + " token was revoked or has expired (docs/security.md#the-node-calling-other-nodes)";
  }

  /** Runs a remote call on its own virtual thread, waiting at most {@link #CALL_TIMEOUT}. */
  private <T> T remote(String what, Supplier<T> call) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread t =
        Thread.ofVirtual()
            .name("kodo-flow-call")
            .start(
                () -> {
                  try {
                    result.complete(call.get());
                  } catch (Throwable e) {
                    result.completeExceptionally(e);
                  }
                });
    try {
      return result.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      t.interrupt();
      Thread.currentThread().interrupt();
      throw new CancelledException(ctx.fid());
    } catch (TimeoutException e) {
      t.interrupt();
      throw new KodoException(what + ": no answer within " + CALL_TIMEOUT.toSeconds() + " s");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new KodoException(what + " failed: " + e.getCause(), e.getCause());
    }
  }

  private void sleep() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancelledException(ctx.fid());
    }
  }

  /** Kills the sub-run, waiting at most {@link #KILL_TIMEOUT}; keeps this thread's interrupt. */
  static void killQuietly(NodeClient client, String fid) {
    boolean interrupted = Thread.interrupted();
    Thread t =
        Thread.ofVirtual()
            .name("kodo-flow-kill")
            .start(
                () -> {
                  try {
                    client.kill(fid);
                  } catch (RuntimeException ignored) {
                    // best effort: the sub-run may have ended, or its node be gone
                  }
                });
    try {
      if (!t.join(KILL_TIMEOUT)) {
        t.interrupt();
      }
    } catch (InterruptedException e) {
      t.interrupt();
      interrupted = true;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static String pick(String first, String second) {
    String a = blankToNull(first);
    return a != null ? a : blankToNull(second);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
