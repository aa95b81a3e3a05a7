package dev.kodo.registry.core.internal;

import dev.kodo.client.Glob;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A parsed query: a tree of {@code and}, {@code or}, {@code not} and typed comparisons, evaluated
 * against an entry {@code E} and its node's state. Nothing in a query is ever executed: the tree
 * only reads fields and compares them with the query's literal values. Immutable and thread-safe.
 *
 * <p>Null rules: an absent value equals only {@code null}; {@code !=} is the negation of {@code =};
 * every other comparison with an absent value is false.
 */
public sealed interface Expr<E> {

  boolean test(E e, NodeState n, Eval x);

  /** The canonical text of this expression, fully parenthesised. */
  String show();

  /** A field compared with a literal by an operator: shown as {@code field op literal}. */
  sealed interface Comparison<E> extends Expr<E> {
    String field();

    Op op();

    String literal();

    @Override
    default String show() {
      return field() + " " + op().symbol + " " + literal();
    }
  }

  /** A field that is one of a list of literals: shown as {@code field in literal}. */
  sealed interface Membership<E> extends Expr<E> {
    String field();

    String literal();

    @Override
    default String show() {
      return field() + " in " + literal();
    }
  }

  /** All parts hold. */
  record And<E>(Expr<E>[] parts) implements Expr<E> {
    @Override
    public boolean test(E e, NodeState n, Eval x) {
      for (Expr<E> p : parts) {
        if (!p.test(e, n, x)) return false;
      }
      return true;
    }

    @Override
    public String show() {
      return Arrays.stream(parts).map(Expr::show).collect(Collectors.joining(" and ", "(", ")"));
    }
  }

  /** Some part holds. */
  record Or<E>(Expr<E>[] parts) implements Expr<E> {
    @Override
    public boolean test(E e, NodeState n, Eval x) {
      for (Expr<E> p : parts) {
        if (p.test(e, n, x)) return true;
      }
      return false;
    }

    @Override
    public String show() {
      return Arrays.stream(parts).map(Expr::show).collect(Collectors.joining(" or ", "(", ")"));
    }
  }

  /** The inner expression does not hold. */
  record Not<E>(Expr<E> inner) implements Expr<E> {
    @Override
    public boolean test(E e, NodeState n, Eval x) {
      return !inner.test(e, n, x);
    }

    @Override
    public String show() {
      return "not " + inner.show();
    }
  }

  /**
   * Text compared with a lower-cased literal (null: the {@code null} literal), or a glob for {@code
   * ~}.
   */
  record TextCmp<E>(
      String field, QueryField.TextGet<E> get, Op op, String value, Glob glob, String literal)
      implements Comparison<E> {
    @Override
    public boolean test(E e, NodeState n, Eval x) {
      String v = get.get(e, n, x);
      if (value == null && glob == null) {
        return (v == null) == (op == Op.EQ);
      }
      if (v == null) {
        return op == Op.NE;
      }
      return switch (op) {
        case CONTAINS -> v.contains(value);
        case MATCH -> glob.matchesLower(v);
        default -> op.holds(v.compareTo(value));
      };
    }
  }

  /** Text is one of a set of lower-cased literals. */
  record TextIn<E>(String field, QueryField.TextGet<E> get, Set<String> values, String literal)
      implements Membership<E> {
    @Override
    public boolean test(E e, NodeState n, Eval x) {
      String v = get.get(e, n, x);
      return v != null && values.contains(v);
    }
  }

  /** A number compared with a literal (NaN: the {@code null} literal). */
  record NumCmp<E>(String field, QueryField.NumGet<E> get, Op op, double value, String literal)
      implements Comparison<E> {
    @Override
    public boolean test(E e, NodeState n, Eval x) {
      double v = get.get(e, n, x);
      if (Double.isNaN(value)) {
        return Double.isNaN(v) == (op == Op.EQ);
      }
      if (Double.isNaN(v)) {
        return op == Op.NE;
      }
      return op.holds(Double.compare(v == 0.0 ? 0.0 : v, value == 0.0 ? 0.0 : value));
    }
  }

  /** A number is one of a list of literals. */
  record NumIn<E>(String field, QueryField.NumGet<E> get, double[] values, String literal)
      implements Membership<E> {
    @Override
    public boolean test(E e, NodeState n, Eval x) {
      double v = get.get(e, n, x);
      for (double d : values) {
        if (v == d) return true;
      }
      return false;
    }
  }

  /** A boolean field has a value. */
  record BoolIs<E>(String field, QueryField.BoolGet<E> get, boolean value) implements Expr<E> {
    @Override
    public boolean test(E e, NodeState n, Eval x) {
      return get.get(e, n, x) == value;
    }

    @Override
    public String show() {
      return field + " = " + value;
    }
  }

  /**
   * A time compared with a literal instant in epoch millis ({@link NodeState#NEVER}: {@code null}).
   */
  record TimeCmp<E>(String field, QueryField.TimeGet<E> get, Op op, long value, String literal)
      implements Comparison<E> {
    @Override
    public boolean test(E e, NodeState n, Eval x) {
      long v = get.get(e, n, x);
      if (value == NodeState.NEVER) {
        return (v == NodeState.NEVER) == (op == Op.EQ);
      }
      if (v == NodeState.NEVER) {
        return op == Op.NE;
      }
      return op.holds(Long.compare(v, value));
    }
  }

  /** A time is one of a list of instants. */
  record TimeIn<E>(String field, QueryField.TimeGet<E> get, Set<Long> values, String literal)
      implements Membership<E> {
    @Override
    public boolean test(E e, NodeState n, Eval x) {
      long v = get.get(e, n, x);
      return v != NodeState.NEVER && values.contains(v);
    }
  }

  /** A version compared by semver precedence. */
  record VersionCmp<E>(
      String field, QueryField.VersionGet<E> get, Op op, Semver value, String literal)
      implements Comparison<E> {
    @Override
    public boolean test(E e, NodeState n, Eval x) {
      return op.holds(get.get(e, n, x).compareTo(value));
    }
  }

  /** A version is one of a list. */
  record VersionIn<E>(String field, QueryField.VersionGet<E> get, Semver[] values, String literal)
      implements Membership<E> {
    @Override
    public boolean test(E e, NodeState n, Eval x) {
      Semver v = get.get(e, n, x);
      for (Semver s : values) {
        if (v.compareTo(s) == 0) return true;
      }
      return false;
    }
  }

  /**
   * A list of tags has ({@code =}, {@code contains}), has not ({@code !=}) an element equal to the
   * literal, or has one matching a glob ({@code ~}).
   */
  record TagsCmp<E>(
      String field, QueryField.ListGet<E> get, Op op, String value, Glob glob, String literal)
      implements Comparison<E> {
    @Override
    public boolean test(E e, NodeState n, Eval x) {
      boolean any = false;
      for (String t : get.get(e, n, x)) {
        if (op == Op.MATCH ? glob.matchesLower(t) : t.equals(value)) {
          any = true;
          break;
        }
      }
      return op == Op.NE ? !any : any;
    }
  }

  /** A list of tags has an element in a set of literals. */
  record TagsIn<E>(String field, QueryField.ListGet<E> get, Set<String> values, String literal)
      implements Membership<E> {
    @Override
    public boolean test(E e, NodeState n, Eval x) {
      for (String t : get.get(e, n, x)) {
        if (values.contains(t)) return true;
      }
      return false;
    }
  }
}
