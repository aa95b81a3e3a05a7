package dev.kodo.registry.core.internal;

import dev.kodo.client.Glob;
import java.util.Arrays;
import java.util.BitSet;

/**
 * The searchable texts of one node's flows joined into one string, so that a search scans
 * contiguous memory instead of visiting many small strings: the needle is looked for with {@link
 * String#indexOf}, each hit is mapped to its flow, and the scan jumps to the next flow. Flows are
 * separated by U+0001 and fields by U+0000, which a search cannot contain. Immutable; made when the
 * node's flows change.
 */
final class SearchText {
  static final SearchText EMPTY = new SearchText("", new int[] {0});
  private static final char FLOW_SEPARATOR = '\u0001';
  private static final char FIELD_SEPARATOR = '\u0000';

  private final String text;
  private final int[] starts;

  private SearchText(String text, int[] starts) {
    this.text = text;
    this.starts = starts;
  }

  static SearchText of(FlowEntry[] flows) {
    if (flows.length == 0) return EMPTY;
    int length = 0;
    for (FlowEntry f : flows) {
      for (String field : f.searchFields) length += field.length() + 1;
    }
    StringBuilder b = new StringBuilder(length);
    int[] starts = new int[flows.length + 1];
    for (int i = 0; i < flows.length; i++) {
      starts[i] = b.length();
      String[] fields = flows[i].searchFields;
      for (int j = 0; j < fields.length; j++) {
        if (j > 0) b.append(FIELD_SEPARATOR);
        b.append(fields[j]);
      }
      b.append(FLOW_SEPARATOR);
    }
    starts[flows.length] = b.length();
    return new SearchText(b.toString(), starts);
  }

  /**
   * Sets bit {@code base + i} of {@code hits} for each flow {@code i} the glob matches: found in
   * the joined text, then checked field by field (in place) if the glob is anchored.
   */
  void find(Glob g, BitSet hits, int base) {
    int count = starts.length - 1;
    String needle = g.needle();
    if (needle.isEmpty()) {
      for (int i = 0; i < count; i++) {
        if (anyField(g, i)) hits.set(base + i);
      }
      return;
    }
    int at = text.indexOf(needle);
    while (at >= 0) {
      int i = flowAt(at);
      if (g.containsNeedle() || anyField(g, i)) {
        hits.set(base + i);
      }
      at = text.indexOf(needle, starts[i + 1]);
    }
  }

  /** Whether the glob matches one of flow {@code i}'s fields as a whole, read in place. */
  private boolean anyField(Glob g, int i) {
    int end = starts[i + 1] - 1;
    int from = starts[i];
    while (from <= end) {
      int to = text.indexOf(FIELD_SEPARATOR, from);
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
