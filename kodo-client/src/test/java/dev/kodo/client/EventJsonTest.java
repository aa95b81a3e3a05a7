package dev.kodo.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class EventJsonTest {
  private static final Instant TS = Instant.parse("2026-11-27T11:12:13.456Z");

  private static Event event(String data) {
    return Event.of("0190b2f4-6a3e-7c1d-8e2f-123456789abc", 17, TS, EventType.RESULT, data);
  }

  @Test
  void writesTheShapeOfTheHttpApiWithDataAsJsonNotAsAString() {
    Event e = event("{\"format\":\"json\",\"body\":{\"found\":3}}");

    assertThat(e.toJson())
        .isEqualTo(
            "{\"fid\":\"0190b2f4-6a3e-7c1d-8e2f-123456789abc\",\"seq\":17,"
                + "\"ts\":\"2026-11-27T11:12:13.456Z\",\"kind\":\"process\",\"type\":\"result\","
                + "\"data\":{\"format\":\"json\",\"body\":{\"found\":3}}}");
  }

  @Test
  void toJsonIsExactlyWhatJacksonWrites() {
    for (String data :
        List.of(
            "{}",
            "{\"a\":[1,2,{\"b\":null}],\"c\":true}",
            "{\"s\":\"\\\"q\\\" \\\\ \\n \\u0001 \\u2028 é 😀\"}")) {
      Event e = event(data);
      assertThat(e.toJson()).isEqualTo(Json.write(e));
    }
  }

  @Test
  void roundTripsThroughJsonKeepingEveryField() {
    Event e = event("{\"format\":\"markdown\",\"body\":\"# Title\\n\\n| a | b |\"}");

    Event back = Json.read(e.toJson(), Event.class);

    assertThat(back).isEqualTo(e);
    assertThat(back.eventType()).isEqualTo(EventType.RESULT);
  }

  @Test
  void keepsRawDataVerbatimIncludingNumbersADoubleCannotHold() {
    String data =
        "{\"big\":12345678901234567890.123456789,\"huge\":1e400,\"exp\":1E-7,\"trailing\":1.10,"
            + "\"negzero\":-0.0,\"int\":98765432109876543210,\"list\":[[],{},\"\"],\"t\":true,\"f\":false,\"n\":null}";

    Event back = Json.read(event(data).toJson(), Event.class);

    assertThat(back.data()).isEqualTo(data);
  }

  @Test
  void keepsOddCharactersInDataStrings() {
    String data =
        "{\"s\":\"quote \\\" backslash \\\\ slash / tab \\t newline \\n cr \\r nul \\u0000 bell \\u0007 "
            + "ls \\u2028 ps \\u2029 é ü 漢字 😀 </script>\",\"key \\\"with\\\" quotes\":1}";

    Event e = event(data);
    Event back = Json.read(Json.write(e), Event.class);

    assertThat(back.data()).isEqualTo(data);
    JsonNode node = back.dataNode();
    assertThat(node.path("s").asString())
        .isEqualTo(
            "quote \" backslash \\ slash / tab \t newline \n cr \r nul \u0000 bell \u0007 "
                + "ls \u2028 ps \u2029 é ü 漢字 😀 </script>");
    assertThat(node.path("key \"with\" quotes").asInt()).isEqualTo(1);
  }

  @Test
  void dataWrittenWithWhitespaceOrEscapesComesBackCompactAndEqual() {
    String sent = "{ \"a\" : [ 1 , 2 ] ,\n \"b\" : \"\\u00e9\" }";

    Event back = Json.read(event(sent).toJson(), Event.class);

    assertThat(back.data()).isEqualTo("{\"a\":[1,2],\"b\":\"é\"}");
    assertThat(back.dataNode()).isEqualTo(Json.read(sent));
  }

  @Test
  void missingOrNullDataBecomesAnEmptyObject() {
    assertThat(event(null).data()).isEqualTo("{}");
    assertThat(event("  ").data()).isEqualTo("{}");
    String json =
        "{\"fid\":\"f1\",\"seq\":1,\"ts\":\"2026-11-27T11:12:13.456Z\",\"kind\":\"process\",\"type\":\"final\"";
    assertThat(Json.read(json + "}", Event.class).data()).isEqualTo("{}");
    assertThat(Json.read(json + ",\"data\":null}", Event.class).data()).isEqualTo("{}");
  }

  @Test
  void readsEventsWithFieldsThisVersionDoesNotKnow() {
    Event e =
        Json.read(
            "{\"fid\":\"f1\",\"seq\":3,\"ts\":\"2026-11-27T11:12:13.456Z\",\"kind\":\"process\","
                + "\"type\":\"telemetry\",\"data\":{\"tokens\":12},\"level\":\"full\"}",
            Event.class);

    assertThat(e.type()).isEqualTo("telemetry");
    assertThat(e.eventType()).isNull();
    assertThat(e.terminal()).isFalse();
    assertThat(e.data()).isEqualTo("{\"tokens\":12}");
  }

  @Test
  void truncatedDataIsAnErrorNotAHalfEvent() {
    assertThatThrownBy(
            () ->
                Json.read(
                    "{\"fid\":\"f1\",\"seq\":1,\"ts\":\"2026-11-27T11:12:13.456Z\",\"kind\":\"process\","
                        + "\"type\":\"result\",\"data\":{\"a\":[1,2",
                    Event.class))
        .isInstanceOf(RuntimeException.class);
  }

  @Test
  void timestampsAlwaysCarryExactlyThreeFractionDigitsInUtc() {
    assertThat(Json.timestamp(Instant.parse("2026-11-27T11:12:13.456Z")))
        .isEqualTo("2026-11-27T11:12:13.456Z");
    assertThat(Json.timestamp(Instant.parse("2026-11-27T11:12:13Z")))
        .isEqualTo("2026-11-27T11:12:13.000Z");
    assertThat(Json.timestamp(Instant.parse("2026-11-27T11:12:13.400Z")))
        .isEqualTo("2026-11-27T11:12:13.400Z");
    assertThat(Json.timestamp(Instant.parse("2026-11-27T11:12:13.123999Z")))
        .isEqualTo("2026-11-27T11:12:13.123Z");
    assertThat(Json.timestamp(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00.000Z");
  }

  @Test
  void anEventOnAWholeSecondStillShowsItsMillisecondsSoTimestampsSortAsText() {
    Event onTheSecond =
        Event.of("f1", 1, Instant.parse("2026-11-27T11:12:13Z"), EventType.PROGRESS, "{}");
    Event justAfter =
        Event.of("f1", 2, Instant.parse("2026-11-27T11:12:13.001Z"), EventType.PROGRESS, "{}");

    String a = Json.read(onTheSecond.toJson()).path("ts").asString();
    String b = Json.read(Json.write(justAfter)).path("ts").asString();

    assertThat(a).isEqualTo("2026-11-27T11:12:13.000Z");
    assertThat(a).isLessThan(b);
    assertThat(Json.read(onTheSecond.toJson(), Event.class).ts()).isEqualTo(onTheSecond.ts());
  }

  @Test
  void readsTimestampsWrittenWithOrWithoutFractionDigits() {
    String json =
        "{\"fid\":\"f1\",\"seq\":1,\"ts\":\"%s\",\"kind\":\"process\",\"type\":\"progress\",\"data\":{}}";
    assertThat(Json.read(json.formatted("2026-11-27T11:12:13Z"), Event.class).ts())
        .isEqualTo(Instant.parse("2026-11-27T11:12:13Z"));
    assertThat(Json.read(json.formatted("2026-11-27T11:12:13.5Z"), Event.class).ts())
        .isEqualTo(Instant.parse("2026-11-27T11:12:13.500Z"));
  }

  @Test
  void rejectsEventsWithoutTheirIdentity() {
    assertThatThrownBy(() -> new Event(" ", 1, TS, "process", "final", "{}"))
        .hasMessageContaining("fid");
    assertThatThrownBy(() -> new Event("f1", 1, null, "process", "final", "{}"))
        .hasMessageContaining("ts");
    assertThatThrownBy(() -> new Event("f1", 1, TS, "", "final", "{}"))
        .hasMessageContaining("kind");
    assertThatThrownBy(() -> new Event("f1", 1, TS, "process", null, "{}"))
        .hasMessageContaining("type");
  }

  @Test
  void withSeqNumbersACopyAndKeepsTheRest() {
    Event e = Event.of("f1", 0, TS, EventType.STDOUT, "{\"line\":\"hi\"}");
    Event numbered = e.withSeq(42);
    assertThat(numbered.seq()).isEqualTo(42);
    assertThat(numbered)
        .isEqualTo(new Event("f1", 42, TS, "process", "stdout", "{\"line\":\"hi\"}"));
    assertThat(e.seq()).isZero();
  }
}
