package dev.kodo.registry.core.internal;

import dev.kodo.client.Glob;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * The words of every flow's searchable texts, each with the flows that hold it: made for one {@link
 * Snapshot} so that a search looks through the vocabulary (thousands of words) instead of the texts
 * (tens of megabytes at 100,000 flows).
 *
 * <p>A word is a longest run of letters and digits. A needle of letters and digits only occurs in a
 * text exactly when it occurs inside one of its words, so for such a needle the flows holding a
 * word that contains it are the flows whose texts contain it — no text is read. A glob anchored at
 * a field's start or end ({@code invoice*}) is then checked on those flows alone. A needle holding
 * other characters (a space, a dot) is left to the scan ({@link #find} answers null). Immutable.
 */
final class WordIndex {
  private final String[] words;
  private final int[][] flows;

  private WordIndex(String[] words, int[][] flows) {
    this.words = words;
    this.flows = flows;
  }

  /** The index of {@code entries}, by their position in that array. */
  static WordIndex of(FlowEntry[] entries) {
    Map<String, Postings> byWord = new HashMap<>();
    for (int i = 0; i < entries.length; i++) {
      for (String field : entries[i].searchFields) {
        int n = field.length();
        int start = -1;
        for (int c = 0; c <= n; c++) {
          boolean word = c < n && Character.isLetterOrDigit(field.charAt(c));
          if (word && start < 0) {
            start = c;
          } else if (!word && start >= 0) {
            byWord.computeIfAbsent(field.substring(start, c), k -> new Postings()).add(i);
            start = -1;
          }
        }
      }
    }
    String[] words = new String[byWord.size()];
    int[][] flows = new int[words.length][];
    int w = 0;
    for (Map.Entry<String, Postings> e : byWord.entrySet()) {
      words[w] = e.getKey();
      flows[w++] = e.getValue().toArray();
    }
    return new WordIndex(words, flows);
  }

  /** Whether {@link #find} can answer for this glob: its needle is letters and digits only. */
  static boolean answers(Glob g) {
    String needle = g.needle();
    if (needle.isEmpty()) return false;
    for (int i = 0; i < needle.length(); i++) {
      if (!Character.isLetterOrDigit(needle.charAt(i))) return false;
    }
    return true;
  }

  /**
   * The flows (of {@code entries}, the array this index was made of) the glob matches, or null if
   * this index cannot tell ({@link #answers}).
   */
  BitSet find(Glob g, FlowEntry[] entries) {
    if (!answers(g)) return null;
    String needle = g.needle();
    BitSet hits = new BitSet(entries.length);
    for (int w = 0; w < words.length; w++) {
      if (words[w].contains(needle)) {
        for (int f : flows[w]) hits.set(f);
      }
    }
    if (!g.containsNeedle()) {
      for (int f = hits.nextSetBit(0); f >= 0; f = hits.nextSetBit(f + 1)) {
        if (!matchesAField(g, entries[f].searchFields)) hits.clear(f);
      }
    }
    return hits;
  }

  private static boolean matchesAField(Glob g, String[] fields) {
    for (String field : fields) {
      if (g.matchesLower(field)) return true;
    }
    return false;
  }

  /** The distinct words. */
  int size() {
    return words.length;
  }

  /** Ascending flow positions, each once (flows are added in order). */
  private static final class Postings {
    private int[] items = new int[4];
    private int size;

    void add(int flow) {
      if (size > 0 && items[size - 1] == flow) return;
      if (size == items.length) items = Arrays.copyOf(items, size * 2);
      items[size++] = flow;
    }

    int[] toArray() {
      return Arrays.copyOf(items, size);
    }
  }
}
