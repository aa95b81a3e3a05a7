package dev.kodo.ui.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A form drawn from a schema and hints, and what a browser posts back turned into typed values. */
class FormViewTest {
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final JsonNode SCHEMA =
      JSON.readTree(
          """
          {"type":"object","properties":{
            "goal":{"type":"string","maxLength":200},
            "budget":{"type":"integer","minimum":0,"maximum":100,"default":5},
            "ratio":{"type":"number"},
            "approve":{"type":"boolean"},
            "kind":{"type":"string","enum":["a","b"]}}}
          """);
  static final JsonNode HINTS =
      JSON.readTree(
          """
          [{"name":"goal","widget":"text","label":"Goal","required":true,"placeholder":"what"},
           {"widget":"markdown","text":"**Note**"},
           {"name":"budget","widget":"number","label":"Budget","required":false,"step":"1"},
           {"name":"approve","widget":"checkbox","label":"Approve","required":true},
           {"name":"kind","widget":"select","label":"Kind","required":true,
            "options":[{"value":"a","label":"A"},{"value":"b","label":"B"}]}]
          """);

  @Test
  void drawsEveryFieldByItsKeyWithDefaultsAndErrors() {
    FormView form =
        FormView.of(
            SCHEMA, HINTS, Map.of(), Map.of("goal", "is required", "other", "odd"), new Markdown());
    List<FormView.Control> c = form.fields();
    assertThat(c)
        .extracting(FormView.Control::name)
        .containsExactly("goal", "", "budget", "approve", "kind");
    assertThat(c.get(0).error()).isEqualTo("is required");
    assertThat(c.get(0).maxLength()).isEqualTo("200");
    assertThat(c.get(1).text()).contains("<strong>Note</strong>");
    assertThat(c.get(2).value()).isEqualTo("5");
    assertThat(c.get(2).min()).isEqualTo("0");
    assertThat(c.get(4).options()).extracting(FormView.Option::label).containsExactly("A", "B");
    assertThat(form.errors()).containsExactly("other: odd");
  }

  @Test
  void typesWhatABrowserPosts() {
    Map<String, String> posted =
        FormView.posted(
            Map.of(
                "goal", List.of("x"),
                "budget", List.of("12"),
                "ratio", List.of("0.5"),
                "approve", List.of("false", "true"),
                "kind", List.of("")));
    Map<String, Object> values = FormView.values(SCHEMA, posted);
    assertThat(values)
        .containsEntry("goal", "x")
        .containsEntry("budget", 12L)
        .containsEntry("ratio", 0.5)
        .containsEntry("approve", true)
        .doesNotContainKey("kind");
    // an unchecked box posts only its hidden false; text that is no number stays text
    Map<String, Object> other =
        FormView.values(SCHEMA, Map.of("approve", "false", "budget", "lots"));
    assertThat(other).containsEntry("approve", false).containsEntry("budget", "lots");
  }
}
