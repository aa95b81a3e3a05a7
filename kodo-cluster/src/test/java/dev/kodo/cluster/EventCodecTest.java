package dev.kodo.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.KodoException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventCodecTest {
  private static final Instant TS = Instant.parse("2026-11-27T11:12:13.456Z");
  private static final String FID = "0190b2f4-6a3e-7c1d-8e2f-123456789abc";

  private static final String SENDER = "5a1c6b1e-3a1c-4c2b-9d7e-0f1e2d3c4b5a";

  private static Event event(EventType type, String data) {
    return Event.of(FID, 0, TS, type, data);
  }

  private static byte[] encode(List<Event> events) {
    return EventCodec.encode(SENDER, events);
  }

  private static List<Event> decode(byte[] bytes) {
    EventCodec.Batch batch = EventCodec.decode(bytes);
    assertThat(batch.sender()).isEqualTo(SENDER);
    return batch.events();
  }

  @Test
  void roundTripsABatchKeepingOrderFidTimeTypeKindAndData() {
    List<Event> batch =
        List.of(
            event(EventType.PROGRESS, "{\"value\":0.5,\"message\":\"half\"}"),
            Event.of(
                "0190b2f4-6a3e-7c1d-8e2f-000000000002",
                0,
                TS.plusMillis(1),
                EventType.RESULT_ERROR,
                "{\"message\":\"x\"}"),
            event(EventType.STDOUT, "{\"line\":\"hello\"}"),
            event(EventType.LOCK_TIMEOUT, "{\"lid\":\"l1\"}"),
            event(
                EventType.FINAL,
                "{\"result\":{\"format\":\"markdown\",\"body\":\"done\"},\"runtime\":1.25}"));

    assertThat(decode(encode(batch))).isEqualTo(batch);
  }

  @Test
  void everyCatalogueTypeComesBackWithItsKind() {
    List<Event> batch = Arrays.stream(EventType.values()).map(t -> event(t, "{}")).toList();

    List<Event> back = decode(encode(batch));

    assertThat(back).extracting(Event::eventType).containsExactly(EventType.values());
    assertThat(back)
        .extracting(Event::kind)
        .containsExactlyElementsOf(batch.stream().map(Event::kind).toList());
  }

  @Test
  void eventsTravelWithoutSeqBecauseTheNodeNumbersThem() {
    List<Event> back = decode(encode(List.of(Event.of(FID, 41, TS, EventType.PROGRESS, "{}"))));

    assertThat(back.getFirst().seq()).isZero();
  }

  @Test
  void keepsTheMillisecondOfEachTimestamp() {
    List<Event> batch =
        List.of(
            Event.of(FID, 0, Instant.EPOCH, EventType.PROGRESS, "{}"),
            Event.of(FID, 0, Instant.parse("1969-12-31T23:59:59.999Z"), EventType.PROGRESS, "{}"),
            Event.of(FID, 0, Instant.parse("2999-01-01T00:00:00.001Z"), EventType.PROGRESS, "{}"));

    assertThat(decode(encode(batch)))
        .extracting(Event::ts)
        .containsExactly(
            Instant.EPOCH,
            Instant.parse("1969-12-31T23:59:59.999Z"),
            Instant.parse("2999-01-01T00:00:00.001Z"));
  }

  @Test
  void carriesDataLargerThan64KiBUnchanged() {
    String body = "x".repeat(3 * 1024 * 1024) + "é😀";
    Event big = event(EventType.RESULT, "{\"format\":\"markdown\",\"body\":\"" + body + "\"}");

    Event back = decode(encode(List.of(big))).getFirst();

    assertThat(back.data()).isEqualTo(big.data());
    assertThat(back.dataNode().path("body").asString()).hasSize(body.length());
  }

  @Test
  void carriesUnicodeInDataAndIdsExactly() {
    String data =
        "{\"line\":\"漢字 😀 é \\u0000 \\u2028 \u2029 \\\"q\\\" \\\\ \\n\",\"nested\":{\"ü\":[1,\"🎉\"]}}";
    Event e = Event.of("run-😀-é", 0, TS, EventType.STDOUT, data);

    Event back = decode(encode(List.of(e))).getFirst();

    assertThat(back.fid()).isEqualTo("run-😀-é");
    assertThat(back.data()).isEqualTo(data);
  }

  @Test
  void carriesManyEventsInOrder() {
    List<Event> batch = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      batch.add(event(i % 2 == 0 ? EventType.PROGRESS : EventType.STDOUT, "{\"n\":" + i + "}"));
    }

    List<Event> back = decode(encode(batch));

    assertThat(back).hasSize(20_000);
    for (int i = 0; i < back.size(); i++) {
      assertThat(back.get(i).dataNode().path("n").asInt()).isEqualTo(i);
    }
  }

  @Test
  void anEmptyBatchIsAnEmptyList() {
    assertThat(decode(encode(List.of()))).isEmpty();
  }

  @Test
  void aBatchOfAnotherVersionIsRefusedWithAClearMessage() {
    byte[] bytes = encode(List.of(event(EventType.PROGRESS, "{}")));
    bytes[0] = 1;

    assertThatThrownBy(() -> decode(bytes))
        .isInstanceOf(KodoException.class)
        .hasMessageContaining("version 1")
        .hasMessageContaining("version 2")
        .hasMessageContaining("same Kodo release on every member");
  }

  @Test
  void aTruncatedBatchIsRefused() {
    byte[] bytes = encode(List.of(event(EventType.PROGRESS, "{\"value\":1}")));

    assertThatThrownBy(() -> decode(Arrays.copyOf(bytes, bytes.length - 3)))
        .isInstanceOf(KodoException.class)
        .hasMessageContaining("cannot decode event batch");
    assertThatThrownBy(() -> decode(new byte[0])).isInstanceOf(KodoException.class);
  }

  @Test
  void aBatchClaimingMoreThanItHoldsIsRefusedWithoutAllocatingIt() {
    byte[] bytes = encode(List.of(event(EventType.PROGRESS, "{}")));
    byte[] manyEvents = bytes.clone();
    ByteBuffer.wrap(manyEvents)
        .putInt(1 + 2 + SENDER.length(), Integer.MAX_VALUE); // after version and sender
    byte[] hugeData = bytes.clone();
    ByteBuffer.wrap(hugeData).putInt(bytes.length - 2 - 4, Integer.MAX_VALUE);

    assertThatThrownBy(() -> decode(manyEvents))
        .isInstanceOf(KodoException.class)
        .hasMessageContaining("claims");
    assertThatThrownBy(() -> decode(hugeData))
        .isInstanceOf(KodoException.class)
        .hasMessageContaining("claims");
  }

  @Test
  void anEventTypeOutsideTheCatalogueIsRefusedWhereItIsSent() {
    Event odd = new Event(FID, 0, TS, "process", "telemetry", "{}");

    assertThatThrownBy(() -> encode(List.of(odd)))
        .isInstanceOf(KodoException.class)
        .hasMessageContaining("'telemetry'");
  }
}
