package dev.kodo.registry.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SelectTest {

  @Test
  void theRangeEndsUpAsInAFullSort() {
    Random random = new Random(11);
    for (int round = 0; round < 200; round++) {
      int n = random.nextInt(3000) + 1;
      Integer[] a = new Integer[n];
      for (int i = 0; i < n; i++) a[i] = random.nextInt(round % 2 == 0 ? 50 : 1_000_000);
      Integer[] sorted = a.clone();
      Arrays.sort(sorted);
      int from = random.nextInt(n);
      int to = Math.min(n, from + random.nextInt(1200) + 1);
      Select.range(a, from, to, Comparator.naturalOrder());
      assertThat(Arrays.copyOfRange(a, from, to))
          .as("n=%d [%d,%d)", n, from, to)
          .containsExactly(Arrays.copyOfRange(sorted, from, to));
    }
  }

  @Test
  void theRangeOfLongsEndsUpAsInAFullSortLeavingTheRestAround() {
    Random random = new Random(12);
    for (int round = 0; round < 400; round++) {
      int n = random.nextInt(round < 100 ? 40 : 3000) + 1;
      int length = round % 3 == 0 ? n : random.nextInt(n) + 1;
      long[] a = new long[n];
      for (int i = 0; i < n; i++) a[i] = random.nextInt(round % 2 == 0 ? 50 : 1_000_000);
      long[] sorted = Arrays.copyOf(a, length);
      Arrays.sort(sorted);
      long[] tail = Arrays.copyOfRange(a, length, n);
      // the edges: the first rank, the last, one past the end, an empty range
      int from =
          switch (round % 4) {
            case 0 -> 0;
            case 1 -> length - 1;
            case 2 -> length;
            default -> random.nextInt(length);
          };
      int to = Math.min(length, from + random.nextInt(120) + (round % 5 == 0 ? 0 : 1));
      Select.range(a, length, from, to);
      assertThat(Arrays.copyOfRange(a, from, to))
          .as("n=%d length=%d [%d,%d)", n, length, from, to)
          .containsExactly(Arrays.copyOfRange(sorted, from, to));
      long[] all = Arrays.copyOf(a, length);
      Arrays.sort(all);
      assertThat(all).as("the same elements").containsExactly(sorted);
      assertThat(Arrays.copyOfRange(a, length, n))
          .as("past length untouched")
          .containsExactly(tail);
    }
  }
}
