package dev.kodo.registry.core.internal;

/** The comparison operators of the query language. */
enum Op {
  EQ("="),
  NE("!="),
  LT("<"),
  LE("<="),
  GT(">"),
  GE(">="),
  CONTAINS("contains"),
  MATCH("~"),
  IN("in");

  final String symbol;

  Op(String symbol) {
    this.symbol = symbol;
  }

  boolean ordering() {
    return this == LT || this == LE || this == GT || this == GE;
  }

  /** Whether {@code c} (a comparison's result, like {@code compareTo}) satisfies this operator. */
  boolean holds(int c) {
    return switch (this) {
      case EQ -> c == 0;
      case NE -> c != 0;
      case LT -> c < 0;
      case LE -> c <= 0;
      case GT -> c > 0;
      case GE -> c >= 0;
      default -> throw new IllegalStateException(symbol + " is not a comparison of order");
    };
  }
}
