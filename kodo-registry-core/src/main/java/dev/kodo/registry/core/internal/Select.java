package dev.kodo.registry.core.internal;

import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Puts the elements of ranks {@code [from, to)} of an array in their sorted places without sorting
 * the rest: a quicksort that only descends into the parts overlapping the range, so a page deep in
 * a large list costs about linear time plus sorting the page. Random pivots keep bad inputs from
 * making it quadratic in practice.
 */
final class Select {
  private static final int SMALL = 32;

  private Select() {}

  /**
   * Sorts ranks {@code [from, to)} of the first {@code length} elements of {@code a} into place.
   */
  static <T> void range(T[] a, int length, int from, int to, Comparator<? super T> c) {
    range(a, 0, length, from, to, c, ThreadLocalRandom.current());
  }

  static <T> void range(T[] a, int from, int to, Comparator<? super T> c) {
    range(a, a.length, from, to, c);
  }

  /**
   * Sorts the part of {@code [from, to)} that lies in {@code [lo, hi)}, which holds those ranks'
   * elements.
   */
  private static <T> void range(
      T[] a, int lo, int hi, int from, int to, Comparator<? super T> c, ThreadLocalRandom random) {
    while (lo < hi && hi > from && lo < to) {
      if (hi - lo <= SMALL || (from <= lo && hi <= to)) {
        Arrays.sort(a, lo, hi, c);
        return;
      }
      int[] p = partition(a, lo, hi, c, random);
      int lt = p[0];
      int gt = p[1];
      // now [lo, lt) < pivot <= [lt, gt) <= pivot < [gt, hi): the middle is in place
      boolean left = from < lt;
      boolean right = to > gt;
      if (left && right) {
        range(a, lo, lt, from, to, c, random);
        lo = gt;
      } else if (left) {
        hi = lt;
      } else if (right) {
        lo = gt;
      } else {
        return;
      }
    }
  }

  /** Three-way partition around a random pivot; answers the bounds of the equal part. */
  private static <T> int[] partition(
      T[] a, int lo, int hi, Comparator<? super T> c, ThreadLocalRandom random) {
    T pivot = a[random.nextInt(lo, hi)];
    int lt = lo;
    int i = lo;
    int gt = hi;
    while (i < gt) {
      int cmp = c.compare(a[i], pivot);
      if (cmp < 0) {
        swap(a, lt++, i++);
      } else if (cmp > 0) {
        swap(a, i, --gt);
      } else {
        i++;
      }
    }
    return new int[] {lt, gt};
  }

  private static <T> void swap(T[] a, int i, int j) {
    T t = a[i];
    a[i] = a[j];
    a[j] = t;
  }

  /**
   * Sorts ranks {@code [from, to)} of the first {@code length} longs of {@code a} into place (in
   * ascending order), the same way without comparators or boxing: for hits keyed by a precomputed
   * rank ({@link FlowLists}).
   */
  static void range(long[] a, int length, int from, int to) {
    range(a, 0, length, from, to, ThreadLocalRandom.current());
  }

  private static void range(long[] a, int lo, int hi, int from, int to, ThreadLocalRandom random) {
    while (lo < hi && hi > from && lo < to) {
      if (hi - lo <= SMALL || (from <= lo && hi <= to)) {
        Arrays.sort(a, lo, hi);
        return;
      }
      long pivot = a[random.nextInt(lo, hi)];
      int lt = lo;
      int i = lo;
      int gt = hi;
      while (i < gt) {
        long v = a[i];
        if (v < pivot) {
          a[i++] = a[lt];
          a[lt++] = v;
        } else if (v > pivot) {
          a[i] = a[--gt];
          a[gt] = v;
        } else {
          i++;
        }
      }
      // now [lo, lt) < pivot == [lt, gt) < [gt, hi): the middle is in place
      boolean left = from < lt;
      boolean right = to > gt;
      if (left && right) {
        range(a, lo, lt, from, to, random);
        lo = gt;
      } else if (left) {
        hi = lt;
      } else if (right) {
        lo = gt;
      } else {
        return;
      }
    }
  }
}
