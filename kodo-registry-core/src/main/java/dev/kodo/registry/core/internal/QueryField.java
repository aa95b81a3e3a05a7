package dev.kodo.registry.core.internal;

import java.util.Comparator;

/**
 * A field a query can compare and a list can be sorted by, with its type and how to read it from an
 * entry {@code E} and its node's state. Text is read lower-cased; absent values are null (text),
 * NaN (numbers) or {@link NodeState#NEVER} (times).
 */
public sealed interface QueryField<E> {

  /** The types a field can have, as messages name them. */
  enum Type {
    TEXT("text", "a string in double quotes"),
    NUMBER("a number", "a number"),
    BOOL("a boolean", "true or false"),
    TIME("a time", "a time in double quotes like \"2026-11-27T10:00:00Z\""),
    VERSION("a semantic version", "a version in double quotes like \"1.2.0\""),
    LIST("a list of tags", "a string in double quotes");

    final String noun;
    final String expected;

    Type(String noun, String expected) {
      this.noun = noun;
      this.expected = expected;
    }
  }

  String name();

  Type type();

  /** Whether the field can be absent ({@code = null} makes sense). */
  boolean nullable();

  /** Orders hits by this field, absent values last in either direction. */
  Comparator<Hit<E>> comparator(Eval x, boolean descending);

  /** Copies this field's value into the hit as its first sort key. */
  default void prime(Hit<E> h, Eval x) {
    throw new UnsupportedOperationException(name() + " cannot be sorted by");
  }

  /** Orders hits by the first sort key {@link #prime} copied in; absent values last. */
  static <E> Comparator<Hit<E>> primed(boolean descending, boolean text) {
    return (a, b) -> {
      if (a.absent || b.absent) return absentLast(a.absent, b.absent, 0, descending);
      int c = text ? Long.compareUnsigned(a.k, b.k) : Long.compare(a.k, b.k);
      if (c == 0 && text) c = Long.compareUnsigned(a.k2, b.k2);
      if (c == 0 && a.key != null) c = compareKeys(a.key, b.key);
      return absentLast(false, false, c, descending);
    };
  }

  /**
   * The one ordering rule of every field: an absent value comes after a present one in either
   * direction (two absent ones are equal); two present ones compare as {@code c}, reversed when
   * {@code descending}.
   */
  static int absentLast(boolean absentA, boolean absentB, int c, boolean descending) {
    if (absentA || absentB) return absentA ? (absentB ? 0 : 1) : -1;
    return descending ? -c : c;
  }

  @SuppressWarnings("unchecked")
  private static int compareKeys(Object a, Object b) {
    return ((Comparable<Object>) a).compareTo(b);
  }

  /**
   * Four characters of {@code s} from {@code from} packed so that unsigned order is {@link
   * String#compareTo} order (a shorter text is padded with U+0000, which texts never hold).
   */
  static long abbreviate(String s, int from) {
    long v = 0;
    for (int i = from; i < from + 4; i++) {
      v = (v << 16) | (i < s.length() ? s.charAt(i) : 0);
    }
    return v;
  }

  /** A double's bits as a long that orders like the double (not NaN). */
  static long ordered(double d) {
    long bits = Double.doubleToLongBits(d == 0.0 ? 0.0 : d);
    return bits ^ ((bits >> 63) & 0x7fffffffffffffffL);
  }

  /** Reads text. */
  @FunctionalInterface
  interface TextGet<E> {
    String get(E e, NodeState n, Eval x);
  }

  /** Reads a number. */
  @FunctionalInterface
  interface NumGet<E> {
    double get(E e, NodeState n, Eval x);
  }

  /** Reads a boolean. */
  @FunctionalInterface
  interface BoolGet<E> {
    boolean get(E e, NodeState n, Eval x);
  }

  /** Reads epoch milliseconds. */
  @FunctionalInterface
  interface TimeGet<E> {
    long get(E e, NodeState n, Eval x);
  }

  /** Reads a version. */
  @FunctionalInterface
  interface VersionGet<E> {
    Semver get(E e, NodeState n, Eval x);
  }

  /** Reads a list of lower-cased texts. */
  @FunctionalInterface
  interface ListGet<E> {
    String[] get(E e, NodeState n, Eval x);
  }

