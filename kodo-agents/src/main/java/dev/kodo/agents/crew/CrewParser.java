package dev.kodo.agents.crew;

import dev.kodo.agents.crew.CrewNodes.Entry;
import dev.kodo.client.BaseUrl;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a crew file into a {@link Crew}, checking everything that can be checked before a run:
 * unknown keys, missing or wrong-typed values, references to agents, tools or tasks that do not
 * exist, cycles in {@code context}, placeholders that name no input. Reports every problem with
 * file, line and column (docs/flows.md#yaml-crews). Only SnakeYAML's composer reads the file: no
 * class is instantiated, nothing is executed. Stateless and thread-safe.
 */
public final class CrewParser {
  /** The keys of a crew file. */
  static final List<String> CREW_KEYS =
      List.of(
          "name",
          "description",
          "author",
          "organization",
          "release",
          "tags",
          "inputs",
          "llm",
          "agents",
          "tools",
          "tasks",
          "process",
          "manager",
          "human",
          "max_concurrent_runs",
          "retry_safe");

  static final List<String> LLM_KEYS =
      List.of(
          "provider",
          "model",
          "base_url",
          "api_key",
          "temperature",
          "max_tokens",
          "timeout_seconds",
          "max_retries");

  static final List<String> AGENT_KEYS = List.of("role", "goal", "backstory", "tools", "llm");

  static final List<String> TASK_KEYS =
      List.of("id", "agent", "description", "expected_output", "context", "output");

  static final List<String> HUMAN_KEYS = List.of("after", "ask");

  static final List<String> MANAGER_KEYS = List.of("llm");

  /** Model providers a crew can name. */
  public static final List<String> PROVIDERS = List.of("openai", "anthropic", "gemini");

  /** Tools every agent may list without defining them. */
  public static final List<String> BUILT_IN_TOOLS =
      List.of("calculator", "datetime", "run_input", "kodo_flow");

  /** Types of a named tool under {@code tools:}. */
  public static final List<String> TOOL_TYPES = List.of("kodo_flow", "java");

  private static final Map<String, List<String>> TOOL_KEYS =
      Map.of(
          "kodo_flow", List.of("type", "description", "node", "flow", "registry", "query"),
          "java", List.of("type", "description", "class"));

  private static final List<String> PROCESSES = List.of("sequential", "hierarchical", "parallel");

  /** Agent, task and tool names: what model APIs accept as a tool or function name. */
  private static final Pattern ID = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,63}");

  private static final Pattern JAVA_CLASS =
      Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");

  /** At most this many problems are reported (the last one says how many more there are). */
  static final int MAX_PROBLEMS = 100;

  private CrewParser() {}

  /**
   * Parses and validates the crew in {@code file}.
   *
   * @throws CrewException with every problem found
   */
  public static Crew parse(Path file) {
    CrewNodes nodes = new CrewNodes(file, null);
    String text = CrewYaml.read(file, nodes);
    if (text == null) {
      throw new CrewException(nodes.problems());
    }
    return parse(text, file);
  }

  /**
   * Parses crew text as if read from {@code file} (used in messages only).
   *
   * @throws CrewException with every problem found
   */
  public static Crew parse(String text, Path file) {
    CrewNodes nodes = new CrewNodes(file, text);
    Crew crew = null;
    try {
      crew = read(text, nodes);
    } catch (RuntimeException | StackOverflowError e) {
      // A bug here must still not escape as a stack trace to whoever offered the file.
      nodes.problem(1, 1, "the crew cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    if (!nodes.problems().isEmpty() || crew == null) {
      List<CrewProblem> sorted = new ArrayList<>(nodes.problems());
      sorted.sort((a, b) -> a.line() != b.line() ? a.line() - b.line() : a.column() - b.column());
      if (sorted.size() > MAX_PROBLEMS) {
        CrewProblem last = sorted.get(MAX_PROBLEMS - 1);
        int more = sorted.size() - MAX_PROBLEMS + 1;
        sorted = new ArrayList<>(sorted.subList(0, MAX_PROBLEMS - 1));
        sorted.add(
            new CrewProblem(
                file, last.line(), last.column(), "… and " + more + " more problems from here on"));
      }
      throw new CrewException(
          sorted.isEmpty() ? List.of(new CrewProblem(file, 1, 1, "not a crew")) : sorted);
    }
    return crew;
  }

  private static Crew read(String text, CrewNodes nodes) {
    if (text == null) {
      nodes.problem(1, 1, "no crew text was given");
      return null;
    }
    if (text.length() > CrewYaml.MAX_BYTES) {
      nodes.problem(1, 1, CrewYaml.tooLarge());
      return null;
    }
    Node root = CrewYaml.compose(text, nodes);
    if (!nodes.problems().isEmpty()) {
      return null;
    }
    if (root == null || CrewNodes.isNull(root)) {
      nodes.problem(1, 1, "the file is empty: a crew needs at least 'name', 'agents' and 'tasks'");
      return null;
    }
    if (root instanceof SequenceNode) {
      nodes.problem(
          root,
          "a crew file is a mapping of keys (name, agents, tasks, …), not a list; remove the"
              + " leading '-'");
      return null;
    }
    Map<String, Entry> top = nodes.mapping(root, CrewNodes.CREW, CREW_KEYS);
    if (top == null) {
      return null;
    }
    Set<String> variables = new LinkedHashSet<>();

    // Metadata and inputs → FlowSpec
    String name = required(top, "name", root, nodes, "every crew needs a name");
    String description = optionalText(top, "description", "description", nodes);
    String author = optionalText(top, "author", "author", nodes);
    String organization = optionalText(top, "organization", "organization", nodes);
    String release = optionalText(top, "release", "release", nodes);
    List<String> tags = textList(top.get("tags"), "tags", nodes);
    Integer maxConcurrentRuns =
        present(top, "max_concurrent_runs")
            ? nodes.whole(
                top.get("max_concurrent_runs").value(), "max_concurrent_runs", 0, 1_000_000)
            : null;
    Boolean retrySafe =
        present(top, "retry_safe") ? nodes.bool(top.get("retry_safe").value(), "retry_safe") : null;
    Set<String> inputNames = new LinkedHashSet<>();
    Form inputs = CrewInputs.read(value(top, "inputs"), nodes, inputNames);
    Node inputsNode = value(top, "inputs");
    if (inputsNode != null
        && !CrewNodes.isNull(inputsNode)
        && !(inputsNode instanceof org.yaml.snakeyaml.nodes.MappingNode)) {
      inputNames = null; // unreadable: placeholders cannot be checked against it
    }
    FlowSpec spec = null;
    if (name != null) {
      try {
        spec =
            FlowSpec.builder(name)
                .description(description)
                .author(author)
                .organization(organization)
                .release(release)
                .tags(tags.toArray(String[]::new))
                .maxConcurrentRuns(maxConcurrentRuns == null ? 0 : maxConcurrentRuns)
                .inputs(inputs)
                .build();
      } catch (IllegalArgumentException e) {
        Entry at = top.containsKey("release") ? top.get("release") : top.get("name");
        nodes.problem(at.value(), String.valueOf(e.getMessage()));
      }
    }

    // Process
    Crew.Process process = Crew.Process.SEQUENTIAL;
    Entry processEntry = top.get("process");
    if (processEntry != null) {
      String p = nodes.text(processEntry.value(), "process");
      if (p != null) {
        if (PROCESSES.contains(p)) {
          process = Crew.Process.valueOf(p.toUpperCase(Locale.ROOT));
        } else {
          String close = CrewNodes.closest(p, PROCESSES);
          nodes.problem(
              processEntry.value(),
              "process '"
                  + CrewNodes.shorten(p)
                  + "' is not one of sequential, hierarchical, parallel"
                  + (close == null ? "" : " (did you mean '" + close + "'?)"));
        }
      }
    }

    // Models
    LlmSpec llm = llm(value(top, "llm"), "llm", nodes, variables);
    LlmSpec manager = null;
    Entry managerEntry = top.get("manager");
    if (managerEntry != null) {
      if (process != Crew.Process.HIERARCHICAL && processEntry != null) {
        nodes.problem(
            managerEntry.key(),
            "'manager' is used only with process: hierarchical (this crew is "
                + process.name().toLowerCase(Locale.ROOT)
                + ")");
      } else if (process != Crew.Process.HIERARCHICAL) {
        nodes.problem(
            managerEntry.key(),
            "'manager' is used only with process: hierarchical (add 'process: hierarchical')");
      }
      Map<String, Entry> m = nodes.mapping(managerEntry.value(), "manager", MANAGER_KEYS);
      if (m != null) {
        manager = llm(value(m, "llm"), "manager.llm", nodes, variables);
      }
    }

    // Tools
    Map<String, ToolSpec> tools = new LinkedHashMap<>();
    Entry toolsEntry = top.get("tools");
    if (toolsEntry != null && !CrewNodes.isNull(toolsEntry.value())) {
      Map<String, Entry> defs = nodes.namedMapping(toolsEntry.value(), "tools");
      if (defs != null) {
        for (Map.Entry<String, Entry> d : defs.entrySet()) {
          ToolSpec t = tool(d.getKey(), d.getValue(), nodes, variables);
          if (t != null) {
            tools.put(t.name(), t);
          }
        }
      }
    }

    // Agents
    Map<String, AgentSpec> agents = new LinkedHashMap<>();
    Map<String, Entry> agentEntries = null;
    if (requirePresent(top, "agents", root, nodes, "a crew needs at least one agent")) {
      agentEntries = nodes.namedMapping(top.get("agents").value(), "agents");
      if (agentEntries != null && agentEntries.isEmpty()) {
        nodes.problem(top.get("agents").value(), "agents is empty: a crew needs at least one");
      }
    }
    if (agentEntries != null) {
      for (Map.Entry<String, Entry> a : agentEntries.entrySet()) {
        AgentSpec agent = agent(a.getKey(), a.getValue(), tools, inputNames, nodes, variables);
        if (agent != null) {
          agents.put(agent.id(), agent);
        }
      }
    }

    // Tasks
    List<TaskSpec> tasks = new ArrayList<>();
    Map<String, Node> taskNodes = new HashMap<>();
    Map<String, List<Node>> contextNodes = new HashMap<>();
    boolean tasksReadable = false;
    if (requirePresent(top, "tasks", root, nodes, "a crew needs at least one task")) {
      List<Node> items = nodes.list(top.get("tasks").value(), "tasks");
      if (items != null && items.isEmpty()) {
        nodes.problem(top.get("tasks").value(), "tasks is empty: a crew needs at least one");
      } else if (items != null) {
        tasksReadable = true;
        Set<String> agentIds = agentEntries == null ? null : agentEntries.keySet();
        TaskSpec finalTask = null;
        Node finalNode = null;
        int n = 0;
        for (Node item : items) {
          n++;
          TaskSpec task =
              task(item, n, process, agentIds, inputNames, nodes, contextNodes, taskNodes);
          if (task == null) {
            tasksReadable = false;
            continue;
          }
          if (tasks.stream().anyMatch(t -> t.id().equals(task.id()))) {
            tasksReadable = false; // reported as a duplicate id; references would be ambiguous
          }
          if (task.isFinal()) {
            if (finalTask != null) {
              nodes.problem(
                  item,
                  "only one task can have 'output: final'; task '"
                      + finalTask.id()
                      + "' (line "
                      + (finalNode.getStartMark().getLine() + 1)
                      + ") has it already");
            } else {
              finalTask = task;
              finalNode = item;
            }
          }
          tasks.add(task);
        }
      }
    }
    if (tasksReadable) {
      checkContexts(tasks, process, contextNodes, nodes);
    }

    // Human step
    HumanStep human = null;
    Entry humanEntry = top.get("human");
    if (humanEntry != null && !CrewNodes.isNull(humanEntry.value())) {
      Map<String, Entry> h = nodes.mapping(humanEntry.value(), "human", HUMAN_KEYS);
      if (h != null) {
        String after =
            required(
                h,
                "after",
                humanEntry.value(),
                nodes,
                "name the task after which a person approves");
        String ask = optionalText(h, "ask", "human.ask", nodes);
        if (after != null && !taskNodes.containsKey(after) && tasksReadable) {
          nodes.problem(
              h.get("after").value(),
              "human.after names no task: '"
                  + CrewNodes.shorten(after)
                  + "'"
                  + suggestion(after, taskNodes.keySet()));
        }
        if (after != null) {
          human =
              new HumanStep(
                  after,
                  ask != null
                      ? ask
                      : "Approve the output of '" + after + "' before the crew goes on?");
        }
      }
    }

    if (!nodes.problems().isEmpty() || spec == null) {
      return null;
    }
    return new Crew(
        nodes.file(),
        spec,
        llm,
        agents,
        tools,
        tasks,
        process,
        manager,
        human,
        variables,
        Boolean.TRUE.equals(retrySafe));
  }

  private static AgentSpec agent(
      String id,
      Entry entry,
      Map<String, ToolSpec> tools,
      Set<String> inputNames,
      CrewNodes nodes,
      Set<String> variables) {
    String where = "agents." + id;
    checkId(entry.key(), id, "agent", nodes);
    Map<String, Entry> keys = nodes.mapping(entry.value(), where, AGENT_KEYS);
    if (keys == null) {
      return null;
    }
    String role = required(keys, "role", entry.value(), nodes, null, where);
    String goal = required(keys, "goal", entry.value(), nodes, null, where);
    String backstory = optionalText(keys, "backstory", where + ".backstory", nodes);
    checkInputs(keys, "role", where, inputNames, nodes);
    checkInputs(keys, "goal", where, inputNames, nodes);
    checkInputs(keys, "backstory", where, inputNames, nodes);
    List<String> toolNames = new ArrayList<>();
    Entry toolsEntry = keys.get("tools");
    if (toolsEntry != null && !CrewNodes.isNull(toolsEntry.value())) {
      List<Node> items = nodes.list(toolsEntry.value(), where + ".tools");
      if (items != null) {
        for (Node item : items) {
          String t = nodes.text(item, where + ".tools item");
          if (t == null) {
            continue;
          }
          if (!BUILT_IN_TOOLS.contains(t) && !tools.containsKey(t)) {
            List<String> known = new ArrayList<>(BUILT_IN_TOOLS);
            known.addAll(tools.keySet());
            nodes.problem(
                item,
                where
                    + ".tools names no tool: '"
                    + CrewNodes.shorten(t)
                    + "'"
                    + suggestion(t, known)
                    + "; built-in tools are "
                    + String.join(", ", BUILT_IN_TOOLS)
                    + ", others are defined under 'tools:'");
          } else if (toolNames.contains(t)) {
            nodes.problem(item, where + ".tools lists '" + t + "' twice");
          } else {
            toolNames.add(t);
          }
        }
      }
    }
    LlmSpec llm = llm(value(keys, "llm"), where + ".llm", nodes, variables);
    if (role == null || goal == null) {
      return null;
    }
    return new AgentSpec(id, role, goal, backstory == null ? "" : backstory, toolNames, llm);
  }

  private static TaskSpec task(
      Node item,
      int n,
      Crew.Process process,
      Set<String> agentIds,
      Set<String> inputNames,
      CrewNodes nodes,
      Map<String, List<Node>> contextNodes,
      Map<String, Node> taskNodes) {
    String where = "tasks[" + n + "]";
    if (item instanceof org.yaml.snakeyaml.nodes.MappingNode m) {
      // name the task by its id in every message, also in those about keys before the id
      for (org.yaml.snakeyaml.nodes.NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof org.yaml.snakeyaml.nodes.ScalarNode k
            && k.getValue().equals("id")
            && t.getValueNode() instanceof org.yaml.snakeyaml.nodes.ScalarNode v
            && ID.matcher(v.getValue()).matches()) {
          where = "tasks." + v.getValue();
          break;
        }
      }
    }
    Map<String, Entry> keys = nodes.mapping(item, where, TASK_KEYS);
    if (keys == null) {
      return null;
    }
    String id = "task-" + n;
    Entry idEntry = keys.get("id");
    if (idEntry != null) {
      String given = nodes.text(idEntry.value(), where + ".id");
      if (given == null) {
        return null;
      }
      checkId(idEntry.value(), given, "task", nodes);
      id = given;
      where = "tasks." + id;
    }
    Node at = idEntry != null ? idEntry.value() : item;
    Node first = taskNodes.putIfAbsent(id, at);
    if (first != null) {
      nodes.problem(
          at,
          "duplicate task id '"
              + CrewNodes.shorten(id)
              + "' (first at line "
              + (first.getStartMark().getLine() + 1)
              + ")");
    }
    String description = required(keys, "description", item, nodes, null, where);
    String expected = optionalText(keys, "expected_output", where + ".expected_output", nodes);
    checkInputs(keys, "description", where, inputNames, nodes);
    checkInputs(keys, "expected_output", where, inputNames, nodes);
    String agent = null;
    Entry agentEntry = keys.get("agent");
    if (agentEntry == null || CrewNodes.isNull(agentEntry.value())) {
      if (process != Crew.Process.HIERARCHICAL
          && (agentEntry != null || !nodes.misspelled(item, "agent"))) {
        nodes.problem(
            agentEntry != null ? agentEntry.value() : item,
            where
                + ": missing 'agent' (which agent does this task; only a hierarchical crew's"
                + " manager may choose)");
      }
    } else {
      agent = nodes.text(agentEntry.value(), where + ".agent");
      if (agent != null && agentIds != null && !agentIds.contains(agent)) {
        nodes.problem(
            agentEntry.value(),
            where
                + ".agent names no agent: '"
                + CrewNodes.shorten(agent)
                + "'"
                + suggestion(agent, agentIds)
                + " (agents: "
                + String.join(", ", agentIds)
                + ")");
      }
    }
    List<String> context = new ArrayList<>();
    List<Node> ctxNodes = new ArrayList<>();
    Entry ctxEntry = keys.get("context");
    if (ctxEntry != null && !CrewNodes.isNull(ctxEntry.value())) {
      List<Node> items = nodes.list(ctxEntry.value(), where + ".context");
      if (items != null) {
        for (Node c : items) {
          String t = nodes.text(c, where + ".context item");
          if (t != null) {
            if (context.contains(t)) {
              nodes.problem(c, where + ".context lists '" + CrewNodes.shorten(t) + "' twice");
            } else {
              context.add(t);
              ctxNodes.add(c);
            }
          }
        }
      }
    }
    contextNodes.put(id, ctxNodes);
    boolean isFinal = false;
    Entry outputEntry = keys.get("output");
    if (outputEntry != null && !CrewNodes.isNull(outputEntry.value())) {
      String o = nodes.text(outputEntry.value(), where + ".output");
      if (o != null && !o.equals("final")) {
        nodes.problem(
            outputEntry.value(),
            where + ".output must be 'final' (or left out), not '" + CrewNodes.shorten(o) + "'");
      }
      isFinal = "final".equals(o);
    }
    if (description == null) {
      return null;
    }
    return new TaskSpec(id, agent, description, expected == null ? "" : expected, context, isFinal);
  }

  /**
   * Each {@code context} entry must name a task; no cycle; with {@code sequential}, only earlier
   * tasks (they run in file order).
   */
  private static void checkContexts(
      List<TaskSpec> tasks,
      Crew.Process process,
      Map<String, List<Node>> contextNodes,
      CrewNodes nodes) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, TaskSpec> byId = new LinkedHashMap<>();
    for (int i = 0; i < tasks.size(); i++) {
      index.putIfAbsent(tasks.get(i).id(), i);
      byId.putIfAbsent(tasks.get(i).id(), tasks.get(i));
    }
    boolean allKnown = true;
    for (TaskSpec t : tasks) {
      List<Node> at = contextNodes.getOrDefault(t.id(), List.of());
      for (int i = 0; i < t.context().size() && i < at.size(); i++) {
        String c = t.context().get(i);
        if (!index.containsKey(c)) {
          allKnown = false;
          nodes.problem(
              at.get(i),
              "tasks."
                  + t.id()
                  + ".context names no task: '"
                  + CrewNodes.shorten(c)
                  + "'"
                  + suggestion(c, byId.keySet()));
        }
      }
    }
    if (!allKnown) {
      return;
    }
    // Cycles, found by depth-first search in file order; each reported once, where it closes.
    Set<String> onCycle = new HashSet<>();
    Map<String, Integer> state = new HashMap<>(); // 1 = on the path, 2 = done
    for (TaskSpec t : byId.values()) {
      if (!state.containsKey(t.id())) {
        cycles(t.id(), byId, state, contextNodes, onCycle, nodes);
      }
    }
    if (process == Crew.Process.SEQUENTIAL) {
      for (TaskSpec t : tasks) {
        List<Node> at = contextNodes.getOrDefault(t.id(), List.of());
        for (int i = 0; i < t.context().size() && i < at.size(); i++) {
          String c = t.context().get(i);
          if (index.get(c) >= index.get(t.id()) && !onCycle.contains(t.id() + "→" + c)) {
            nodes.problem(
                at.get(i),
                "tasks."
                    + t.id()
                    + ".context names '"
                    + c
                    + "', which comes later: a sequential crew runs its tasks in file order,"
                    + " so a task can only use earlier ones");
          }
        }
      }
    }
  }

  /**
   * Depth-first search from {@code start} (iterative: a chain of thousands of tasks must not
   * overflow the stack); reports each cycle where its closing {@code context} entry is.
   */
  private static void cycles(
      String start,
      Map<String, TaskSpec> byId,
      Map<String, Integer> state,
      Map<String, List<Node>> contextNodes,
      Set<String> onCycle,
      CrewNodes nodes) {
    List<String> path = new ArrayList<>();
    List<Integer> next = new ArrayList<>();
    path.add(start);
    next.add(0);
    state.put(start, 1);
    while (!path.isEmpty()) {
      int top = path.size() - 1;
      String id = path.get(top);
      List<String> context = byId.get(id).context();
      int i = next.get(top);
      if (i >= context.size()) {
        state.put(id, 2);
        path.removeLast();
        next.removeLast();
        continue;
      }
      next.set(top, i + 1);
      String c = context.get(i);
      Integer s = state.get(c);
      if (s == null) {
        state.put(c, 1);
        path.add(c);
        next.add(0);
      } else if (s == 1) {
        List<String> cycle = new ArrayList<>(path.subList(path.indexOf(c), path.size()));
        cycle.add(c);
        for (int k = 0; k + 1 < cycle.size(); k++) {
          onCycle.add(cycle.get(k) + "→" + cycle.get(k + 1));
        }
        List<Node> at = contextNodes.getOrDefault(id, List.of());
        String shown =
            cycle.size() <= 12
                ? String.join(" → ", cycle)
                : String.join(" → ", cycle.subList(0, 10))
                    + " → … ("
                    + (cycle.size() - 11)
                    + " more) → "
                    + c;
        nodes.problem(i < at.size() ? at.get(i) : null, "context makes a cycle: " + shown);
      }
    }
  }

  private static ToolSpec tool(String name, Entry entry, CrewNodes nodes, Set<String> variables) {
    String where = "tools." + name;
    boolean ok = checkId(entry.key(), name, "tool", nodes);
    if (BUILT_IN_TOOLS.contains(name)) {
      nodes.problem(
          entry.key(), "'" + name + "' is a built-in tool; give your definition another name");
      ok = false;
    }
    if (!(entry.value() instanceof org.yaml.snakeyaml.nodes.MappingNode)) {
      nodes.mapping(entry.value(), where, List.of());
      return null;
    }
    Map<String, Entry> all =
        nodes.mapping(
            entry.value(),
            where,
            List.of("type", "description", "node", "flow", "registry", "query", "class"));
    if (all == null) {
      return null;
    }
    String type = required(all, "type", entry.value(), nodes, "kodo_flow or java", where);
    if (type == null) {
      return null;
    }
    if (!TOOL_TYPES.contains(type)) {
      nodes.problem(
          all.get("type").value(),
          where
              + ".type '"
              + CrewNodes.shorten(type)
              + "' is not one of kodo_flow, java"
              + suggestion(type, TOOL_TYPES));
      return null;
    }
    List<String> allowed = TOOL_KEYS.get(type);
    Map<String, String> options = new LinkedHashMap<>();
    for (Map.Entry<String, Entry> e : all.entrySet()) {
      if (!allowed.contains(e.getKey())) {
        nodes.problem(
            e.getValue().key(),
            "'"
                + e.getKey()
                + "' does not apply to a "
                + type
                + " tool (it takes "
                + String.join(", ", allowed)
                + ")");
        ok = false;
        continue;
      }
      if (e.getKey().equals("type")) {
        continue;
      }
      String v = nodes.text(e.getValue().value(), where + "." + e.getKey());
      if (v == null) {
        ok = false;
        continue;
      }
      ok &= checkVariables(e.getValue().value(), v, nodes, variables);
      options.put(e.getKey(), v);
    }
    if (type.equals("java")) {
      String cls = options.get("class");
      if (cls == null) {
        nodes.problem(entry.value(), where + ": missing 'class' (the class with @Tool methods)");
        ok = false;
      } else if (!JAVA_CLASS.matcher(cls).matches()) {
        nodes.problem(
            all.get("class").value(),
            where + ".class '" + CrewNodes.shorten(cls) + "' is not a Java class name");
        ok = false;
      }
    } else {
      if (!options.containsKey("flow") && !options.containsKey("query")) {
        nodes.problem(
            entry.value(),
            where
                + ": a kodo_flow tool needs 'flow' (the flow's path) or 'query' (a registry query"
                + " that finds it)");
        ok = false;
      }
      for (String url : List.of("node", "registry")) {
        String v = options.get(url);
        if (v != null && !v.contains("${")) {
          try {
            BaseUrl.of(v);
          } catch (IllegalArgumentException ex) {
            nodes.problem(all.get(url).value(), where + "." + url + ": " + ex.getMessage());
            ok = false;
          }
        }
      }
    }
    return ok ? new ToolSpec(name, type, options) : null;
  }

  /** Model settings; {@link LlmSpec#EMPTY} when absent. */
  private static LlmSpec llm(Node node, String where, CrewNodes nodes, Set<String> variables) {
    if (node == null || CrewNodes.isNull(node)) {
      return LlmSpec.EMPTY;
    }
    Map<String, Entry> keys = nodes.mapping(node, where, LLM_KEYS);
    if (keys == null) {
      return LlmSpec.EMPTY;
    }
    String provider = llmText(keys, "provider", where, nodes, variables);
    if (provider != null && !provider.contains("${") && !PROVIDERS.contains(provider)) {
      nodes.problem(
          keys.get("provider").value(),
          "unknown provider '"
              + CrewNodes.shorten(provider)
              + "' in "
              + where
              + suggestion(provider, PROVIDERS)
              + "; providers are openai (also any OpenAI-compatible server: Ollama, vLLM,"
              + " llama.cpp, LM Studio), anthropic, gemini");
    }
    String model = llmText(keys, "model", where, nodes, variables);
    String baseUrl = llmText(keys, "base_url", where, nodes, variables);
    if (baseUrl != null && !baseUrl.contains("${")) {
      try {
        BaseUrl.of(baseUrl);
      } catch (IllegalArgumentException e) {
        nodes.problem(keys.get("base_url").value(), where + ".base_url: " + e.getMessage());
      }
    }
    String apiKey = llmText(keys, "api_key", where, nodes, variables);
    if (apiKey != null && !apiKey.isEmpty() && !apiKey.contains("${")) {
      // Never echo it: it may be a real key someone pasted.
      nodes.problem(
          keys.get("api_key").value(),
          where
              + ".api_key must name a variable, e.g. \"${OPENAI_API_KEY}\": a key written into"
              + " the file would be shared with it");
    }
    Double temperature = null;
    if (present(keys, "temperature")) {
      temperature = nodes.number(keys.get("temperature").value(), where + ".temperature");
      if (temperature != null && (temperature < 0 || temperature > 2)) {
        nodes.problem(
            keys.get("temperature").value(),
            where + ".temperature must be between 0 and 2, not " + temperature);
        temperature = null;
      }
    }
    Integer maxTokens = whole(keys, "max_tokens", where, 1, 1_000_000, nodes);
    Integer timeout = whole(keys, "timeout_seconds", where, 1, 3_600, nodes);
    Integer retries = whole(keys, "max_retries", where, 0, 10, nodes);
    return new LlmSpec(provider, model, baseUrl, apiKey, temperature, maxTokens, timeout, retries);
  }

  private static String llmText(
      Map<String, Entry> keys, String key, String where, CrewNodes nodes, Set<String> variables) {
    if (!present(keys, key)) {
      return null;
    }
    Node n = keys.get(key).value();
    String v = nodes.text(n, where + "." + key);
    if (v != null && !checkVariables(n, v, nodes, variables)) {
      return null;
    }
    return v;
  }

  /**
   * Adds the {@code ${VAR}} names {@code value} needs to {@code variables}; false after a problem
   * with a "${" that starts no valid variable.
   */
  private static boolean checkVariables(
      Node node, String value, CrewNodes nodes, Set<String> variables) {
    variables.addAll(Placeholders.required(value));
    String rest = Placeholders.VARIABLE.matcher(value).replaceAll("");
    int bad = rest.indexOf("${");
    if (bad >= 0) {
      int end = rest.indexOf('}', bad);
      String shown = end < 0 ? rest.substring(bad) : rest.substring(bad, end + 1);
      nodes.problemAt(
          node,
          shown,
          "'"
              + CrewNodes.shorten(shown)
              + "' is no variable: write ${NAME} or ${NAME:-default}, NAME made of letters,"
              + " digits and _");
      return false;
    }
    return true;
  }

  /** Reports each {@code {placeholder}} in the text under {@code key} that names no input. */
  private static void checkInputs(
      Map<String, Entry> keys, String key, String where, Set<String> inputNames, CrewNodes nodes) {
    Entry e = keys.get(key);
    if (inputNames == null
        || e == null
        || !(e.value() instanceof org.yaml.snakeyaml.nodes.ScalarNode s)) {
      return;
    }
    for (String name : Placeholders.inputs(s.getValue())) {
      if (!inputNames.contains(name)) {
        nodes.problemAt(
            e.value(),
            "{" + name + "}",
            where
                + "."
                + key
                + ": placeholder {"
                + CrewNodes.shorten(name)
                + "} names no input"
                + suggestion(name, inputNames)
                + (inputNames.isEmpty()
                    ? " (the crew has no inputs)"
                    : " (inputs: " + String.join(", ", inputNames) + ")"));
      }
    }
  }

  private static boolean checkId(Node at, String id, String what, CrewNodes nodes) {
    if (!ID.matcher(id).matches()) {
      nodes.problem(
          at,
          what
              + " name '"
              + CrewNodes.shorten(id)
              + "' must start with a letter or _ and hold only letters, digits, _ and - (at most"
              + " 64)");
      return false;
    }
    return true;
  }

  private static String suggestion(String name, java.util.Collection<String> known) {
    String close = CrewNodes.closest(name, known);
    return close == null ? "" : " (did you mean '" + close + "'?)";
  }

  private static boolean present(Map<String, Entry> keys, String key) {
    Entry e = keys.get(key);
    return e != null && !CrewNodes.isNull(e.value());
  }

  private static Node value(Map<String, Entry> keys, String key) {
    Entry e = keys.get(key);
    return e == null ? null : e.value();
  }

  private static Integer whole(
      Map<String, Entry> keys, String key, String where, int min, int max, CrewNodes nodes) {
    return present(keys, key)
        ? nodes.whole(keys.get(key).value(), where + "." + key, min, max)
        : null;
  }

  private static String optionalText(
      Map<String, Entry> keys, String key, String where, CrewNodes nodes) {
    return present(keys, key) ? nodes.text(keys.get(key).value(), where) : null;
  }

  private static List<String> textList(Entry entry, String where, CrewNodes nodes) {
    List<String> out = new ArrayList<>();
    if (entry == null || CrewNodes.isNull(entry.value())) {
      return out;
    }
    List<Node> items = nodes.list(entry.value(), where);
    if (items != null) {
      for (Node item : items) {
        String s = nodes.nonBlank(item, where + " item");
        if (s != null) {
          out.add(s);
        }
      }
    }
    return out;
  }

  private static boolean requirePresent(
      Map<String, Entry> keys, String key, Node parent, CrewNodes nodes, String why) {
    Entry e = keys.get(key);
    if (e == null) {
      if (!nodes.misspelled(parent, key)) {
        nodes.problem(parent, "missing '" + key + "': " + why);
      }
      return false;
    }
    if (CrewNodes.isNull(e.value())) {
      nodes.problem(e.key(), "'" + key + "' has no value: " + why);
      return false;
    }
    return true;
  }

  private static String required(
      Map<String, Entry> keys, String key, Node parent, CrewNodes nodes, String why) {
    return required(keys, key, parent, nodes, why, "");
  }

  /** A required non-blank text; null after a problem (missing, null, not text, blank). */
  private static String required(
      Map<String, Entry> keys, String key, Node parent, CrewNodes nodes, String why, String where) {
    String full = where.isEmpty() ? key : where + "." + key;
    String because = why == null ? "" : " (" + why + ")";
    Entry e = keys.get(key);
    if (e == null) {
      if (!nodes.misspelled(parent, key)) {
        nodes.problem(
            parent, (where.isEmpty() ? "" : where + ": ") + "missing '" + key + "'" + because);
      }
      return null;
    }
    if (CrewNodes.isNull(e.value())) {
      nodes.problem(e.key(), full + " has no value" + because);
      return null;
    }
    return nodes.nonBlank(e.value(), full);
  }
}
