package dev.kodo.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kodo.client.Json;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class FormTest {

  private static final Form EVERY_TYPE =
      Form.builder()
          .markdown("Tell us about the company.")
          .text(
              "company",
              f ->
                  f.label("Company")
                      .description("Legal name")
                      .placeholder("ACME")
                      .required()
                      .minLength(2)
                      .maxLength(100)
                      .pattern("[A-Za-z ]+"))
          .longText("notes", f -> f.label("Notes").maxLength(5000))
          .number("budget", f -> f.label("Budget").min(0.5).max(1000.25))
          .number("year", f -> f.label("Year").integer().min(2000).max(2100).defaultValue(2026))
          .bool("risks", f -> f.label("Risks").defaultValue(true))
          .select(
              "quarter",
              f ->
                  f.label("Quarter")
                      .option("Q1", "Jan–Mar")
                      .option("Q2", "Apr–Jun")
                      .defaultValue("Q1"))
          .date(
              "asOf",
              f ->
                  f.label("As of")
                      .minDate(LocalDate.of(2020, 1, 1))
                      .maxDate(LocalDate.of(2030, 12, 31)))
          .build();

  /** Validates a single value against a one-field form and returns the error message for it. */
  private static String errorFor(Consumer<Form.Builder> field, Object value) {
    Form.Builder b = Form.builder();
    field.accept(b);
    Map<String, Object> raw = new HashMap<>();
    raw.put("x", value);
    InvalidInputsException e =
        catchThrowableOfType(InvalidInputsException.class, () -> b.build().validate(raw));
    assertThat(e).as("value %s should be rejected", value).isNotNull();
    assertThat(e.errors()).extracting(InputError::field).containsExactly("x");
    return e.errors().getFirst().message();
  }

  private static Object accepted(Consumer<Form.Builder> field, Object value) {
    Form.Builder b = Form.builder();
    field.accept(b);
    Map<String, Object> raw = new HashMap<>();
    raw.put("x", value);
    return b.build().validate(raw).get("x");
  }

  /** The SDK's plain maps as the JSON a client reads. */
  private static JsonNode json(Object schemaOrHints) {
    return Json.mapper().valueToTree(schemaOrHints);
  }

  /** Compares JSON by value, whatever Java number types the two sides were built from. */
  private static void assertJson(JsonNode actual, String expected) {
    assertThat(Json.read(actual.toString())).isEqualTo(Json.read(expected));
  }

  private static final Consumer<Form.Builder> NUMBER = b -> b.number("x", f -> f.required());
  private static final Consumer<Form.Builder> INTEGER =
      b -> b.number("x", f -> f.integer().required());

  @Nested
  class Schema {
    private final JsonNode schema = json(EVERY_TYPE.schema());
    private final JsonNode props = schema.path("properties");

    @Test
    void isAClosedDraft2020Object() {
      assertThat(schema.path("$schema").asString())
          .isEqualTo("https://json-schema.org/draft/2020-12/schema");
      assertThat(schema.path("type").asString()).isEqualTo("object");
      assertThat(schema.path("additionalProperties").asBoolean(true)).isFalse();
      assertJson(schema.path("required"), "[\"company\"]");
    }

    @Test
    void listsPropertiesInDeclarationOrder() {
      assertThat(props.propertyNames())
          .containsExactly("company", "notes", "budget", "year", "risks", "quarter", "asOf");
    }

    @Test
    void describesEachTypeWithItsConstraints() {
      assertJson(
          props.path("company"),
          """
          {"type":"string","minLength":2,"maxLength":100,"pattern":"^(?:[A-Za-z ]+)$","title":"Company","description":"Legal name"}""");
      assertJson(
          props.path("notes"),
          """
          {"type":"string","maxLength":5000,"title":"Notes"}""");
      assertThat(props.path("budget").path("type").asString()).isEqualTo("number");
      assertThat(props.path("budget").path("minimum").asDouble()).isEqualTo(0.5);
      assertThat(props.path("budget").path("maximum").asDouble()).isEqualTo(1000.25);
      assertJson(
          props.path("year"),
          """
          {"type":"integer","minimum":2000,"maximum":2100,"title":"Year","default":2026}""");
      assertJson(
          props.path("risks"),
          """
          {"type":"boolean","title":"Risks","default":true}""");
      assertJson(
          props.path("quarter"),
          """
          {"type":"string","enum":["Q1","Q2"],"title":"Quarter","default":"Q1"}""");
      assertJson(
          props.path("asOf"),
          """
          {"type":"string","format":"date","title":"As of"}""");
    }

    @Test
    void writesDateDefaultsAsIsoText() {
      Form f = Form.builder().date("d", b -> b.defaultValue("2026-11-27")).build();
      assertThat(json(f.schema()).path("properties").path("d").path("default").asString())
          .isEqualTo("2026-11-27");
    }

    @Test
    void usesTheNameAsTitleWithoutALabel() {
      Form f = Form.builder().text("topic", null).build();
      assertThat(json(f.schema()).path("properties").path("topic").path("title").asString())
          .isEqualTo("topic");
    }

    @Test
    void ofAnEmptyFormTakesNothing() {
      JsonNode s = json(Form.empty().schema());
      assertThat(s.path("properties").size()).isZero();
      assertThat(s.path("required").size()).isZero();
      assertThat(s.path("additionalProperties").asBoolean(true)).isFalse();
    }
  }

  @Nested
  class Hints {
    private final JsonNode hints = json(EVERY_TYPE.hints());

    @Test
    void keepTheElementsInOrderWithTheirWidgets() {
      assertThat(hints.valueStream().map(h -> h.path("widget").asString()).toList())
          .containsExactly(
              "markdown", "text", "textarea", "number", "number", "checkbox", "select", "date");
      assertJson(hints.get(0), "{\"widget\":\"markdown\",\"text\":\"Tell us about the company.\"}");
    }

    @Test
    void carryLabelHelpPlaceholderAndRequired() {
      assertJson(
          hints.get(1),
          """
          {"name":"company","widget":"text","label":"Company","help":"Legal name","placeholder":"ACME","required":true}""");
      assertThat(hints.get(2).path("required").asBoolean(true)).isFalse();
    }

    @Test
    void giveNumbersTheirRangeAndStep() {
      assertThat(hints.get(3).path("step").asString()).isEqualTo("any");
      assertThat(hints.get(3).path("min").asDouble()).isEqualTo(0.5);
      assertThat(hints.get(4).path("step").asString()).isEqualTo("1");
      assertThat(hints.get(4).path("max").asLong()).isEqualTo(2100);
    }

    @Test
    void giveSelectsTheirOptionsWithLabels() {
      assertJson(
          hints.get(6).path("options"),
          """
          [{"value":"Q1","label":"Jan–Mar"},{"value":"Q2","label":"Apr–Jun"}]""");
    }

    @Test
    void giveDatesTheirRange() {
      assertThat(hints.get(7).path("min").asString()).isEqualTo("2020-01-01");
      assertThat(hints.get(7).path("max").asString()).isEqualTo("2030-12-31");
    }
  }

  @Nested
  class Validation {

    @Test
    void convertsEachTypeToItsJavaType() {
      Inputs in =
          EVERY_TYPE.validate(
              Map.of(
                  "company",
                  "ACME Corp",
                  "notes",
                  "a\nb",
                  "budget",
                  "12.5",
                  "year",
                  "2030",
                  "risks",
                  "no",
                  "quarter",
                  "Q2",
                  "asOf",
                  "2026-11-27"));
      assertThat(in.asMap())
          .containsExactly(
              Map.entry("company", "ACME Corp"),
              Map.entry("notes", "a\nb"),
              Map.entry("budget", 12.5),
              Map.entry("year", 2030L),
              Map.entry("risks", false),
              Map.entry("quarter", "Q2"),
              Map.entry("asOf", LocalDate.of(2026, 11, 27)));
    }

    @Test
    void fillsDefaultsForMissingAndEmptyValues() {
      Inputs in = EVERY_TYPE.validate(Map.of("company", "ACME", "year", "", "risks", ""));
      assertThat(in.integer("year")).isEqualTo(2026);
      assertThat(in.bool("risks")).isTrue();
      assertThat(in.text("quarter")).isEqualTo("Q1");
      assertThat(in.has("asOf")).isFalse();
      assertThat(in.has("notes")).isFalse();
      assertThat(in.asMap())
          .containsExactly(
              Map.entry("company", "ACME"),
              Map.entry("year", 2026L),
              Map.entry("risks", true),
              Map.entry("quarter", "Q1"));
    }

    @Test
    void treatsNullInputsAsNone() {
      assertThat(Form.empty().validate(null).asMap()).isEmpty();
      assertThat(Form.builder().text("t", null).build().validate(null).has("t")).isFalse();
    }

    @Test
    void reportsEveryProblemAtOnceWithFieldNames() {
      Map<String, Object> raw = new HashMap<>();
      raw.put("company", "   ");
      raw.put("budget", Map.of("amount", 3));
      raw.put("year", 1999);
      raw.put("quarter", "Q5");
      raw.put("colour", "blue");
      InvalidInputsException e =
          catchThrowableOfType(InvalidInputsException.class, () -> EVERY_TYPE.validate(raw));
      assertThat(e.errors())
          .containsExactly(
              new InputError(
                  "colour",
                  "unknown field: expected company, notes, budget, year, risks, quarter, asOf"),
              new InputError("company", "is required"),
              new InputError("budget", "must be a number, not an object"),
              new InputError("year", "must be at least 2000 (got 1999)"),
              new InputError("quarter", "must be one of [Q1, Q2], not text 'Q5'"));
      assertThat(e.getMessage())
          .startsWith("invalid inputs: colour unknown field")
          .contains("; company is required; budget");
    }

    @Test
    void rejectsUnknownInputsOfAFlowWithoutInputs() {
      InvalidInputsException e =
          catchThrowableOfType(
              InvalidInputsException.class, () -> Form.empty().validate(Map.of("x", 1)));
      assertThat(e.errors())
          .containsExactly(new InputError("x", "unknown field: none is expected here"));
    }

    @Test
    void requiresRequiredInputs() {
      Form f = Form.builder().text("t", b -> b.required()).number("n", b -> b.required()).build();
      InvalidInputsException e =
          catchThrowableOfType(InvalidInputsException.class, () -> f.validate(Map.of("n", "")));
      assertThat(e.errors())
          .containsExactly(new InputError("t", "is required"), new InputError("n", "is required"));
    }

    @Test
    void acceptsARequiredInputThatHasADefaultWhenMissing() {
      Form f = Form.builder().number("n", b -> b.required().defaultValue(3)).build();
      assertThat(f.validate(Map.of()).integer("n")).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n "})
    void rejectsBlankRequiredText(String blank) {
      assertThat(errorFor(b -> b.text("x", f -> f.required()), blank)).isEqualTo("is required");
    }

    @Test
    void keepsBlankOptionalText() {
      assertThat(accepted(b -> b.text("x", null), "  ")).isEqualTo("  ");
    }

    // --- text

    @Test
    void checksTextTypeLengthAndPattern() {
      assertThat(errorFor(b -> b.text("x", null), 42)).isEqualTo("must be text, not the number 42");
      assertThat(errorFor(b -> b.text("x", null), List.of("a")))
          .isEqualTo("must be text, not a list");
      assertThat(errorFor(b -> b.text("x", f -> f.minLength(3)), "ab"))
          .isEqualTo("must be at least 3 characters long (got 2)");
      assertThat(errorFor(b -> b.longText("x", f -> f.maxLength(3)), "abcd"))
          .isEqualTo("must be at most 3 characters long (got 4)");
      assertThat(errorFor(b -> b.text("x", f -> f.pattern("[a-z]+")), "abc1"))
          .isEqualTo("must match the pattern [a-z]+");
      assertThat(accepted(b -> b.text("x", f -> f.pattern("[a-z]+")), "abc")).isEqualTo("abc");
    }

    @Test
    void matchesThePatternAgainstTheWholeText() {
      assertThat(errorFor(b -> b.text("x", f -> f.pattern("[0-9]{3}")), "a123b"))
          .startsWith("must match the pattern");
    }

    @Test
    void countsCharactersNotUtf16Units() {
      assertThat(accepted(b -> b.text("x", f -> f.maxLength(2)), "😀😀")).isEqualTo("😀😀");
      assertThat(errorFor(b -> b.text("x", f -> f.minLength(2)), "😀"))
          .isEqualTo("must be at least 2 characters long (got 1)");
    }

    @Test
    void abbreviatesLongValuesInMessages() {
      String message = errorFor(b -> b.select("x", f -> f.options("a")), "z".repeat(10_000));
      assertThat(message).hasSizeLessThan(100).contains("zzz…");
    }

    // --- numbers

    @Test
    void acceptsNumbersAndNumericText() {
      assertThat(accepted(NUMBER, 3)).isEqualTo(3.0);
      assertThat(accepted(NUMBER, " -2.5 ")).isEqualTo(-2.5);
      assertThat(accepted(NUMBER, "1e3")).isEqualTo(1000.0);
      assertThat(accepted(INTEGER, "2.0")).isEqualTo(2L);
      assertThat(accepted(INTEGER, 7.0)).isEqualTo(7L);
      assertThat(accepted(INTEGER, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void rejectsNumbersOfTheWrongShape() {
      assertThat(errorFor(NUMBER, Map.of("v", 1))).isEqualTo("must be a number, not an object");
      assertThat(errorFor(NUMBER, List.of(1, 2))).isEqualTo("must be a number, not a list");
      assertThat(errorFor(NUMBER, new int[] {1})).isEqualTo("must be a number, not a list");
      assertThat(errorFor(NUMBER, true)).isEqualTo("must be a number, not the boolean true");
      assertThat(errorFor(NUMBER, "twelve")).isEqualTo("must be a number, not 'twelve'");
      assertThat(errorFor(NUMBER, "0x10")).isEqualTo("must be a number, not '0x10'");
      assertThat(errorFor(NUMBER, "   ")).isEqualTo("is required");
    }

    @Test
    void rejectsNanAndInfinity() {
      assertThat(errorFor(NUMBER, Double.NaN)).isEqualTo("must be a finite number");
      assertThat(errorFor(NUMBER, Double.POSITIVE_INFINITY)).isEqualTo("must be a finite number");
      assertThat(errorFor(NUMBER, Float.NEGATIVE_INFINITY)).isEqualTo("must be a finite number");
      assertThat(errorFor(NUMBER, "NaN")).isEqualTo("must be a number, not 'NaN'");
      assertThat(errorFor(NUMBER, "Infinity")).isEqualTo("must be a number, not 'Infinity'");
    }

    @Test
    void rejectsNumbersTooLargeForTheirType() {
      assertThat(errorFor(NUMBER, "1e400")).isEqualTo("is too large");
      assertThat(errorFor(INTEGER, "9223372036854775808"))
          .isEqualTo("is too large (got 9223372036854775808)");
      assertThat(errorFor(INTEGER, new BigInteger("1" + "0".repeat(40))))
          .isEqualTo("is too large (got 1E+40)");
    }

    @Test
    void answersHugeExponentsQuicklyWithShortMessages() {
      // Ten characters of input must not become a billion digits in the error message.
      assertThat(errorFor(INTEGER, "1e999999999")).isEqualTo("is too large (got 1E+999999999)");
      assertThat(errorFor(INTEGER, "1e-999999999"))
          .isEqualTo("must be a whole number (got 1E-999999999)");
      assertThat(errorFor(b -> b.number("x", f -> f.max(10)), "1e999999999"))
          .isEqualTo("must be at most 10 (got 1E+999999999)");
      assertThat(errorFor(b -> b.number("x", f -> f.min(0)), "-1e999999999"))
          .isEqualTo("must be at least 0 (got -1E+999999999)");
    }

    @Test
    void rejectsFractionsForIntegers() {
      assertThat(errorFor(INTEGER, 2.5)).isEqualTo("must be a whole number (got 2.5)");
      assertThat(errorFor(INTEGER, "0.1")).isEqualTo("must be a whole number (got 0.1)");
    }

    @Test
    void checksTheRange() {
      Consumer<Form.Builder> ranged = b -> b.number("x", f -> f.min(-1.5).max(10));
      assertThat(errorFor(ranged, -2)).isEqualTo("must be at least -1.5 (got -2)");
      assertThat(errorFor(ranged, "10.0001")).isEqualTo("must be at most 10 (got 10.0001)");
      assertThat(accepted(ranged, -1.5)).isEqualTo(-1.5);
      assertThat(accepted(ranged, 10)).isEqualTo(10.0);
    }

    // --- booleans

    @Test
    void acceptsBooleansAndTheirCommonSpellings() {
      Consumer<Form.Builder> bool = b -> b.bool("x", null);
      assertThat(accepted(bool, true)).isEqualTo(true);
      for (String yes : List.of("true", "YES", " on ", "1")) {
        assertThat(accepted(bool, yes)).as(yes).isEqualTo(true);
      }
      for (String no : List.of("false", "No", "off", "0")) {
        assertThat(accepted(bool, no)).as(no).isEqualTo(false);
      }
      assertThat(errorFor(bool, "maybe")).isEqualTo("must be true or false, not 'maybe'");
      assertThat(errorFor(bool, 1)).isEqualTo("must be true or false, not the number 1");
      assertThat(errorFor(bool, Map.of())).isEqualTo("must be true or false, not an object");
    }

    // --- selects

    @Test
    void acceptsOnlyListedOptions() {
      Consumer<Form.Builder> select = b -> b.select("x", f -> f.option("a", "Alpha").options("b"));
      assertThat(accepted(select, "b")).isEqualTo("b");
      assertThat(errorFor(select, "Alpha")).isEqualTo("must be one of [a, b], not text 'Alpha'");
      assertThat(errorFor(select, "A")).isEqualTo("must be one of [a, b], not text 'A'");
      assertThat(errorFor(select, 1)).isEqualTo("must be one of [a, b], not the number 1");
    }

    // --- dates

    @Test
    void acceptsIsoDates() {
      Consumer<Form.Builder> date = b -> b.date("x", null);
      assertThat(accepted(date, "2024-02-29")).isEqualTo(LocalDate.of(2024, 2, 29));
      assertThat(accepted(date, LocalDate.of(2026, 1, 1))).isEqualTo(LocalDate.of(2026, 1, 1));
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "2026-02-30",
          "2025-02-29",
          "2026-13-01",
          "27/11/2026",
          "2026-1-5",
          "tomorrow",
          "2026-11-27T10:00"
        })
    void rejectsBadDateStrings(String bad) {
      assertThat(errorFor(b -> b.date("x", null), bad))
          .isEqualTo("must be a date like 2026-11-27, not '" + bad + "'");
    }

    @Test
    void rejectsDatesOfTheWrongTypeOrOutOfRange() {
      Consumer<Form.Builder> date =
          b ->
              b.date(
                  "x",
                  f -> f.minDate(LocalDate.of(2020, 1, 1)).maxDate(LocalDate.of(2030, 12, 31)));
      assertThat(errorFor(date, 20261127))
          .isEqualTo("must be a date like 2026-11-27, not the number 20261127");
      assertThat(errorFor(date, "2019-12-31")).isEqualTo("must be on or after 2020-01-01");
      assertThat(errorFor(date, "2031-01-01")).isEqualTo("must be on or before 2030-12-31");
      assertThat(accepted(date, "2030-12-31")).isEqualTo(LocalDate.of(2030, 12, 31));
    }
  }

  @Nested
  class BuilderMisuse {

    private void failsWith(Runnable build, String message) {
      assertThatThrownBy(build::run)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(message);
    }

    /**
     * A constraint of another kind (min() on a text) does not compile: each kind's builder offers
     * only its own.
     */
    @Test
    void eachKindsBuilderOffersOnlyItsOwnConstraints() {
      List<String> common =
          List.of("label", "description", "placeholder", "required", "optional", "defaultValue");
      assertThat(ownMethods(TextField.Builder.class))
          .containsExactlyInAnyOrder("minLength", "maxLength", "pattern");
      assertThat(ownMethods(NumberField.Builder.class))
          .containsExactlyInAnyOrder("min", "max", "integer");
      assertThat(ownMethods(SelectField.Builder.class))
          .containsExactlyInAnyOrder("option", "options");
      assertThat(ownMethods(DateField.Builder.class))
          .containsExactlyInAnyOrder("minDate", "maxDate");
      assertThat(ownMethods(BoolField.Builder.class)).isEmpty();
      assertThat(ownMethods(Field.Builder.class)).containsExactlyInAnyOrderElementsOf(common);
    }

    private static List<String> ownMethods(Class<?> builder) {
      return Arrays.stream(builder.getDeclaredMethods())
          .filter(m -> Modifier.isPublic(m.getModifiers()) && !m.isSynthetic())
          .map(Method::getName)
          .distinct()
          .toList();
    }

    @Test
    void selectWithoutOptions() {
      failsWith(
          () -> Form.builder().select("tone", null),
          "select input 'tone' needs at least one option");
      failsWith(
          () -> Form.builder().select("tone", f -> f.options("a", "a")),
          "select input 'tone' lists the option 'a' twice");
    }

    @Test
    void badRegex() {
      assertThatThrownBy(() -> Form.builder().text("code", f -> f.pattern("[a-z")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("input 'code': bad pattern: ");
    }

    @Test
    void duplicateNames() {
      Form.Builder b = Form.builder().text("topic", null).number("topic", null);
      failsWith(b::build, "input 'topic' is declared twice");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1st", "with space", "dot.ted", "a/b", "ü"})
    void invalidNames(String name) {
      failsWith(
          () -> Form.builder().text(name, null),
          "input name '"
              + name
              + "' must start with a letter or _ and hold only letters, digits, _ and - (at most 64)");
    }

    @Test
    void nameLengthLimit() {
      assertThat(Form.builder().text("a".repeat(64), null).build().fields()).hasSize(1);
      assertThatThrownBy(() -> Form.builder().text("a".repeat(65), null))
          .isInstanceOf(IllegalArgumentException.class);
      failsWith(() -> Form.builder().text(null, null), "input name cannot be null");
    }

    @Test
    void invalidDefaults() {
      failsWith(
          () -> Form.builder().number("depth", f -> f.integer().max(5).defaultValue(9)),
          "default of input 'depth' is invalid: must be at most 5 (got 9)");
      failsWith(
          () -> Form.builder().number("depth", f -> f.integer().defaultValue(1.5)),
          "default of input 'depth' is invalid: must be a whole number (got 1.5)");
      failsWith(
          () -> Form.builder().select("tone", f -> f.options("a", "b").defaultValue("c")),
          "default of input 'tone' is invalid: must be one of [a, b], not text 'c'");
      failsWith(
          () -> Form.builder().date("d", f -> f.defaultValue("soon")),
          "default of input 'd' is invalid: must be a date like 2026-11-27, not 'soon'");
      failsWith(
          () -> Form.builder().bool("b", f -> f.defaultValue(List.of())),
          "default of input 'b' is invalid: must be true or false, not a list");
    }

    @Test
    void inconsistentRanges() {
      failsWith(
          () -> Form.builder().number("n", f -> f.min(5).max(1)),
          "input 'n': min is greater than max");
      failsWith(
          () -> Form.builder().text("t", f -> f.minLength(5).maxLength(1)),
          "input 't': minLength is greater than maxLength");
      failsWith(
          () -> Form.builder().text("t", f -> f.minLength(-1)),
          "input 't': minLength cannot be negative (got -1)");
      failsWith(
          () ->
              Form.builder()
                  .date(
                      "d",
                      f -> f.minDate(LocalDate.of(2030, 1, 1)).maxDate(LocalDate.of(2020, 1, 1))),
          "input 'd': minDate is after maxDate");
      failsWith(
          () -> Form.builder().number("n", f -> f.min(Double.NaN)),
          "input 'n': min must be a finite number (got NaN)");
      failsWith(
          () -> Form.builder().number("n", f -> f.max(Double.POSITIVE_INFINITY)),
          "input 'n': max must be a finite number (got Infinity)");
    }
  }
}