  /** A text field. */
  record Text<E>(String name, boolean nullable, TextGet<E> get) implements QueryField<E> {
    @Override
    public Type type() {
      return Type.TEXT;
    }

    @Override
    public void prime(Hit<E> h, Eval x) {
      String v = get.get(h.entry, h.state, x);
      h.absent = v == null;
      h.k = v == null ? 0 : abbreviate(v, 0);
      h.k2 = v == null ? 0 : abbreviate(v, 4);
      h.key = v;
    }

    @Override
    public Comparator<Hit<E>> comparator(Eval x, boolean descending) {
      return (a, b) -> {
        String va = get.get(a.entry(), a.state(), x);
        String vb = get.get(b.entry(), b.state(), x);
        boolean na = va == null;
        boolean nb = vb == null;
        return absentLast(na, nb, na || nb ? 0 : va.compareTo(vb), descending);
      };
    }
  }

  /** A number field. */
  record Num<E>(String name, boolean nullable, NumGet<E> get) implements QueryField<E> {
    @Override
    public Type type() {
      return Type.NUMBER;
    }

    @Override
    public void prime(Hit<E> h, Eval x) {
      double v = get.get(h.entry, h.state, x);
      h.absent = Double.isNaN(v);
      h.k = h.absent ? 0 : ordered(v);
    }

    @Override
    public Comparator<Hit<E>> comparator(Eval x, boolean descending) {
      return (a, b) -> {
        double va = get.get(a.entry(), a.state(), x);
        double vb = get.get(b.entry(), b.state(), x);
        return absentLast(Double.isNaN(va), Double.isNaN(vb), Double.compare(va, vb), descending);
      };
    }
  }

  /** A boolean field (false before true). */
  record Bool<E>(String name, BoolGet<E> get) implements QueryField<E> {
    @Override
    public Type type() {
      return Type.BOOL;
    }

    @Override
    public void prime(Hit<E> h, Eval x) {
      h.k = get.get(h.entry, h.state, x) ? 1 : 0;
    }

    @Override
    public boolean nullable() {
      return false;
    }

    @Override
    public Comparator<Hit<E>> comparator(Eval x, boolean descending) {
      return (a, b) -> {
        int c = Boolean.compare(get.get(a.entry(), a.state(), x), get.get(b.entry(), b.state(), x));
        return absentLast(false, false, c, descending);
      };
    }
  }

  /** A time field. */
  record Time<E>(String name, TimeGet<E> get) implements QueryField<E> {
    @Override
    public Type type() {
      return Type.TIME;
    }

    @Override
    public void prime(Hit<E> h, Eval x) {
      long v = get.get(h.entry, h.state, x);
      h.absent = v == NodeState.NEVER;
      h.k = v;
    }

    @Override
    public boolean nullable() {
      return true;
    }

    @Override
    public Comparator<Hit<E>> comparator(Eval x, boolean descending) {
      return (a, b) -> {
        long va = get.get(a.entry(), a.state(), x);
        long vb = get.get(b.entry(), b.state(), x);
        return absentLast(
            va == NodeState.NEVER, vb == NodeState.NEVER, Long.compare(va, vb), descending);
      };
    }
  }

  /** A semantic-version field; {@code text} reads it as text for {@code contains} and {@code ~}. */
  record Version<E>(String name, VersionGet<E> get, TextGet<E> text) implements QueryField<E> {
    @Override
    public Type type() {
      return Type.VERSION;
    }

    @Override
    public void prime(Hit<E> h, Eval x) {
      h.key = get.get(h.entry, h.state, x);
    }

    @Override
    public boolean nullable() {
      return false;
    }

    @Override
    public Comparator<Hit<E>> comparator(Eval x, boolean descending) {
      return (a, b) -> {
        int c = get.get(a.entry(), a.state(), x).compareTo(get.get(b.entry(), b.state(), x));
        return absentLast(false, false, c, descending);
      };
    }
  }

  /** A list-of-tags field; it cannot be sorted by. */
  record Tags<E>(String name, ListGet<E> get) implements QueryField<E> {
    @Override
    public Type type() {
      return Type.LIST;
    }

    @Override
    public boolean nullable() {
      return false;
    }

    @Override
    public Comparator<Hit<E>> comparator(Eval x, boolean descending) {
      throw new UnsupportedOperationException(name + " cannot be sorted by");
    }
  }
}
