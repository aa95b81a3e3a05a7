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
}
