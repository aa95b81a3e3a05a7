package dev.kodo.registry.core.internal;

import java.util.Set;

/**
 * One token of a query: its kind, its text as written, where it starts and ends (char offsets), and
 * for strings and numbers the value it stands for.
 */
record Token(Token.Kind kind, String text, int start, int end, Object value) {
  enum Kind {
    WORD,
    STRING,
    NUMBER,
    EQ,
    NE,
    LT,
    LE,
    GT,
    GE,
    MATCH,
    LPAREN,
    RPAREN,
    LBRACKET,
    RBRACKET,
    COMMA,
    END
  }

  static final Set<String> KEYWORDS =
      Set.of("and", "or", "not", "in", "contains", "true", "false", "null");

  /** The word in lower case (keywords and field names ignore case); null for other kinds. */
  String word() {
    return kind == Kind.WORD ? Texts.lower(text) : null;
  }

  boolean is(String keyword) {
    return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
  }

  boolean isKeyword() {
    return kind == Kind.WORD && KEYWORDS.contains(word());
  }

  /**
   * How a message names this token: {@code end of query}, {@code the string "x"}, {@code 'and'}.
   */
  String describe() {
    return switch (kind) {
      case END -> "end of query";
      case STRING -> "the string \"" + Texts.echo((String) value) + "\"";
      case NUMBER -> "the number " + Texts.echo(text);
      case WORD -> "'" + Texts.echo(text) + "'";
      default -> "'" + text + "'";
    };
  }
}
