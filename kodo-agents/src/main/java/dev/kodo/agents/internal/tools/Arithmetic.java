package dev.kodo.agents.internal.tools;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The calculator's own arithmetic (docs/flows.md#how-a-crew-runs): {@code + - * / % ^},
 * parentheses, decimals and unary minus, evaluated in doubles; nothing else — no names, no
 * functions, no scripting engine. {@code ^} binds tighter than unary minus and to the right ({@code
 * -2^2 = -4}, {@code 2^3^2 = 512}). Input is bounded in length and nesting, so hostile text fails
 * fast with a message instead of exhausting the stack. Stateless and thread-safe.
 */
public final class Arithmetic {
  /** Longest expression accepted. */
  public static final int MAX_LENGTH = 1_000;

  /** Deepest nesting of parentheses and signs accepted. */
  public static final int MAX_DEPTH = 64;

  private static final int MAX_DIGITS = 60;
  private static final MathContext SIGNIFICANT = new MathContext(15);

  private final String text;
  private int pos;
  private int depth;

  private Arithmetic(String text) {
    this.text = text;
  }

  /**
   * The value of {@code expression}.
   *
   * @throws IllegalArgumentException saying what is wrong and where (column from 1)
   */
  public static double evaluate(String expression) {
    if (expression == null || expression.isBlank()) {
      throw new IllegalArgumentException("the expression is empty");
    }
    if (expression.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "the expression is too long ("
              + expression.length()
              + " characters, at most "
              + MAX_LENGTH
              + ")");
    }
    Arithmetic a = new Arithmetic(expression);
    double value = a.sum();
    a.skipSpace();
    if (a.pos < a.text.length()) {
      throw a.error("unexpected '" + a.text.charAt(a.pos) + "'");
    }
    if (Double.isNaN(value)) {
      throw new IllegalArgumentException("the result is not a number");
    }
    if (Double.isInfinite(value)) {
      throw new IllegalArgumentException("the result is too large");
    }
    return value;
  }

  /**
   * A value as the calculator shows it: to 15 significant digits (what a double holds reliably),
   * without a fraction when it is whole, in E notation beyond 1e21 or below 1e-6.
   */
  public static String format(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    BigDecimal d = new BigDecimal(value).round(SIGNIFICANT).stripTrailingZeros();
    double abs = Math.abs(value);
    return abs >= 1e21 || abs < 1e-6 ? d.toString() : d.toPlainString();
  }

  private double sum() {
    double value = product();
    while (true) {
      skipSpace();
      if (eat('+')) {
        value += product();
      } else if (eat('-')) {
        value -= product();
      } else {
        return value;
      }
    }
  }

  private double product() {
    double value = unary();
    while (true) {
      skipSpace();
      int at = pos;
      if (eat('*')) {
        value *= unary();
      } else if (eat('/')) {
        double d = unary();
        if (d == 0) {
          pos = at;
          throw error("division by zero");
        }
        value /= d;
      } else if (eat('%')) {
        double d = unary();
        if (d == 0) {
          pos = at;
          throw error("remainder of a division by zero");
        }
        value %= d;
      } else {
        return value;
      }
    }
  }

  private double unary() {
    skipSpace();
    if (eat('-')) {
      return -nested(this::unary);
    }
    if (eat('+')) {
      return nested(this::unary);
    }
    return power();
  }

  private double power() {
    double base = primary();
    skipSpace();
    if (eat('^')) {
      double exponent = nested(this::unary);
      double value = Math.pow(base, exponent);
      if (Double.isNaN(value)) {
        throw error("the power " + format(base) + "^" + format(exponent) + " is not a real number");
      }
      return value;
    }
    return base;
  }

  private double primary() {
    skipSpace();
    if (eat('(')) {
      double value = nested(this::sum);
      skipSpace();
      if (!eat(')')) {
        throw error(pos < text.length() ? "expected ')'" : "a '(' is not closed");
      }
      return value;
    }
    return number();
  }

  private double number() {
    int start = pos;
    boolean point = false;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c >= '0' && c <= '9') {
        pos++;
      } else if (c == '.' && !point) {
        point = true;
        pos++;
      } else {
        break;
      }
    }
    String literal = text.substring(start, pos);
    if (literal.isEmpty() || literal.equals(".")) {
      pos = start;
      throw error(
          pos < text.length()
              ? "expected a number, not '" + text.charAt(pos) + "'"
              : "expected a number at the end");
    }
    if (literal.length() > MAX_DIGITS) {
      pos = start;
      throw error("a number has more than " + MAX_DIGITS + " digits");
    }
    return Double.parseDouble(literal);
  }

  private double nested(java.util.function.DoubleSupplier inner) {
    if (++depth > MAX_DEPTH) {
      throw error("the expression nests deeper than " + MAX_DEPTH + " levels");
    }
    try {
      return inner.getAsDouble();
    } finally {
      depth--;
    }
  }

  private boolean eat(char c) {
    if (pos < text.length() && text.charAt(pos) == c) {
      pos++;
      return true;
    }
    return false;
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private IllegalArgumentException error(String message) {
    return new IllegalArgumentException(message + " at column " + (pos + 1));
  }
}
