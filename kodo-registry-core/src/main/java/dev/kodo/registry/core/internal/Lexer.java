package dev.kodo.registry.core.internal;

import dev.kodo.registry.core.QuerySyntaxException;
import dev.kodo.registry.core.internal.Token.Kind;

/**
 * Splits a query into {@link Token}s on demand, so that the first error in reading order is the one
 * reported. Only ASCII letters, digits and the listed symbols may appear outside strings; any other
 * character (including look-alike letters, invisible and direction-changing characters) is an error
 * there, and is taken literally inside a string. Not thread-safe; one per parse.
 */
final class Lexer {
  private static final int MAX_WORD = 64;
  private static final int MAX_NUMBER = 32;

  private final String q;
  private int i;

  Lexer(String query) {
    this.q = query;
  }

  /** The 1-based column of a char offset, counting characters as a person does (code points). */
  int column(int offset) {
    return q.codePointCount(0, Math.min(offset, q.length())) + 1;
  }

  QuerySyntaxException error(int offset, String reason) {
    return new QuerySyntaxException(column(offset), reason);
  }

  Token next() {
    while (i < q.length() && isSpace(q.charAt(i))) i++;
    if (i >= q.length()) {
      return new Token(Kind.END, "", q.length(), q.length(), null);
    }
    int start = i;
    char c = q.charAt(i);
    if (isLetter(c) || c == '_') return word(start);
    if (isDigit(c) || c == '-') return number(start);
    if (c == '"') return string(start);
    i++;
    return switch (c) {
      case '(' -> symbol(Kind.LPAREN, start);
      case ')' -> symbol(Kind.RPAREN, start);
      case '[' -> symbol(Kind.LBRACKET, start);
      case ']' -> symbol(Kind.RBRACKET, start);
      case ',' -> symbol(Kind.COMMA, start);
      case '~' -> symbol(Kind.MATCH, start);
      case '=' -> {
        if (peek('=')) throw error(start, "use '=' to compare, not '=='");
        yield symbol(Kind.EQ, start);
      }
      case '!' -> {
        if (!peek('=')) throw error(start, "use 'not' to negate, not '!'");
        i++;
        yield symbol(Kind.NE, start);
      }
      case '<' -> {
        if (peek('>')) throw error(start, "use '!=' for 'not equal', not '<>'");
        if (peek('=')) {
          i++;
          yield symbol(Kind.LE, start);
        }
        yield symbol(Kind.LT, start);
      }
      case '>' -> {
        if (peek('=')) {
          i++;
          yield symbol(Kind.GE, start);
        }
        yield symbol(Kind.GT, start);
      }
      case '&' -> throw error(start, "use 'and', not '" + (peek('&') ? "&&" : "&") + "'");
      case '|' -> throw error(start, "use 'or', not '" + (peek('|') ? "||" : "|") + "'");
      case '\'' ->
          throw error(start, "strings are written in double quotes (\"…\"), not single quotes");
      default -> throw error(start, "unexpected character " + show(q.codePointAt(start)));
    };
  }

  private boolean peek(char c) {
    return i < q.length() && q.charAt(i) == c;
  }

  private Token symbol(Kind kind, int start) {
    return new Token(kind, q.substring(start, i), start, i, null);
  }

  private Token word(int start) {
    while (i < q.length()
        && (isLetter(q.charAt(i))
            || isDigit(q.charAt(i))
            || q.charAt(i) == '_'
            || q.charAt(i) == '.')) {
      i++;
    }
    if (i - start > MAX_WORD) {
      throw error(start, "a name has at most " + MAX_WORD + " characters");
    }
    glued();
    return new Token(Kind.WORD, q.substring(start, i), start, i, null);
  }

  private Token number(int start) {
    if (q.charAt(i) == '-') {
      i++;
      if (i >= q.length() || !isDigit(q.charAt(i))) {
        throw error(start, "expected a digit after '-'");
      }
    }
    digits();
    if (peek('.')) {
      i++;
      if (i >= q.length() || !isDigit(q.charAt(i))) {
        throw error(i, "expected a digit after the decimal point");
      }
      digits();
    }
    if (peek('e') || peek('E')) {
      int e = i++;
      if (peek('+') || peek('-')) i++;
      if (i >= q.length() || !isDigit(q.charAt(i))) {
        throw error(e, "expected the exponent's digits after '" + q.charAt(e) + "'");
      }
      digits();
    }
    String text = q.substring(start, i);
    if (text.length() > MAX_NUMBER) {
      throw error(start, "a number has at most " + MAX_NUMBER + " characters");
    }
    glued();
    double v = Double.parseDouble(text);
    if (Double.isInfinite(v)) {
      throw error(start, "the number " + text + " is out of range");
    }
    return new Token(Kind.NUMBER, text, start, i, v);
  }

  /**
   * A word or number glued to a character outside ASCII (a look-alike letter, an invisible mark) is
   * that character's error.
   */
  private void glued() {
    if (i < q.length() && q.charAt(i) >= 0x80) {
      throw error(i, "unexpected character " + show(q.codePointAt(i)));
    }
  }

  private void digits() {
    while (i < q.length() && isDigit(q.charAt(i))) i++;
  }

  private Token string(int start) {
    StringBuilder value = new StringBuilder();
    i++;
    while (true) {
      if (i >= q.length()) {
        throw error(
            start, "unterminated string: the '\"' at " + column(start) + " has no closing '\"'");
      }
      char c = q.charAt(i);
      if (c == '"') {
        i++;
        return new Token(Kind.STRING, q.substring(start, i), start, i, value.toString());
      }
      if (c == '\\') {
        value.append(escape());
        continue;
      }
      if (Texts.isControl(c)) {
        throw error(
            i,
            "control character U+" + Texts.hex(c) + " in a string; write it as \\u" + Texts.hex(c));
      }
      value.append(c);
      i++;
    }
  }

  private char escape() {
    int at = i++;
    if (i >= q.length()) {
      throw error(at, "a string cannot end with '\\'");
    }
    char e = q.charAt(i++);
    return switch (e) {
      case '"' -> '"';
      case '\\' -> '\\';
      case '/' -> '/';
      case 'n' -> '\n';
      case 't' -> '\t';
      case 'r' -> '\r';
      case 'u' -> {
        if (i + 4 > q.length() || !q.substring(i, i + 4).matches("[0-9A-Fa-f]{4}")) {
          throw error(at, "expected four hex digits after '\\u'");
        }
        char u = (char) Integer.parseInt(q.substring(i, i + 4), 16);
        i += 4;
        yield u;
      }
      default ->
          throw error(
              at,
              "invalid escape '\\"
                  + show(q.codePointAt(i - 1)).replace("'", "")
                  + "' in a string; use \\\" \\\\ \\n \\t \\r or \\uXXXX");
    };
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  private static boolean isLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /**
   * A character as a message shows it: printable ASCII quoted, anything else also by code point.
   */
  private static String show(int cp) {
    if (cp > 0x20 && cp < 0x7f) {
      return "'" + (char) cp + "'";
    }
    String code = "U+" + Texts.hex(cp);
    int type = Character.getType(cp);
    boolean visible =
        !Character.isISOControl(cp)
            && !Character.isWhitespace(cp)
            && !Character.isSpaceChar(cp)
            && type != Character.FORMAT
            && type != Character.UNASSIGNED
            && type != Character.PRIVATE_USE
            && type != Character.SURROGATE;
    return visible ? "'" + new String(Character.toChars(cp)) + "' (" + code + ")" : code;
  }
}
