package dev.kodo.registry.core.internal;

import dev.kodo.registry.core.InvalidRequestException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * A parsed {@code by} parameter — {@code field [asc|desc], …} — as a comparator of hits; ties fall
 * back to the default order, so every order is total and pages never overlap. Immutable.
 */
final class Sort<E> {
  static final int MAX_KEYS = 8;

  private record Key<E>(QueryField<E> field, boolean descending) {}

  private final List<Key<E>> keys;

  private Sort(List<Key<E>> keys) {
    this.keys = keys;
  }

  /** True if no key was given: the default order. */
  boolean isDefault() {
    return keys.isEmpty();
  }

  /**
   * Parses {@code by} (null or blank: the default order).
   *
   * @throws InvalidRequestException ({@code by}) naming the unknown field or bad direction
   */
  static <E> Sort<E> parse(String by, Fields<E> fields) {
    List<Key<E>> keys = new ArrayList<>();
    if (by == null || by.isBlank()) {
      return new Sort<>(keys);
    }
    if (by.length() > 500) {
      throw new InvalidRequestException(
          "by", "at most 500 characters are allowed, not " + by.length());
    }
    String[] parts = by.split(",", -1);
    if (parts.length > MAX_KEYS) {
      throw new InvalidRequestException(
          "by", "at most " + MAX_KEYS + " sort keys are allowed, not " + parts.length);
    }
    for (String part : parts) {
      String[] words = part.strip().split("[ \t]+");
      if (words[0].isEmpty()) {
        throw new InvalidRequestException(
            "by", "expected 'field asc|desc' between the commas of '" + Texts.echo(by) + "'");
      }
      if (words.length > 2) {
        throw new InvalidRequestException(
            "by", "expected 'field asc|desc', not '" + Texts.echo(part.strip()) + "'");
      }
      String name = Texts.lower(words[0]);
      QueryField<E> field = fields.find(name);
      if (field == null || field instanceof QueryField.Tags) {
        String hint = field == null ? fields.suggest(name) : null;
        throw new InvalidRequestException(
            "by",
            "cannot sort "
                + fields.what
                + " by '"
                + Texts.echo(words[0])
                + "'"
                + (hint == null ? "" : " (did you mean '" + hint + "'?)")
                + "; sortable fields: "
                + String.join(", ", fields.sortable()));
      }
      boolean desc = false;
      if (words.length == 2) {
        switch (Texts.lower(words[1])) {
          case "asc" -> desc = false;
          case "desc" -> desc = true;
          default ->
              throw new InvalidRequestException(
                  "by",
                  "the direction after '"
                      + field.name()
                      + "' is asc or desc, not '"
                      + Texts.echo(words[1])
                      + "'");
        }
      }
      keys.add(new Key<>(field, desc));
    }
    return new Sort<>(List.copyOf(keys));
  }

  /** Copies the first key into a hit, for the comparator's first and most frequent test. */
  void prime(Hit<E> h, Eval x) {
    keys.get(0).field().prime(h, x);
  }

  /**
   * The comparator for one request, judged at {@code x}; hits must be {@linkplain #prime primed}.
   */
  Comparator<Hit<E>> comparator(Eval x) {
    return comparator(x, keys.size());
  }

  /** How many keys there are. */
  int size() {
    return keys.size();
  }

  /**
   * Where the keys that all read only what {@code fixed} accepts begin: {@link #size()} if the last
   * key does not, 0 if every key does.
   */
  int fixedFrom(Predicate<QueryField<E>> fixed) {
    int from = keys.size();
    while (from > 0 && fixed.test(keys.get(from - 1).field())) from--;
    return from;
  }

  /**
   * The keys from {@code from} on, as text that tells different orders apart (e.g. {@code name
   * asc}).
   */
  String show(int from) {
    StringBuilder b = new StringBuilder();
    for (int i = from; i < keys.size(); i++) {
      if (b.length() > 0) b.append(',');
      b.append(keys.get(i).field().name()).append(keys.get(i).descending() ? " desc" : " asc");
    }
    return b.toString();
  }

  /**
   * The order of the keys from {@code from} on, then {@link Hit#order()}: a total order of hits
   * (unprimed), for ranking every entry once by the keys that never change ({@link
   * Snapshot#ranks}).
   */
  Comparator<Hit<E>> rest(Eval x, int from) {
    Comparator<Hit<E>> c = (a, b) -> Integer.compare(a.order(), b.order());
    for (int i = keys.size() - 1; i >= from; i--) {
      Key<E> k = keys.get(i);
      c = k.field().comparator(x, k.descending()).thenComparing(c);
    }
    return c;
  }

  /**
   * The comparator of the first {@code upTo} keys, then {@link Hit#order()} — which holds the
   * default order or, when the hits were made so, their rank by the remaining keys; hits must be
   * {@linkplain #prime primed} if {@code upTo > 0}.
   */
  Comparator<Hit<E>> comparator(Eval x, int upTo) {
    Comparator<Hit<E>> c = null;
    for (Key<E> k : keys.subList(0, upTo)) {
      Comparator<Hit<E>> next =
          c == null
              ? QueryField.primed(k.descending(), k.field().type() == QueryField.Type.TEXT)
              : k.field().comparator(x, k.descending());
      c = c == null ? next : c.thenComparing(next);
    }
    Comparator<Hit<E>> byOrder = (a, b) -> Integer.compare(a.order(), b.order());
    return c == null ? byOrder : c.thenComparing(byOrder);
  }
}
