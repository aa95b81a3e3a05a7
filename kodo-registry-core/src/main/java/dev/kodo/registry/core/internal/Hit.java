package dev.kodo.registry.core.internal;

/**
 * A record that matched a list request, with the node state it was judged by (so that sorting sees
 * the same values as filtering even while heartbeats arrive), its place in the default order (the
 * last tie-breaker), and its first sort key copied in ({@link QueryField#prime}): most comparisons
 * then read only this small object, not the entries it points to.
 */
final class Hit<E> {
  final E entry;
  final NodeState state;
  final int order;

  /** The first sort key is absent (sorts last). */
  boolean absent;

  /**
   * The first sort key as an ordered long: a number's bits, a time, or text's first four
   * characters.
   */
  long k;

  /** For text: the next four characters. */
  long k2;

  /** The first sort key itself when {@link #k} does not decide: text or a version. */
  Object key;

  Hit(E entry, NodeState state, int order) {
    this.entry = entry;
    this.state = state;
    this.order = order;
  }

  E entry() {
    return entry;
  }

  NodeState state() {
    return state;
  }

  int order() {
    return order;
  }
}
