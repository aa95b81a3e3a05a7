package dev.kodo.registry.core;

import static dev.kodo.registry.core.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.client.FlowAnnouncement;
import dev.kodo.client.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a node announces: valid records are accepted, each invalid one is rejected with its reason.
 */
class AnnouncementsTest {

  private static FlowAnnouncement flow(String path, String name, String release) {
    return new FlowAnnouncement(path, name, null, null, null, null, release, null);
  }

  @Test
  void aValidRecordIsAcceptedWithDefaults() {
    AnnouncementResult r =
        Announcements.validate(
            List.of(
                new FlowAnnouncement(
                    "reports/market.yaml",
                    "  Market report ",
                    null,
                    null,
                    null,
                    null,
                    "1.2.0",
                    List.of(" finance", "Finance", "weekly"))));
    assertThat(r.rejected()).isEmpty();
    assertThat(r.acceptedPaths()).containsExactly("reports/market.yaml");
    FlowAnnouncement a = r.accepted().get(0);
    assertThat(a.name()).isEqualTo("Market report");
    assertThat(a.description()).isEmpty();
    assertThat(a.author()).isEmpty();
    assertThat(a.organization()).isEmpty();
    assertThat(a.published()).isNull();
    assertThat(a.tags()).containsExactly("finance", "weekly");
  }

  @Test
  void eachInvalidRecordIsRejectedWithTheFieldAndReasonWhileValidOnesAreAccepted() {
    AnnouncementResult r =
        Announcements.validate(
            Arrays.asList(
                flow("a.yaml", "A", "1.0.0"),
                flow(null, "No path", "1.0.0"),
                flow("b.yaml", " ", "1.0.0"),
                flow("c.yaml", "C", null),
                flow("d.yaml", "D", "1.0"),
                flow("a.yaml", "A again", "2.0.0"),
                null,
                flow(" e.yaml", "E", "1.0.0"),
                flow("f.yaml", "F\u0007", "1.0.0"),
                flow("g.yaml", "x".repeat(201), "1.0.0"),
                new FlowAnnouncement(
                    "h.yaml", "H", null, null, null, null, "1.0.0", List.of("ok", "")),
                flow("i.yaml", "I", "2.0.0-rc.1+build.5")));

    assertThat(r.acceptedPaths()).containsExactly("a.yaml", "i.yaml");
    assertThat(r.rejected())
        .extracting(Rejection::message)
        .containsExactly(
            "flows[1]: path: is required",
            "flows[2] 'b.yaml': name: is required",
            "flows[3] 'c.yaml': release: is required",
            "flows[4] 'd.yaml': release: '1.0' is not a semantic version (MAJOR.MINOR.PATCH, e.g. 1.2.0 or 2.0.0-beta.1)",
            "flows[5] 'a.yaml': path: 'a.yaml' is announced twice (first at flows[0])",
            "flows[6]: flow: a flow record cannot be null",
            "flows[7] ' e.yaml': path: must not start or end with spaces",
            "flows[8] 'f.yaml': name: control character U+0007 at character 2 is not allowed",
            "flows[9] 'g.yaml': name: at most 200 characters are allowed, not 201",
            "flows[10] 'h.yaml': tags[1]: a tag cannot be empty");
    assertThat(r.rejected().get(3))
        .isEqualTo(
            new Rejection(
                4,
                "d.yaml",
                "release",
                "'1.0' is not a semantic version (MAJOR.MINOR.PATCH, e.g. 1.2.0 or 2.0.0-beta.1)"));
  }

  @Test
  void tooManyTagsOrTooLongATag() {
    List<String> tags = new ArrayList<>();
    for (int i = 0; i < 51; i++) tags.add("t" + i);
    AnnouncementResult r =
        Announcements.validate(
            List.of(
                new FlowAnnouncement("a", "A", null, null, null, null, "1.0.0", tags),
                new FlowAnnouncement(
                    "b", "B", null, null, null, null, "1.0.0", List.of("x".repeat(65)))));
    assertThat(r.rejected())
        .extracting(Rejection::message)
        .containsExactly(
            "flows[0] 'a': tags: at most 50 tags are allowed, not 51",
            "flows[1] 'b': tags[0]: a tag has at most 64 characters, '"
                + "x".repeat(40)
                + "…' has 65");
  }

  @Test
  void atMost10000FlowsPerAnnouncement() {
    List<FlowAnnouncement> many = Collections.nCopies(10_001, flow("a", "A", "1.0.0"));
    assertThatThrownBy(() -> Announcements.validate(many))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.parameter()).isEqualTo("flows"))
        .hasMessage(
            "flows: a node may announce at most 10000 flows (kodo.registry.max-flows-per-node), not 10001");
  }

  @Test
  void fromJsonRejectsRecordsWithFieldsOfTheWrongType() {
    String body =
        """
        [
          {"path": "a.yaml", "name": "A", "release": "1.0.0", "published": "2026-11-27T10:00:00Z",
           "tags": ["x"], "schema": {"type": "object"}},
          {"path": "b.yaml", "name": 42, "release": "1.0.0"},
          {"path": "c.yaml", "name": "C", "release": "1.0.0", "tags": "finance"},
          {"path": "d.yaml", "name": "D", "release": "1.0.0", "tags": ["ok", 3]},
          {"path": "e.yaml", "name": "E", "release": "1.0.0", "published": "last tuesday"},
          "f.yaml",
          {"path": "g.yaml", "name": "G", "release": "1.0"},
          {"path": "h.yaml", "name": "H", "release": "0.1.0", "published": "2026-11-27T11:00:00+01:00"}
        ]""";
    AnnouncementResult r = Announcements.fromJson(Json.read(body));

    assertThat(r.acceptedPaths()).containsExactly("a.yaml", "h.yaml");
    assertThat(r.accepted().get(0).published()).isEqualTo(T0);
    assertThat(r.accepted().get(1).published()).isEqualTo(T0);
    assertThat(r.rejected())
        .extracting(Rejection::message)
        .containsExactly(
            "flows[1] 'b.yaml': name: expected a string, not a number",
            "flows[2] 'c.yaml': tags: expected an array of strings, not a string",
            "flows[3] 'd.yaml': tags[1]: expected a string, not a number",
            "flows[4] 'e.yaml': published: 'last tuesday' is not an ISO-8601 time like 2026-11-27T11:12:13Z",
            "flows[5]: flow: expected a flow record (an object), not a string",
            "flows[6] 'g.yaml': release: '1.0' is not a semantic version (MAJOR.MINOR.PATCH, e.g. 1.2.0 or 2.0.0-beta.1)");
  }

  @Test
  void fromJsonNeedsAnArray() {
    assertThatThrownBy(() -> Announcements.fromJson(Json.read("{\"path\":\"a\"}")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("flows: expected an array of flow records, not an object");
    assertThat(Announcements.fromJson(null).accepted()).isEmpty();
  }
}
