package dev.kodo.agents.crew;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kodo.sdk.NumberField;
import dev.kodo.sdk.SelectField;
import dev.kodo.sdk.TextField;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CrewParserTest {
  static final Path FILE = Path.of("crews/test.yaml");

  /** A valid crew; tests change one part of it. */
  static final String GOOD =
      """
      name: Test crew
      description: Tests.
      inputs:
        company: {type: string, title: Company, required: true, maxLength: 200}
        depth: {type: integer, minimum: 1, maximum: 3, default: 1}
      llm: {provider: openai, model: gpt-4o-mini, api_key: "${OPENAI_API_KEY}", temperature: 0.2}
      agents:
        researcher: {role: Researcher, goal: "Find facts about {company}", tools: [calculator]}
        writer: {role: Writer, goal: Write}
      tasks:
        - {id: research, agent: researcher, description: "Study {company} at {depth}."}
        - {id: report, agent: writer, context: [research], description: Write it., output: final}
      """;

  static List<CrewProblem> problems(String yaml) {
    CrewException e = catchThrowableOfType(CrewException.class, () -> CrewParser.parse(yaml, FILE));
    assertThat(e).as("expected problems in:\n" + yaml).isNotNull();
    assertThat(e.problems()).allSatisfy(p -> assertThat(p.file()).isEqualTo(FILE));
    return e.problems();
  }

  /** The one problem of {@code yaml}: at line:column, with a message containing {@code text}. */
  static void problem(String yaml, int line, int column, String text) {
    List<CrewProblem> all = problems(yaml);
    assertThat(all).as(all.toString()).hasSize(1);
    assertThat(all.getFirst().line()).as(all.toString()).isEqualTo(line);
    assertThat(all.getFirst().column()).as(all.toString()).isEqualTo(column);
    assertThat(all.getFirst().message()).contains(text);
  }

  /** Like {@link #problem(String, int, int, String)}, the column where {@code needle} starts. */
  static void problem(String yaml, int line, String needle, String text) {
    String l = yaml.lines().skip(line - 1).findFirst().orElseThrow();
    int col = l.indexOf(needle);
    assertThat(col).as("'" + needle + "' in line " + line + ": " + l).isNotNegative();
    problem(yaml, line, col + 1, text);
  }

  @Test
  void aGoodCrewParses() {
    Crew crew = CrewParser.parse(GOOD, FILE);
    assertThat(crew.file()).isEqualTo(FILE);
    assertThat(crew.spec().name()).isEqualTo("Test crew");
    assertThat(crew.spec().release()).isEqualTo("0.1.0");
    assertThat(crew.llm())
        .isEqualTo(
            new LlmSpec("openai", "gpt-4o-mini", null, "${OPENAI_API_KEY}", 0.2, null, null, null));
    assertThat(crew.agents().keySet()).containsExactly("researcher", "writer");
    assertThat(crew.agents().get("researcher").tools()).containsExactly("calculator");
    assertThat(crew.agents().get("writer").backstory()).isEmpty();
    assertThat(crew.tasks()).extracting(TaskSpec::id).containsExactly("research", "report");
    assertThat(crew.tasks().get(1).context()).containsExactly("research");
    assertThat(crew.finalTask().id()).isEqualTo("report");
    assertThat(crew.process()).isEqualTo(Crew.Process.SEQUENTIAL);
    assertThat(crew.manager()).isNull();
    assertThat(crew.human()).isNull();
    assertThat(crew.variables()).containsExactly("OPENAI_API_KEY");
    assertThat(crew.tasks().getFirst().expectedOutput()).isEmpty();
  }

  @Test
  void twoParsesOfTheSameTextAreEqual() {
    Crew a = CrewParser.parse(GOOD, FILE);
    Crew b = CrewParser.parse(GOOD, FILE);
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    Crew c = CrewParser.parse(GOOD.replace("maximum: 3", "maximum: 4"), FILE);
    assertThat(a).isNotEqualTo(c);
  }

  @Test
  void inputsBecomeTheSdksFormAndSchema() {
    Crew crew = CrewParser.parse(GOOD, FILE);
    var fields = crew.spec().inputs().fields();
    assertThat(fields.get("company")).isInstanceOf(TextField.class);
    assertThat(fields.get("company").required()).isTrue();
    assertThat(fields.get("company").label()).isEqualTo("Company");
    assertThat(((NumberField) fields.get("depth")).integer()).isTrue();
    assertThat(fields.get("depth").defaultValue()).isEqualTo(1L);
    Map<String, Object> schema = crew.spec().inputs().schema();
    assertThat(schema.get("required")).isEqualTo(List.of("company"));
    @SuppressWarnings("unchecked")
    Map<String, Object> depth =
        (Map<String, Object>) ((Map<String, Object>) schema.get("properties")).get("depth");
    assertThat(depth)
        .containsEntry("type", "integer")
        .containsEntry("minimum", 1L)
        .containsEntry("maximum", 3L)
        .containsEntry("default", 1L);
  }

  @Test
  void everyInputTypeAndConstraint() {
    Crew crew =
        CrewParser.parse(
            GOOD.replace(
                "  depth: {type: integer, minimum: 1, maximum: 3, default: 1}\n",
                """
                  depth: {type: integer, minimum: 1, maximum: 3, default: 1}
                  ratio: {type: number, minimum: 0.5, maximum: 2.5, default: 1.5, description: A ratio}
                  urgent: {type: boolean, default: true}
                  tone: {enum: [neutral, playful], default: neutral}
                  tone2: {type: enum, enum: [a, b]}
                  code: {type: string, pattern: "[A-Z]{3}", minLength: 3, maxLength: 3, default: ABC}
                  notes: {type: string, multiline: true, placeholder: \"Anything else?\"}
                  day: {type: string, format: date, default: 2026-01-02}
                  plain: string
                """),
            FILE);
    var fields = crew.spec().inputs().fields();
    assertThat(fields.keySet())
        .containsExactly(
            "company", "depth", "ratio", "urgent", "tone", "tone2", "code", "notes", "day",
            "plain");
    assertThat(fields.get("ratio").defaultValue()).isEqualTo(1.5);
    assertThat(fields.get("urgent").defaultValue()).isEqualTo(true);
    assertThat(((SelectField) fields.get("tone")).options())
        .extracting(SelectField.Option::value)
        .containsExactly("neutral", "playful");
    assertThat(((TextField) fields.get("notes")).longText()).isTrue();
    assertThat(fields.get("day").defaultValue()).hasToString("2026-01-02");
    assertThat(fields.get("plain")).isInstanceOf(TextField.class);
  }

  @Test
  void theExampleCrewsParse() {
    Path dir = examples();
    Crew seq = CrewParser.parse(dir.resolve("competitor-analysis.yaml"));
    assertThat(seq.process()).isEqualTo(Crew.Process.SEQUENTIAL);
    assertThat(seq.human()).isEqualTo(new HumanStep("research", seq.human().ask()));
    assertThat(seq.variables()).containsExactly("OPENAI_API_KEY");
    assertThat(seq.agents().get("researcher").tools()).containsExactly("calculator", "datetime");
    assertThat(seq.spec().tags()).containsExactly("example", "research", "crew");
    Crew hier = CrewParser.parse(dir.resolve("research-desk.yaml"));
    assertThat(hier.process()).isEqualTo(Crew.Process.HIERARCHICAL);
    assertThat(hier.manager())
        .isEqualTo(new LlmSpec(null, null, null, null, 0.0, null, null, null));
    assertThat(hier.tools().get("market_report"))
        .isEqualTo(
            new ToolSpec(
                "market_report",
                "kodo_flow",
                Map.of(
                    "node", "${KODO_NODE_URL:-http://127.0.0.1:3370}",
                    "flow", "dev.kodo.examples.MarketReport")));
    assertThat(hier.tasks().get(2).agent()).isNull();
    assertThat(((TextField) hier.spec().inputs().fields().get("question")).longText()).isTrue();
    assertThat(CrewParser.parse(dir.resolve("research-desk.yaml"))).isEqualTo(hier);
  }

  static Path examples() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !java.nio.file.Files.isDirectory(p.resolve("examples/crews"))) {
      p = p.getParent();
    }
    assertThat(p).as("examples/crews above the working directory").isNotNull();
    return p.resolve("examples/crews");
  }

  // ---- unknown keys, at every level

  @Test
  void unknownTopLevelKeySuggestsTheClosest() {
    problem(GOOD + "proces: sequential\n", 13, 1, "unknown key 'proces' (did you mean 'process'?)");
  }

  @Test
  void unknownTaskKeySuggestsTheClosest() {
    problem(
        GOOD.replace("{id: research, agent:", "{id: research, agnet:"),
        11,
        "agnet",
        "unknown key 'agnet' in tasks.research (did you mean 'agent'?)");
    problem(
        GOOD.replace("output: final", "expectedOutput: x, output: final"),
        12,
        "expectedOutput",
        "(did you mean 'expected_output'?)");
  }

  @Test
  void unknownKeysInAgentsLlmInputsHumanManager() {
    problem(
        GOOD.replace("{role: Writer, goal: Write}", "{role: Writer, goal: Write, backstroy: x}"),
        9,
        "backstroy",
        "unknown key 'backstroy' in agents.writer (did you mean 'backstory'?)");
    problem(
        GOOD.replace("temperature: 0.2", "temprature: 0.2"),
        6,
        "temprature",
        "unknown key 'temprature' in llm (did you mean 'temperature'?)");
    problem(
        GOOD.replace("model: gpt-4o-mini", "model: gpt-4o-mini, baseUrl: http://x"),
        6,
        "baseUrl",
        "(did you mean 'base_url'?)");
    problem(
        GOOD.replace("maxLength: 200", "maxlen: 200"),
        4,
        "maxlen",
        "unknown key 'maxlen' in inputs.company (did you mean 'maxLength'?)");
    problem(
        GOOD + "human: {after: research, question: \"Ok?\"}\n",
        13,
        "question",
        "unknown key 'question'");
    problem(
        GOOD + "process: hierarchical\nmanager: {llm: {}, model: x}\n",
        14,
        "model",
        "unknown key 'model' in manager");
  }

  // ---- missing required values

  @Test
  void missingName() {
    problem(GOOD.replace("name: Test crew\n", ""), 1, 1, "missing 'name'");
    problem(GOOD.replace("name: Test crew", "name:"), 1, 1, "name has no value");
    problem(GOOD.replace("name: Test crew", "name: '  '"), 1, 7, "name must not be empty");
  }

  @Test
  void missingAgentsAndTasks() {
    String noAgents =
        GOOD.substring(0, GOOD.indexOf("agents:")) + GOOD.substring(GOOD.indexOf("tasks:"));
    List<CrewProblem> all = problems(noAgents);
    assertThat(all).hasSize(1);
    assertThat(all.getFirst().message()).contains("missing 'agents'");
    String noTasks = GOOD.substring(0, GOOD.indexOf("tasks:"));
    problem(noTasks, 1, 1, "missing 'tasks'");
    problem(noTasks + "tasks: []\n", 10, 8, "tasks is empty");
  }

  @Test
  void missingTaskDescriptionAndAgent() {
    problem(
        GOOD.replace(", description: Write it.", ""), 12, 5, "tasks.report: missing 'description'");
    problem(
        GOOD.replace("{id: report, agent: writer, ", "{id: report, "),
        12,
        5,
        "tasks.report: missing 'agent'");
  }

  @Test
  void agentIsOptionalInHierarchicalCrews() {
    Crew crew =
        CrewParser.parse(
            GOOD.replace("{id: report, agent: writer, ", "{id: report, ")
                + "process: hierarchical\n",
            FILE);
    assertThat(crew.tasks().get(1).agent()).isNull();
  }

  @Test
  void missingAgentRoleAndGoal() {
    problem(
        GOOD.replace("{role: Writer, goal: Write}", "{goal: Write}"),
        9,
        11,
        "agents.writer: missing 'role'");
  }

  // ---- wrong types

  @Test
  void textWhereAMappingIsExpected() {
    problem(
        GOOD.replace(
            "llm: {provider: openai, model: gpt-4o-mini, api_key: \"${OPENAI_API_KEY}\", temperature: 0.2}",
            "llm: gpt-4o"),
        6,
        6,
        "llm must be a mapping of keys to values, not text 'gpt-4o'");
    problem(
        GOOD.replace("writer: {role: Writer, goal: Write}", "writer: Writer"),
        9,
        11,
        "agents.writer must be a mapping");
  }

  @Test
  void wrongTypedInputConstraints() {
    problem(
        GOOD.replace("minimum: 1,", "minimum: \"x\","),
        5,
        "\"x\"",
        "inputs.depth.minimum must be a number, not text 'x'");
    problem(
        GOOD.replace("required: true", "required: maybe"),
        4,
        "maybe",
        "inputs.company.required must be true or false");
    problem(GOOD.replace("maxLength: 200", "maxLength: -1"), 4, "-1", "between 0 and");
    problem(
        GOOD.replace("type: integer", "type: int"),
        5,
        "int,",
        "inputs.depth.type 'int' is not one of");
    List<CrewProblem> numeric = problems(GOOD.replace("type: integer", "type: string"));
    assertThat(numeric)
        .extracting(CrewProblem::message)
        .containsExactly(
            "inputs.depth.minimum does not apply to string inputs",
            "inputs.depth.maximum does not apply to string inputs");
    problem(GOOD.replace("maxLength: 200", "minimum: 2"), 4, "minimum", "does not apply to string");
  }

  @Test
  void wrongTypesElsewhere() {
    problem(
        GOOD.replace("temperature: 0.2", "temperature: hot"),
        6,
        "hot",
        "llm.temperature must be a number, not text 'hot'");
    problem(GOOD.replace("temperature: 0.2", "temperature: 7"), 6, "7}", "between 0 and 2");
    problem(
        GOOD.replace("temperature: 0.2", "max_tokens: many"),
        6,
        "many",
        "llm.max_tokens must be a whole number");
    problem(
        GOOD.replace("tools: [calculator]", "tools: calculator"),
        8,
        "calculator",
        "agents.researcher.tools must be a list");
    problem(
        GOOD.replace("context: [research]", "context: research"),
        12,
        "research,",
        "tasks.report.context must be a list");
    problem(GOOD + "tags: {a: b}\n", 13, 7, "tags must be a list");
    problem(GOOD.replace("name: Test crew", "name: [a, b]"), 1, 7, "name must be text, not a list");
  }

  // ---- references

  @Test
  void taskNamingNoAgent() {
    problem(
        GOOD.replace("agent: writer", "agent: writr"),
        12,
        "writr",
        "tasks.report.agent names no agent: 'writr' (did you mean 'writer'?)");
  }

  @Test
  void agentNamingNoTool() {
    String bad = GOOD.replace("tools: [calculator]", "tools: [calculater, search]");
    List<CrewProblem> two = problems(bad);
    assertThat(two).hasSize(2);
    String line = bad.lines().toList().get(7);
    assertThat(two.get(0).line()).isEqualTo(8);
    assertThat(two.get(0).column()).isEqualTo(line.indexOf("calculater") + 1);
    assertThat(two.get(0).message())
        .contains("names no tool: 'calculater' (did you mean 'calculator'?)");
    assertThat(two.get(1).column()).isEqualTo(line.indexOf(", search") + 3);
    assertThat(two.get(1).message()).contains("names no tool: 'search'").doesNotContain("mean");
  }

  @Test
  void namedToolsAndBareKodoFlow() {
    Crew crew =
        CrewParser.parse(
            GOOD.replace("tools: [calculator]", "tools: [calculator, kodo_flow, mine, remote]")
                + """
                tools:
                  mine: {type: java, class: com.acme.MyTools, description: Mine}
                  remote: {type: kodo_flow, registry: "http://127.0.0.1:3370", query: "tags has 'x'", flow: a.B}
                """,
            FILE);
    assertThat(crew.agents().get("researcher").tools())
        .containsExactly("calculator", "kodo_flow", "mine", "remote");
    assertThat(crew.tools().get("mine").options())
        .containsEntry("class", "com.acme.MyTools")
        .doesNotContainKey("type");
  }

  @Test
  void badToolDefinitions() {
    problem(
        GOOD + "tools:\n  x: {type: python}\n",
        14,
        "python",
        "tools.x.type 'python' is not one of kodo_flow, java");
    problem(GOOD + "tools:\n  x: {type: java}\n", 14, "{", "tools.x: missing 'class'");
    problem(
        GOOD + "tools:\n  x: {type: java, class: \"a b\"}\n",
        14,
        "\"a b\"",
        "is not a Java class name");
    problem(
        GOOD + "tools:\n  x: {type: java, class: A, node: \"http://h\"}\n",
        14,
        "node",
        "'node' does not apply to a java tool");
    problem(
        GOOD + "tools:\n  calculator: {type: java, class: A}\n",
        14,
        3,
        "'calculator' is a built-in tool");
    problem(
        GOOD + "tools:\n  x: {type: kodo_flow, flow: a.B, node: \"ftp://h\"}\n",
        14,
        "\"ftp",
        "tools.x.node:");
    problem(
        GOOD + "tools:\n  x: {type: kodo_flow, flow: a.B, nod: \"http://h\"}\n",
        14,
        "nod",
        "(did you mean 'node'?)");
  }

  @Test
  void aKodoFlowToolNeedsAFlowOrAQuery() {
    problem(
        GOOD + "tools:\n  x: {type: kodo_flow, node: \"http://127.0.0.1:8080\"}\n",
        14,
        "{",
        "tools.x: a kodo_flow tool needs 'flow'");
  }

  @Test
  void contextNamingNoTask() {
    problem(
        GOOD.replace("context: [research]", "context: [reserch]"),
        12,
        "reserch",
        "tasks.report.context names no task: 'reserch' (did you mean 'research'?)");
  }

  @Test
  void duplicateTaskIds() {
    problem(
        GOOD.replace("{id: report,", "{id: research,"),
        12,
        "research",
        "duplicate task id 'research' (first at line 11)");
  }

  @Test
  void cycleInContextIsNamed() {
    String cyc =
        GOOD.replace(
                "{id: research, agent: researcher,",
                "{id: research, agent: researcher, context: [report],")
            + "process: parallel\n";
    problem(cyc, 12, "research]", "context makes a cycle: research → report → research");
    String self = GOOD.replace("context: [research]", "context: [report]") + "process: parallel\n";
    problem(self, 12, "report]", "context makes a cycle: report → report");
    String three =
        """
        name: c
        process: parallel
        agents: {a: {role: r, goal: g}}
        tasks:
          - {id: x, agent: a, description: d, context: [z]}
          - {id: y, agent: a, description: d, context: [x]}
          - {id: z, agent: a, description: d, context: [y]}
        """;
    problem(three, 6, "x]", "context makes a cycle: x → z → y → x");
  }

  @Test
  void cycleInSequentialCrewIsACycleNotALaterTask() {
    String cyc =
        GOOD.replace(
            "{id: research, agent: researcher,",
            "{id: research, agent: researcher, context: [report],");
    problem(cyc, 12, "research]", "context makes a cycle: research → report → research");
  }

  @Test
  void sequentialContextNamingALaterTask() {
    String later =
        GOOD.replace(
                "{id: research, agent: researcher,",
                "{id: research, agent: researcher, context: [report],")
            .replace("context: [research]", "context: []");
    problem(later, 11, "report]", "tasks.research.context names 'report', which comes later");
    // the same is fine in parallel and hierarchical crews
    assertThat(CrewParser.parse(later + "process: parallel\n", FILE).tasks().getFirst().context())
        .containsExactly("report");
  }

  @Test
  void placeholderNamingNoInput() {
    problem(
        GOOD.replace("Find facts about {company}", "Find facts about {compny}"),
        8,
        "{compny}",
        "agents.researcher.goal: placeholder {compny} names no input (did you mean 'company'?)");
    problem(
        GOOD.replace("at {depth}.", "at {level}."),
        11,
        "{level}",
        "tasks.research.description: placeholder {level}");
    problem(
        GOOD.replace(
            "description: Write it.", "description: Write it., expected_output: \"About {firm}\""),
        12,
        "{firm}",
        "tasks.report.expected_output: placeholder {firm}");
    problem(
        GOOD.replace("{role: Writer, goal: Write}", "{role: \"Writer of {topic}\", goal: Write}"),
        9,
        "{topic}",
        "agents.writer.role: placeholder {topic}");
    problem(
        GOOD.replace(
            "{role: Writer, goal: Write}",
            "{role: Writer, goal: Write, backstory: \"|\n    {x}\"}"),
        10,
        "{x}",
        "agents.writer.backstory: placeholder {x}");
  }

  @Test
  void variablesAreNotInputPlaceholders() {
    Crew crew =
        CrewParser.parse(
            GOOD.replace(
                "model: gpt-4o-mini", "model: \"${MODEL:-gpt-4o}\", base_url: \"${BASE}\""),
            FILE);
    assertThat(crew.variables()).containsExactlyInAnyOrder("BASE", "OPENAI_API_KEY");
    problem(
        GOOD.replace("${OPENAI_API_KEY}", "${OPENAI API KEY}"),
        6,
        "${OPENAI",
        "'${OPENAI API KEY}' is no variable");
  }

  @Test
  void anApiKeyWrittenIntoTheFileIsRefusedWithoutEchoingIt() {
    List<CrewProblem> all = problems(GOOD.replace("${OPENAI_API_KEY}", "sk-secret123"));
    assertThat(all).hasSize(1);
    assertThat(all.getFirst().message())
        .contains("must name a variable")
        .doesNotContain("sk-secret123");
  }

  @Test
  void processMustBeKnown() {
    problem(
        GOOD + "process: sequental\n",
        13,
        "sequental",
        "process 'sequental' is not one of sequential, hierarchical, parallel (did you mean 'sequential'?)");
    problem(GOOD + "process: [a]\n", 13, "[a]", "process must be text");
  }

  @Test
  void humanAfterMustNameATask() {
    Crew ok = CrewParser.parse(GOOD + "human: {after: research, ask: \"Fine?\"}\n", FILE);
    assertThat(ok.human()).isEqualTo(new HumanStep("research", "Fine?"));
    assertThat(CrewParser.parse(GOOD + "human: {after: research}\n", FILE).human().ask())
        .contains("research");
    problem(
        GOOD + "human: {after: reserch}\n",
        13,
        "reserch",
        "human.after names no task: 'reserch' (did you mean 'research'?)");
    problem(GOOD + "human: {ask: \"Ok?\"}\n", 13, "{ask", "missing 'after'");
  }

  @Test
  void onlyOneFinalOutput() {
    problem(
        GOOD.replace(
            "description: \"Study {company} at {depth}.\"}",
            "description: \"Study {company} at {depth}.\", output: final}"),
        12,
        "{id: report",
        "only one task can have 'output: final'; task 'research' (line 11)");
    problem(GOOD.replace("output: final", "output: last"), 12, "last", "output must be 'final'");
  }

  @Test
  void unknownProvider() {
    problem(
        GOOD.replace("provider: openai", "provider: opnai"),
        6,
        "opnai",
        "unknown provider 'opnai' in llm (did you mean 'openai'?)");
    problem(
        GOOD.replace(
            "{role: Writer, goal: Write}", "{role: Writer, goal: Write, llm: {provider: mistral}}"),
        9,
        "mistral",
        "unknown provider 'mistral' in agents.writer.llm");
    // a variable is resolved at launch; not checked here
    assertThat(
            CrewParser.parse(
                    GOOD.replace("provider: openai", "provider: \"${PROVIDER:-openai}\""), FILE)
                .llm()
                .provider())
        .isEqualTo("${PROVIDER:-openai}");
  }

  @Test
  void managerOnlyForHierarchical() {
    problem(
        GOOD + "manager: {llm: {temperature: 0}}\n",
        13,
        1,
        "'manager' is used only with process: hierarchical");
  }

  @Test
  void defaultsMustSatisfyTheirConstraints() {
    problem(
        GOOD.replace("default: 1}", "default: 5}"),
        5,
        "5}",
        "inputs.depth: default of input 'depth' is invalid: must be at most 3 (got 5)");
    problem(
        GOOD.replace("default: 1}", "default: one}"),
        5,
        "one}",
        "inputs.depth.default must be a whole number, not text 'one'");
    problem(
        GOOD.replace("maxLength: 200}", "maxLength: 2, default: abc}"),
        4,
        "abc}",
        "must be at most 2 characters long");
    problem(
        GOOD.replace("maxLength: 200}", "pattern: \"[a-z]+\", default: ABC}"),
        4,
        "ABC}",
        "must match the pattern");
    problem(
        GOOD.replace("maxLength: 200}", "enum: [a, b], default: c}"),
        4,
        "c}",
        "must be one of [a, b]");
    problem(GOOD.replace("maxLength: 200}", "pattern: \"[a-z\"}"), 4, "\"[a-z\"", "bad pattern");
    problem(
        GOOD.replace("minimum: 1, maximum: 3", "minimum: 4, maximum: 3"),
        5,
        "depth",
        "min is greater than max");
    problem(
        GOOD.replace("{type: integer,", "{type: enum,"),
        5,
        "enum,",
        "type enum but no 'enum: [...]'");
    problem(
        GOOD.replace("  depth:", "  1bad: string\n  depth:"),
        5,
        "1bad",
        "input name '1bad' must start with a letter");
  }

  // ---- hostile input

  @Test
  void tooLargeIsOneProblemAtTheStart() {
    String big = GOOD + "# " + "x".repeat(CrewYaml.MAX_BYTES) + "\n";
    problem(big, 1, 1, "larger than 256 KiB");
  }

  @Test
  void tooLargeFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path f = dir.resolve("big.yaml");
    java.nio.file.Files.writeString(f, GOOD + "# " + "x".repeat(CrewYaml.MAX_BYTES) + "\n");
    CrewException e = catchThrowableOfType(CrewException.class, () -> CrewParser.parse(f));
    assertThat(e.problems()).containsExactly(new CrewProblem(f, 1, 1, CrewYaml.tooLarge()));
  }

  @Test
  void notUtf8PointsAtTheBadByte(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path f = dir.resolve("latin1.yaml");
    byte[] head = "name: Caf".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] tail = "\nagents: {}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] all = new byte[head.length + 1 + tail.length];
    System.arraycopy(head, 0, all, 0, head.length);
    all[head.length] = (byte) 0xE9; // é in ISO-8859-1
    System.arraycopy(tail, 0, all, head.length + 1, tail.length);
    java.nio.file.Files.write(f, all);
    CrewException e = catchThrowableOfType(CrewException.class, () -> CrewParser.parse(f));
    assertThat(e.problems()).hasSize(1);
    assertThat(e.problems().getFirst().line()).isEqualTo(1);
    assertThat(e.problems().getFirst().column()).isEqualTo(10);
    assertThat(e.problems().getFirst().message()).contains("not UTF-8", "0xE9");
  }

  @Test
  void aByteOrderMarkIsFine(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path f = dir.resolve("bom.yaml");
    java.nio.file.Files.writeString(f, "\uFEFF" + GOOD);
    assertThat(CrewParser.parse(f).spec().name()).isEqualTo("Test crew");
  }

  @Test
  void missingFileAndDirectory(@org.junit.jupiter.api.io.TempDir Path dir) {
    Path f = dir.resolve("none.yaml");
    assertThat(catchThrowableOfType(CrewException.class, () -> CrewParser.parse(f)).problems())
        .containsExactly(new CrewProblem(f, 1, 1, "no such file"));
    assertThat(catchThrowableOfType(CrewException.class, () -> CrewParser.parse(dir)).problems())
        .containsExactly(new CrewProblem(dir, 1, 1, "is a directory, not a crew file"));
  }

  @Test
  void emptyFile() {
    problem("", 1, 1, "the file is empty");
    problem("# only a comment\n", 1, 1, "the file is empty");
    problem("~\n", 1, 1, "the file is empty");
  }

  @Test
  void aListAtTopLevel() {
    problem("- name: x\n- name: y\n", 1, 1, "not a list");
    problem("just text\n", 1, 1, "the crew must be a mapping");
  }

  @Test
  void duplicateKeys() {
    problem(GOOD + "name: Again\n", 13, 1, "duplicate key 'name' in the crew (first at line 1)");
    problem(
        GOOD.replace("{role: Writer, goal: Write}", "{role: Writer, goal: Write, goal: Again}"),
        9,
        "goal: Again",
        "duplicate key 'goal'");
    problem(
        GOOD.replace("  writer: {", "  writer: {role: W, goal: G}\n  writer: {"),
        10,
        3,
        "duplicate key 'writer' in agents (first at line 9)");
  }

  @Test
  void yamlSyntaxErrorsHavePositions() {
    List<CrewProblem> all = problems("name: x\nagents: [a\ntasks: b: c\n");
    assertThat(all).hasSize(1);
    assertThat(all.getFirst().message()).startsWith("YAML syntax:");
    assertThat(all.getFirst().line()).isGreaterThan(1);
    problem("name: x\n\tagents: {}\n", 2, 1, "YAML syntax:");
  }

  @Test
  void moreThanOneDocument() {
    problem(
        GOOD + "---\nname: second\n",
        13,
        1,
        "YAML syntax: expected a single document in the stream, but found another document");
  }

  @Test
  void controlCharactersAndNullText() {
    problem(
        GOOD.replace("Test crew", "Test\u0000crew"),
        1,
        11,
        "YAML syntax: the character U+0000 is not allowed");
    assertThat(
            catchThrowableOfType(CrewException.class, () -> CrewParser.parse((String) null, FILE))
                .problems())
        .containsExactly(new CrewProblem(FILE, 1, 1, "no crew text was given"));
  }

  @Test
  void tasksThatAreNoMappings() {
    problem(
        GOOD.replace("  - {id: research", "  - research\n  - {id: research2"),
        11,
        5,
        "tasks[1] must be a mapping");
    // no cascade: the placeholders are not checked against inputs that cannot be read
    List<CrewProblem> all =
        problems(GOOD.replace("inputs:\n  company", "inputs: [company]\nxx:\n  company"));
    assertThat(all)
        .extracting(CrewProblem::toString)
        .containsExactly(
            "crews/test.yaml:3:9: inputs must be a mapping of names to definitions, not a list",
            "crews/test.yaml:4:1: unknown key 'xx' (known: name, description, author,"
                + " organization, release, tags, inputs, llm, agents, tools, tasks, process,"
                + " manager, human, max_concurrent_runs, retry_safe)");
  }

  @Test
  void billionLaughsIsRefused() {
    StringBuilder y = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 30; i++) {
      y.append("a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 9; j++) {
        y.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
      }
      y.append("]\n");
    }
    List<CrewProblem> all = problems(y.toString());
    assertThat(all).hasSize(1);
    assertThat(all.getFirst().message()).contains("aliases");
  }

  @Test
  void recursiveAliasesDoNotLoop() {
    List<CrewProblem> all = problems(GOOD + "tags: &t [*t]\n");
    assertThat(all).hasSize(1);
    assertThat(all.getFirst().message()).contains("tags item must be text, not a list");
    assertThat(problems("&k {*k : 1}\n")).isNotEmpty();
  }

  @Test
  void deepNestingIsRefused() {
    String deep = "name: " + "[".repeat(1000) + "]".repeat(1000) + "\n";
    List<CrewProblem> all = problems(deep);
    assertThat(all).hasSize(1);
    assertThat(all.getFirst().message()).containsIgnoringCase("nesting");
  }

  @Test
  void noClassIsInstantiated() {
    String evil =
        GOOD.replace(
            "name: Test crew",
            "name: !!javax.script.ScriptEngineManager [!!java.net.URL [\"http://127.0.0.1:1/\"]]");
    // SnakeYAML's composer refuses global tags itself; no constructor would run anyway
    problem(evil, 1, "!!", "YAML syntax: Global tag is not allowed");
    problem(
        GOOD.replace("name: Test crew", "name: !!java.io.File x"),
        1,
        "!!",
        "YAML syntax: Global tag is not allowed");
    // a standard tag is only a type
    assertThat(
            CrewParser.parse(GOOD.replace("name: Test crew", "name: !!int 12"), FILE).spec().name())
        .isEqualTo("12");
  }

  @Test
  void mergeKeysAreRefusedNotFollowed() {
    problem(GOOD + "x: &x {a: 1}\n", 13, 1, "unknown key 'x'");
    List<CrewProblem> merged =
        problems(GOOD.replace("{role: Writer, goal: Write}", "{<<: {role: W}, goal: Write}"));
    assertThat(merged)
        .extracting(CrewProblem::message)
        .anySatisfy(m -> assertThat(m).contains("merge keys (<<) are not supported"));
  }

  @Test
  void aliasesForSharedSettingsWork() {
    Crew crew =
        CrewParser.parse(
            GOOD.replace("llm: {provider", "llm: &base {provider")
                .replace("{role: Writer, goal: Write}", "{role: Writer, goal: Write, llm: *base}"),
            FILE);
    assertThat(crew.agents().get("writer").llm()).isEqualTo(crew.llm());
  }

  @Test
  void everyProblemIsReportedAtOnceInFileOrder() {
    String bad =
        GOOD.replace("name: Test crew", "nme: Test crew")
                .replace("agent: writer", "agent: nobody")
                .replace("{depth}", "{deep}")
            + "process: sideways\n";
    List<CrewProblem> all = problems(bad);
    assertThat(all).extracting(CrewProblem::line).containsExactly(1, 11, 12, 13);
    assertThat(all.getFirst().message()).isEqualTo("unknown key 'nme' (did you mean 'name'?)");
    assertThat(all.toString()).contains("crews/test.yaml:12:25: tasks.report.agent names no agent");
    assertThatThrownBy(() -> CrewParser.parse(bad, FILE))
        .isInstanceOf(CrewException.class)
        .hasMessageContaining("crews/test.yaml:1:1:");
  }

  @Test
  void problemsAreCappedWithACount() {
    StringBuilder y = new StringBuilder(GOOD);
    for (int i = 0; i < 250; i++) {
      y.append("unknown").append(i).append(": x\n");
    }
    List<CrewProblem> all = problems(y.toString());
    assertThat(all).hasSize(CrewParser.MAX_PROBLEMS);
    assertThat(all.getLast().message()).isEqualTo("… and 151 more problems from here on");
  }

  @Test
  void aLongChainOfTasksIsFine() {
    StringBuilder y =
        new StringBuilder(
            "name: chain\nprocess: parallel\nagents: {a: {role: r, goal: g}}\ntasks:\n");
    int n = 3000;
    for (int i = 0; i < n; i++) {
      y.append("  - {id: t").append(i).append(", agent: a, description: d");
      if (i > 0) {
        y.append(", context: [t").append(i - 1).append("]");
      }
      y.append("}\n");
    }
    assertThat(CrewParser.parse(y.toString(), FILE).tasks()).hasSize(n);
    // closing the chain into a ring names all of it
    String ring =
        y.toString()
            .replace(
                "{id: t0, agent: a, description: d}",
                "{id: t0, agent: a, description: d, context: [t" + (n - 1) + "]}");
    List<CrewProblem> all = problems(ring);
    assertThat(all).hasSize(1);
    assertThat(all.getFirst().message())
        .startsWith("context makes a cycle: t0 → t" + (n - 1) + " → t" + (n - 2));
  }

  @Test
  void taskIdsDefaultToTheirPosition() {
    Crew crew =
        CrewParser.parse(
            GOOD.replace("{id: research, agent: researcher,", "{agent: researcher,")
                .replace("context: [research]", "context: [task-1]"),
            FILE);
    assertThat(crew.tasks()).extracting(TaskSpec::id).containsExactly("task-1", "report");
  }

  @Test
  void hierarchicalCrewWithManagerAndParallelCrew() {
    Crew h =
        CrewParser.parse(
            GOOD + "process: hierarchical\nmanager:\n  llm: {model: gpt-4o, temperature: 0}\n",
            FILE);
    assertThat(h.process()).isEqualTo(Crew.Process.HIERARCHICAL);
    assertThat(h.manager().model()).isEqualTo("gpt-4o");
    assertThat(CrewParser.parse(GOOD + "process: parallel\n", FILE).process())
        .isEqualTo(Crew.Process.PARALLEL);
  }

  @Test
  void agentLlmOverridesAndAllLlmKeys() {
    Crew crew =
        CrewParser.parse(
            GOOD.replace(
                "{role: Writer, goal: Write}",
                "{role: Writer, goal: Write, llm: {provider: anthropic, model: claude, base_url:"
                    + " \"http://127.0.0.1:9/v1\", api_key: \"${ANTHROPIC_API_KEY}\", max_tokens:"
                    + " 500, timeout_seconds: 30, max_retries: 2, temperature: 1}}"),
            FILE);
    LlmSpec w = crew.agents().get("writer").llm();
    assertThat(w)
        .isEqualTo(
            new LlmSpec(
                "anthropic",
                "claude",
                "http://127.0.0.1:9/v1",
                "${ANTHROPIC_API_KEY}",
                1.0,
                500,
                30,
                2));
    assertThat(crew.variables()).containsExactlyInAnyOrder("OPENAI_API_KEY", "ANTHROPIC_API_KEY");
    problem(
        GOOD.replace("temperature: 0.2", "max_retries: 99"),
        6,
        "99",
        "llm.max_retries must be between 0 and 10, not 99");
    problem(GOOD.replace("temperature: 0.2", "base_url: \"ftp://x\""), 6, "\"ftp", "llm.base_url:");
  }

  @Test
  void badRelease() {
    problem(GOOD + "release: 1.0\n", 13, 10, "is not a semantic version");
  }

  @Test
  void maxConcurrentRuns() {
    assertThat(CrewParser.parse(GOOD, FILE).spec().maxConcurrentRuns()).isZero();
    assertThat(CrewParser.parse(GOOD + "max_concurrent_runs: 3\n", FILE).spec().maxConcurrentRuns())
        .isEqualTo(3);
    problem(
        GOOD + "max_concurrent_runs: -2\n",
        13,
        22,
        "max_concurrent_runs must be between 0 and 1000000, not -2");
    problem(
        GOOD + "max_concurrent_runs: three\n",
        13,
        22,
        "max_concurrent_runs must be a whole number, not");
    problem(
        GOOD + "max_concurrent_runs: 2.5\n",
        13,
        22,
        "max_concurrent_runs must be a whole number, not");
  }

  @Test
  void retrySafe() {
    assertThat(CrewParser.parse(GOOD, FILE).retrySafe()).isFalse();
    assertThat(CrewParser.parse(GOOD + "retry_safe: true\n", FILE).retrySafe()).isTrue();
    assertThat(CrewParser.parse(GOOD + "retry_safe: false\n", FILE).retrySafe()).isFalse();
    assertThat(CrewParser.parse(GOOD + "retry_safe: true\n", FILE))
        .as("a reload sees the change")
        .isNotEqualTo(CrewParser.parse(GOOD, FILE));
    problem(
        GOOD + "retry_safe: sure\n", 13, 13, "retry_safe must be true or false, not text 'sure'");
    problem(GOOD + "retry_safe: 1\n", 13, 13, "retry_safe must be true or false, not the number 1");
    assertThat(CrewParser.parse(GOOD + "retry_safe:\n", FILE).retrySafe())
        .as("an empty value, like a missing key")
        .isFalse();
  }
}
