package dev.kodo.registry.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.Constraints;
import dev.kodo.client.FlowAnnouncement;
import dev.kodo.client.Glob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The word index finds exactly what scanning the texts finds, and leaves to the scan what it cannot
 * tell.
 */
class WordIndexTest {
  private static final String[] WORDS = {
    "Report",
    "weekly",
    "invoice",
    "Invoices",
    "triage",
    "summary",
    "summarize",
    "Übersicht",
    "naïve",
    "q3",
    "2026",
    "a",
    "ticket",
    "tickets",
    "security",
    "globex",
    "translator",
    "fr-translator",
    "com.acme.flows",
    "budget_extractor",
    "x"
  };

  private static FlowEntry[] flows(int count, long seed) {
    Random r = new Random(seed);
    NodeEntry node = new NodeEntry(NodeState.registered("node-" + seed, 0));
    FlowEntry[] out = new FlowEntry[count];
    for (int i = 0; i < count; i++) {
      out[i] =
          new FlowEntry(
              node,
              new FlowAnnouncement(
                  "p/" + i + "-" + words(r, 1),
                  words(r, 2),
                  words(r, 8),
                  words(r, 2),
                  words(r, 1),
                  Instant.EPOCH,
                  "1.0.0",
                  List.of(words(r, 1), words(r, 1))),
              Constraints.NONE);
    }
    return out;
  }

  private static String words(Random r, int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) b.append(r.nextBoolean() ? " " : ", ");
      b.append(WORDS[r.nextInt(WORDS.length)]);
    }
    return b.toString();
  }

  private static BitSet scan(Glob g, FlowEntry[] flows) {
    BitSet out = new BitSet();
    for (int i = 0; i < flows.length; i++) {
      for (String f : flows[i].searchFields) {
        if (g.matchesLower(f)) {
          out.set(i);
          break;
        }
      }
    }
    return out;
  }

  @Test
  void findsExactlyWhatAScanFinds() {
    FlowEntry[] flows = flows(2_000, 7);
    WordIndex index = WordIndex.of(flows);
    assertThat(index.size()).isGreaterThan(10);
    List<String> searches =
        new ArrayList<>(
            List.of(
                "invoice",
                "INVOICE",
                "summar",
                "*summar*",
                "invoice*",
                "*translator",
                "report*",
                "*2026",
                "q3",
                "übersicht",
                "naïve",
                "ticket",
                "tickets",
                "x",
                "a",
                "*ticket*s*",
                "zzz",
                "*zzz*",
                "weekly*report",
                "?ummary",
                "s?mmary*"));
    for (String s : searches) {
      Glob g = Glob.search(s);
      BitSet found = index.find(g, flows);
      assertThat(found).as(s).isNotNull();
      assertThat(found).as(s).isEqualTo(scan(g, flows));
    }
  }

  @Test
  void leavesNeedlesWithOtherCharactersToTheScan() {
    WordIndex index = WordIndex.of(flows(50, 3));
    for (String s :
        List.of(
            "acme.flows", "fr-translator", "weekly report", "*", "?", "budget_extractor", "p/1*")) {
      assertThat(index.find(Glob.search(s), flows(50, 3))).as(s).isNull();
    }
  }

  @Test
  void aSnapshotAnswersTheSameWithAndWithoutItsWordIndex() {
    FlowEntry[] flows = flows(300, 11);
    // one node holding all flows is enough for the snapshot's two ways to be compared
    NodeSlot slot = new NodeSlot(flows[0].node, flows, Map.of());
    Snapshot s = new Snapshot(NodeList.of(new ArrayList<>(List.of(slot))));
    List<BitSet> scanned = new ArrayList<>();
    List<String> searches =
        List.of("invoice", "*summar*", "report*", "acme.flows", "fr-translator", "*", "q3");
    for (String q : searches) scanned.add(s.search(Glob.search(q)));
    assertThat(s.hasWords()).isFalse();
    s.makeWords();
    assertThat(s.hasWords()).isTrue();
    for (int i = 0; i < searches.size(); i++) {
      assertThat(s.search(Glob.search(searches.get(i))))
          .as(searches.get(i))
          .isEqualTo(scanned.get(i));
    }
  }
}
