package dev.kodo.node.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.node.NodeProperties;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveHubTest {
  private final LiveHub hub = new LiveHub(new NodeProperties());

  private static Event event(String fid, long seq) {
    return Event.of(
        fid,
        seq,
        Instant.parse("2026-12-07T05:00:00.123Z"),
        EventType.RESULT,
        "{\"n\":" + seq + "}");
  }

  @Test
  void theStreamsOfARunShareEachEventAndItsFrame() throws Exception {
    try (Subscription a = hub.subscribe("f-1");
        Subscription b = hub.subscribe("f-1");
        Subscription other = hub.subscribe("f-2")) {
      hub.publish(List.of(event("f-1", 1), event("f-1", 2)));

      List<LiveEvent> seenByA = a.poll(1_000);
      List<LiveEvent> seenByB = b.poll(1_000);
      assertThat(seenByA).extracting(le -> le.event.seq()).containsExactly(1L, 2L);
      assertThat(seenByB).hasSize(2);
      assertThat(seenByB.get(0)).isSameAs(seenByA.get(0));
      byte[] frame = seenByA.get(0).frame();
      assertThat(seenByB.get(0).frame()).isSameAs(frame);
      assertThat(other.poll(10)).isEmpty();
    }
  }

  @Test
  void aFrameIsTheEventAsOneServerSentEvent() {
    Event e = event("f-1", 7);
    assertThat(new String(new LiveEvent(e).frame(), StandardCharsets.UTF_8))
        .isEqualTo(
            "id: 7\nevent: result\ndata: {\"fid\":\"f-1\",\"seq\":7,\"ts\":\"2026-12-07T05:00:00.123Z\","
                + "\"kind\":\"process\",\"type\":\"result\",\"data\":{\"n\":7}}\n\n")
        .isEqualTo(new String(LiveEvent.frame(e), StandardCharsets.UTF_8));
  }

  @Test
  void aStreamThatFallsBehindIsToldAndStartsAfresh() throws Exception {
    try (Subscription s = hub.subscribe("f-1")) {
      for (int seq = 1; seq <= 8_193; seq++) {
        hub.publish(List.of(event("f-1", seq)));
      }
      assertThat(s.lagged()).isTrue();
      assertThat(s.lagged()).isFalse();
      assertThat(s.poll(10)).isEmpty();
      hub.publish(List.of(event("f-1", 8_194)));
      assertThat(s.poll(1_000)).extracting(le -> le.event.seq()).containsExactly(8_194L);
    }
  }
}
