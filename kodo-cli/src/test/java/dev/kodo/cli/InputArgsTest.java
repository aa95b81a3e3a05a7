package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputArgsTest {

  @Test
  void theValueIsEverythingAfterTheFirstEquals() {
    Map<String, Object> inputs =
        InputArgs.parse(List.of("query=a=b&c=d", "topic=heat pumps"), null);

    assertThat(inputs)
        .containsExactly(Map.entry("query", "a=b&c=d"), Map.entry("topic", "heat pumps"));
  }

  @Test
  void anEmptyValueIsKeptAsEmptyText() {
    assertThat(InputArgs.parse(List.of("notes="), null)).containsEntry("notes", "");
  }

  @Test
  void aPairWithoutEqualsIsRefusedWithAnExample() {
    assertThatThrownBy(() -> InputArgs.parse(List.of("topic"), null))
        .isInstanceOfSatisfying(
            CliException.class, e -> assertThat(e.exitCode()).isEqualTo(Exit.USAGE))
        .hasMessageContaining("--input 'topic' is not name=value");
  }

  @Test
  void aPairWithoutNameIsRefused() {
    assertThatThrownBy(() -> InputArgs.parse(List.of("=x"), null))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("has no name");
  }

  @Test
  void aNameGivenTwiceIsRefusedNamingBothValues() {
    assertThatThrownBy(() -> InputArgs.parse(List.of("topic=a", "steps=2", "topic=b"), null))
        .isInstanceOfSatisfying(
            CliException.class, e -> assertThat(e.exitCode()).isEqualTo(Exit.USAGE))
        .hasMessageContaining("input 'topic' is given twice")
        .hasMessageContaining("topic=a")
        .hasMessageContaining("topic=b");
  }

  @Test
  void inputFlagsReplaceFieldsOfTheJsonObject() {
    Map<String, Object> inputs =
        InputArgs.parse(
            List.of("topic=override"), "{\"topic\":\"json\",\"steps\":3,\"fast\":true}");

    assertThat(inputs)
        .containsEntry("topic", "override")
        .containsEntry("steps", 3)
        .containsEntry("fast", true);
  }

  @Test
  void jsonIsReadFromAFileAfterAt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("inputs.json");
    Files.writeString(file, "{\"company\": \"ACME\"}");

    assertThat(InputArgs.parse(List.of(), "@" + file))
        .containsExactly(Map.entry("company", "ACME"));
  }

  @Test
  void jsonThatIsNotAnObjectOrNotJsonIsRefused(@TempDir Path dir) {
    assertThatThrownBy(() -> InputArgs.parse(List.of(), "[1,2]"))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("must be a JSON object");
    assertThatThrownBy(() -> InputArgs.parse(List.of(), "{topic:"))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("is not valid JSON");
    assertThatThrownBy(() -> InputArgs.parse(List.of(), "@" + dir.resolve("missing.json")))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("cannot read --inputs-json file");
  }

  @Test
  void otherOptionsAreNamedInTheirMessages() {
    assertThatThrownBy(() -> InputArgs.parse(List.of("approve"), null, InputArgs.DATA))
        .hasMessage("--data 'approve' is not name=value (e.g. --data approve=true)");
    assertThatThrownBy(() -> InputArgs.parse(List.of("a=1", "a=2"), null, InputArgs.ANSWERS))
        .hasMessage(
            "answer 'a' is given twice (--answer a=1 and --answer a=2); give each answer once");
    assertThatThrownBy(() -> InputArgs.parse(List.of(), "7", InputArgs.DATA))
        .hasMessageContaining("--json-data must be a JSON object such as {\"approve\":true");
    assertThat(InputArgs.parse(List.of("comment=a=b"), "{\"approve\":true}", InputArgs.DATA))
        .containsExactly(Map.entry("approve", true), Map.entry("comment", "a=b"));
  }
}
