package dev.kodo.registry.internal;

import dev.kodo.registry.Glob;
import java.util.Arrays;
import java.util.BitSet;

/**
 * The searchable texts of every flow of a snapshot joined into one string, so that a search scans
 * contiguous memory once instead of visiting 100,000 small strings: the needle is looked for with
 * {@link String#indexOf}, each hit is mapped to its flow, and the scan jumps to the next flow.
 * Flows are separated by U+0001 and fields by U+0000, which a search cannot contain. Immutable;
 * built once per snapshot on the first search.
 */
final class SearchText {
  private static final char FLOW_SEPARATOR = '\u0001';

  private final String text;
  private final int[] starts;

  private SearchText(String text, int[] starts) {
    this.text = text;
    this.starts = starts;
  }

  static SearchText of(FlowEntry[] flows) {
    int length = 0;
    for (FlowEntry f : flows) length += f.haystack.length() + 1;
    StringBuilder b = new StringBuilder(length);
    int[] starts = new int[flows.length + 1];
    for (int i = 0; i < flows.length; i++) {
      starts[i] = b.length();
      b.append(flows[i].haystack).append(FLOW_SEPARATOR);
    }
    starts[flows.length] = b.length();
    return new SearchText(b.toString(), starts);
  }

  /** The flows (by index) the glob matches: found in the joined text, then checked field by field if the glob is anchored. */
  BitSet find(Glob g, FlowEntry[] flows) {
    BitSet hits = new BitSet(flows.length);
    String needle = g.needle();
    if (needle.isEmpty()) {
      for (int i = 0; i < flows.length; i++) {
        if (anyField(g, i)) hits.set(i);
      }
      return hits;
    }
    int at = text.indexOf(needle);
    while (at >= 0) {
      int i = flowAt(at);
      if (g.substring() || anyField(g, i)) {
        hits.set(i);
      }
      at = text.indexOf(needle, starts[i + 1]);
    }
    return hits;
  }

  /** Whether the glob matches one of flow {@code i}'s fields as a whole, read in place. */
  private boolean anyField(Glob g, int i) {
    int end = starts[i + 1] - 1;
    int from = starts[i];
    while (from <= end) {
      int to = text.indexOf('\u0000', from);
      if (to < 0 || to > end) to = end;
      if (g.matchesLower(text, from, to)) return true;
      from = to + 1;
    }
    return false;
  }

  private int flowAt(int offset) {
    int i = Arrays.binarySearch(starts, offset);
    return i >= 0 ? i : -i - 2;
  }
}
