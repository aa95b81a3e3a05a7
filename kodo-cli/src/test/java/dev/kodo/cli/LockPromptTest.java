package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Json;
import dev.kodo.client.Problem.FieldError;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class LockPromptTest {
  /** What OrderIntake asks for, plus a field with a default and one with help. */
  static final JsonNode ORDER =
      Json.read(
          """
      {"lid":"l1","demand":{"title":"Complete the order of kettle","markdown":"The order needs details.",
       "schema":{"type":"object","properties":{
         "quantity":{"type":"integer","minimum":1,"maximum":100,"title":"Quantity"},
         "name":{"type":"string","maxLength":100,"title":"Recipient"},
         "country":{"type":"string","enum":["DE","CH","US","GB"],"title":"Country"},
         "gift":{"type":"boolean","title":"Gift wrap","default":false},
         "note":{"type":"string","title":"Note","description":"For the courier"},
         "postcode":{"type":"string","maxLength":10,"title":"Postcode"}},
        "required":["quantity","name","country","postcode"]},
       "form":[{"widget":"markdown","text":"Ships in 2 days."},
         {"name":"quantity","widget":"number","label":"Quantity","required":true,"min":1,"max":100,"step":"1"},
         {"name":"name","widget":"text","label":"Recipient","required":true},
         {"name":"country","widget":"select","label":"Country","required":true,"options":[{"value":"DE","label":"Germany"},
           {"value":"CH","label":"Switzerland"},{"value":"US","label":"United States"},{"value":"GB","label":"United Kingdom"}]},
         {"name":"postcode","widget":"text","label":"Postcode","required":true},
         {"name":"gift","widget":"checkbox","label":"Gift wrap","required":false},
         {"name":"note","widget":"textarea","label":"Note","help":"For the courier","required":false}]}}""");

  private final StringWriter screen = new StringWriter();

  private Map<String, Object> ask(String typed) {
    Map<String, Object> values = new LinkedHashMap<>();
    new LockPrompt(Terminal.scripted(true, typed, new PrintWriter(screen)))
        .ask(LockView.fields(ORDER), values, Map.of());
    return values;
  }

  @Test
  void fieldsComeInTheOrderOfTheFormWithTheirLabelsAndOptions() {
    List<LockView.FormField> fields = LockView.fields(ORDER);

    assertThat(fields)
        .extracting(LockView.FormField::name)
        .containsExactly("quantity", "name", "country", "postcode", "gift", "note");
    assertThat(fields.get(2).options())
        .extracting(LockView.Option::label)
        .containsExactly("Germany", "Switzerland", "United States", "United Kingdom");
    assertThat(fields)
        .extracting(LockView.FormField::required)
        .containsExactly(true, true, true, true, false, false);
    assertThat(fields.get(5).help()).isEqualTo("For the courier");
  }

  @Test
  void promptsShowLabelNameWhetherRequiredTypeAndDefault() {
    List<LockView.FormField> fields = LockView.fields(ORDER);

    assertThat(LockPrompt.prompt(fields.get(0)))
        .isEqualTo("Quantity (quantity; required, integer (1..100)): ");
    assertThat(LockPrompt.prompt(fields.get(2)))
        .isEqualTo("Country (country; required, 1-4 or a value): ");
    assertThat(LockPrompt.prompt(fields.get(4))).isEqualTo("Gift wrap (gift; optional, y/n) [n]: ");
  }

  @Test
  void answersAreTypedAndTriviallyWrongOnesAskedAgain() {
    Map<String, Object> values =
        ask(String.join("\n", "three", "3", "", "Ada", "5", "switzerland", "8001", "", "", ""));

    assertThat(values)
        .containsExactly(
            Map.entry("quantity", 3L),
            Map.entry("name", "Ada"),
            Map.entry("country", "CH"),
            Map.entry("postcode", "8001"));
    assertThat(screen.toString())
        .contains(
            "Quantity (quantity; required, integer (1..100)): three\n  a whole number, please\n")
        .contains("Recipient (name; required, text (max 100 chars)): \n  Recipient is required\n")
        .contains("  1) DE  Germany\n  2) CH  Switzerland\n")
        .contains(
            "Country (country; required, 1-4 or a value): 5\n  choose 1-4 or one of DE, CH, US, GB\n")
        .contains("  For the courier\nNote (note; optional, text): \n");
  }

  @Test
  void selectsTakeTheNumberTheValueOrTheLabel() {
    LockView.FormField country = LockView.fields(ORDER).get(2);

    assertThat(LockPrompt.option(country, "4")).isEqualTo("GB");
    assertThat(LockPrompt.option(country, "us")).isEqualTo("US");
    assertThat(LockPrompt.option(country, "united kingdom")).isEqualTo("GB");
    assertThat(LockPrompt.option(country, "FR")).isNull();
  }

  @Test
  void booleansTakeYesOrNoAndAnEmptyAnswerKeepsTheDefault() {
    Map<String, Object> values =
        ask(String.join("\n", "1", "Ada", "DE", "10115", "y", "ring twice"));

    assertThat(values).containsEntry("gift", true).containsEntry("note", "ring twice");
    assertThat(ask("1\nAda\nDE\n10115\n\n\n")).doesNotContainKeys("gift", "note");
  }

  @Test
  void afterADenialOnlyTheFieldsItNamesAreAskedWithTheReason() {
    List<LockView.FormField> fields = LockView.fields(ORDER);
    List<FieldError> errors = List.of(new FieldError("postcode", "'123' is not a postcode of CH"));
    Map<String, Object> values = new LinkedHashMap<>(Map.of("country", "CH", "postcode", "123"));

    new LockPrompt(Terminal.scripted(true, "8001\n", new PrintWriter(screen)))
        .ask(LockPrompt.denied(fields, errors), values, LockPrompt.reasons(errors));

    assertThat(values).containsEntry("postcode", "8001").containsEntry("country", "CH");
    assertThat(screen.toString())
        .startsWith("! Postcode: '123' is not a postcode of CH\nPostcode (postcode; required");
  }

  @Test
  void aReasonThatNamesNoFieldOfTheDemandAsksForAllOfThem() {
    List<LockView.FormField> fields = LockView.fields(ORDER);

    assertThat(LockPrompt.denied(fields, List.of(new FieldError("", "lock l0 is not open"))))
        .isEqualTo(fields);
    assertThat(LockPrompt.denied(fields, List.of(new FieldError("colour", "unknown input"))))
        .isEqualTo(fields);
    assertThat(
            LockPrompt.denied(
                fields, List.of(new FieldError("name", "a"), new FieldError("name", "b"))))
        .extracting(LockView.FormField::name)
        .containsExactly("name");
    assertThat(
            LockPrompt.reasons(List.of(new FieldError("name", "a"), new FieldError("name", "b"))))
        .containsEntry("name", "a; b");
  }

  @Test
  void theViewShowsTitleMarkdownFormTextAndTheFields() {
    StringWriter out = new StringWriter();

    LockView.print(new PrintWriter(out), ORDER, "f1", ZoneOffset.UTC);

    assertThat(out.toString())
        .startsWith(
            "Complete the order of kettle\nlock l1 of run f1\n\nThe order needs details.\n\nShips in 2 days.\n\nFields:\n")
        .containsPattern("country +one of DE, CH, US, GB +yes +Country")
        .containsPattern("gift +true/false +no +false +Gift wrap");
    assertThat(LockView.answerLine("f1", ORDER))
        .isEqualTo(
            "koco lock f1 --data quantity=1 --data name='…' --data country=DE --data postcode='…'");
  }
}
