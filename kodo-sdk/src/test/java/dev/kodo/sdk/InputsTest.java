package dev.kodo.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InputsTest {
  private final Form form =
      Form.builder()
          .text("topic", f -> f.required())
          .number("depth", f -> f.integer().defaultValue(2))
          .number("ratio", null)
          .date("day", null)
          .build();

  @Test
  void readsTypedValues() {
    Inputs in = form.validate(Map.of("topic", "tea", "ratio", "0.25", "day", "2026-11-27"));
    assertThat(in.text("topic")).isEqualTo("tea");
    assertThat(in.integer("depth")).isEqualTo(2);
    assertThat(in.number("depth")).isEqualTo(2.0);
    assertThat(in.number("ratio")).isEqualTo(0.25);
    assertThat(in.date("day")).isEqualTo(LocalDate.of(2026, 11, 27));
    assertThat(in.asMap())
        .containsExactly(
            Map.entry("topic", "tea"),
            Map.entry("depth", 2L),
            Map.entry("ratio", 0.25),
            Map.entry("day", LocalDate.of(2026, 11, 27)));
  }

  @Test
  void explainsAMissingInput() {
    Inputs in = form.validate(Map.of("topic", "tea"));
    assertThatThrownBy(() -> in.number("ratio"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("input 'ratio' was not given and has no default")
        .hasMessageContaining("has(\"ratio\")");
  }

  @Test
  void explainsAWrongType() {
    Inputs in = form.validate(Map.of("topic", "tea"));
    assertThatThrownBy(() -> in.bool("topic"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("input 'topic' is a String, not a Boolean");
  }
}
