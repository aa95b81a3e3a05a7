package dev.kodo.agents.internal.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuiltInToolsTest {
  private final DateTimeTool datetime =
      new DateTimeTool(Clock.fixed(Instant.parse("2026-12-05T08:30:15.123Z"), ZoneOffset.UTC));

  @Test
  void datetimeIsUtcByDefaultAndInTheGivenZoneOtherwise() {
    assertThat(datetime.call("{}", "a").result()).isEqualTo("2026-12-05T08:30:15Z (Saturday, UTC)");
    assertThat(datetime.call("", "a").result()).startsWith("2026-12-05T08:30:15Z");
    assertThat(datetime.call("{\"zone\":\"Asia/Tokyo\"}", "a").result())
        .isEqualTo("2026-12-05T17:30:15+09:00 (Saturday, Asia/Tokyo)");
  }

  @Test
  void datetimeRefusesAZoneThatDoesNotExist() {
    ToolOutcome bad = datetime.call("{\"zone\":\"Mars/Olympus\"}", "a");
    assertThat(bad.isError()).isTrue();
    assertThat(bad.error())
        .isEqualTo("unknown time zone 'Mars/Olympus': use an IANA name such as Europe/Paris");
    assertThat(datetime.call("{\"zone\":\"" + "x".repeat(500) + "\"}", "a").error())
        .isEqualTo("the zone name is too long");
  }

  @Test
  void runInputGivesAllInputsOrOne() {
    Map<String, Object> inputs = new LinkedHashMap<>();
    inputs.put("company", "ACME");
    inputs.put("depth", 2L);
    RunInputTool tool = new RunInputTool(inputs);
    assertThat(tool.call("{}", "a").result()).isEqualTo("{\"company\":\"ACME\",\"depth\":2}");
    assertThat(tool.call("{\"name\":\"depth\"}", "a").result()).isEqualTo("2");
    assertThat(tool.call("{\"name\":\"secret\"}", "a").error())
        .isEqualTo("this run has no input named 'secret'; it has company, depth");
  }
}
