package dev.kodo.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.sdk.Form;
import dev.kodo.sdk.InputError;
import dev.kodo.sdk.Inputs;
import dev.kodo.sdk.Result;
import dev.kodo.sdk.internal.SdkBridge;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The event payloads the engine writes for what the SDK hands it (inputs, results, denials). */
class EventDataTest {

  @Test
  void inputsAreAJsonObjectInFormOrderWithDatesAsIsoText() {
    Form form =
        Form.builder()
            .text("topic", f -> f.required())
            .number("depth", f -> f.integer().defaultValue(2))
            .number("ratio", null)
            .bool("flag", f -> f.defaultValue(true))
            .date("day", null)
            .build();
    Inputs in =
        SdkBridge.validate(form, Map.of("day", "2026-11-27", "ratio", "0.25", "topic", "tea"));
    assertThat(EventData.inputs(in))
        .isEqualTo(
            "{\"topic\":\"tea\",\"depth\":2,\"ratio\":0.25,\"flag\":true,\"day\":\"2026-11-27\"}");
  }

  @Test
  void aResultIsItsFormatAndBody() {
    assertThat(EventData.result(Result.markdown("# Hi \"you\"\n")))
        .isEqualTo("{\"format\":\"markdown\",\"body\":\"# Hi \\\"you\\\"\\n\"}");
    assertThat(EventData.result(Result.json(Map.of("n", 1))))
        .isEqualTo("{\"format\":\"json\",\"body\":{\"n\":1}}");
    assertThat(EventData.result(Result.json("text")))
        .isEqualTo("{\"format\":\"json\",\"body\":\"text\"}");
    assertThat(EventData.fin(Result.json(List.of(1, 2)), 1.5))
        .isEqualTo("{\"result\":{\"format\":\"json\",\"body\":[1,2]},\"runtime\":1.5}");
  }

  @Test
  void aDenialListsFieldAndMessage() {
    assertThat(EventData.unlockDeny("l1", "c1", List.of(new InputError("comment", "say why"))))
        .isEqualTo(
            "{\"lid\":\"l1\",\"cid\":\"c1\",\"errors\":[{\"field\":\"comment\",\"message\":\"say why\"}]}");
  }
}
