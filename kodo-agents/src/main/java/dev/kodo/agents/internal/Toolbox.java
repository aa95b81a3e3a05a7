package dev.kodo.agents.internal;

import dev.kodo.agents.crew.AgentSpec;
import dev.kodo.agents.crew.Crew;
import dev.kodo.agents.crew.MissingVariableException;
import dev.kodo.agents.crew.Placeholders;
import dev.kodo.agents.crew.ToolSpec;
import dev.kodo.agents.internal.tools.Calculator;
import dev.kodo.agents.internal.tools.CrewTool;
import dev.kodo.agents.internal.tools.DateTimeTool;
import dev.kodo.agents.internal.tools.JavaTools;
import dev.kodo.agents.internal.tools.KodoFlowTool;
import dev.kodo.agents.internal.tools.RunInputTool;
import dev.kodo.client.KodoException;
import dev.kodo.engine.EngineContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tools of one crew run by the names agents list: the built-in ones ({@code calculator}, {@code
 * datetime}, {@code run_input}, {@code kodo_flow}) and those defined under {@code tools:} (a {@code
 * java} definition gives one tool per {@code @Tool} method). Made at the start of a run, with every
 * {@code ${VAR}} of the definitions resolved. Immutable.
 */
final class Toolbox {
  private final Map<String, List<CrewTool>> byName;

  private Toolbox(Map<String, List<CrewTool>> byName) {
    this.byName = byName;
  }

  /**
   * The tools of {@code crew} for the run of {@code ctx}.
   *
   * @throws MissingVariableException naming every variable the definitions need and nobody set
   * @throws KodoException if a definition cannot be used (a class that does not load, an unknown
   *     type)
   */
  static Toolbox of(Crew crew, EngineContext ctx, ClassLoader loader, Clock clock) {
    String defaultNode = ctx.environment().settings().get(KodoFlowTool.NODE_SETTING);
    Map<String, List<CrewTool>> tools = new LinkedHashMap<>();
    tools.put(Calculator.NAME, List.of(new Calculator()));
    tools.put(DateTimeTool.NAME, List.of(new DateTimeTool(clock)));
    tools.put(RunInputTool.NAME, List.of(new RunInputTool(ctx.inputs().asMap())));
    tools.put(
        KodoFlowTool.NAME,
        List.of(
            KodoFlowTool.builtIn(
                defaultNode,
                ctx.environment().settings().get(KodoFlowTool.ALLOWED_SETTING),
                ctx.environment().token(),
                ctx)));
    Set<String> missing = new LinkedHashSet<>();
    Map<String, Map<String, String>> resolved = new LinkedHashMap<>();
    for (ToolSpec t : crew.tools().values()) {
      Map<String, String> options = new LinkedHashMap<>();
      t.options()
          .forEach(
              (k, v) -> {
                try {
                  options.put(k, Placeholders.resolve(v, ctx.environment().secrets()));
                } catch (MissingVariableException e) {
                  missing.addAll(e.names());
                }
              });
      resolved.put(t.name(), options);
    }
    if (!missing.isEmpty()) {
      throw new MissingVariableException(missing);
    }
    for (ToolSpec t : crew.tools().values()) {
      Map<String, String> options = resolved.get(t.name());
      List<CrewTool> made =
          switch (t.type()) {
            case "java" -> JavaTools.load(t.name(), options.get("class"), loader);
            case KodoFlowTool.NAME ->
                List.of(
                    KodoFlowTool.defined(
                        t.name(), options, defaultNode, ctx.environment().token(), ctx));
            default ->
                throw new KodoException(
                    "tool '"
                        + t.name()
                        + "' has type '"
                        + t.type()
                        + "'; expected java or kodo_flow");
          };
      tools.put(t.name(), made);
    }
    return new Toolbox(tools);
  }

  /** The tools {@code agent} lists, in its order. */
  List<CrewTool> forAgent(AgentSpec agent) {
    List<CrewTool> out = new ArrayList<>();
    for (String name : agent.tools()) {
      List<CrewTool> tools = byName.get(name);
      if (tools == null) {
        throw new KodoException(
            "agent " + agent.id() + " lists tool '" + name + "', which the crew does not define");
      }
      out.addAll(tools);
    }
    return out;
  }
}
