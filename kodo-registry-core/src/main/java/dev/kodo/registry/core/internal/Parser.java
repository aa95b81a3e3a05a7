package dev.kodo.registry.core.internal;

import dev.kodo.client.Glob;
import dev.kodo.client.Json;
import dev.kodo.registry.core.QuerySyntaxException;
import dev.kodo.registry.core.internal.Token.Kind;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A recursive-descent parser of the query language into an {@link Expr} over the given {@link
 * Fields}; types are checked here, so a query that parses cannot fail when evaluated.
 *
 * <pre>
 * query      := or END
 * or         := and ("or" and)*
 * and        := unary ("and" unary)*
 * unary      := "not" unary | primary
 * primary    := "(" or ")" | comparison
 * comparison := FIELD op value | FIELD "in" "[" value ("," value)* "]" | BOOLFIELD
 * op         := "=" | "!=" | "&lt;" | "&lt;=" | "&gt;" | "&gt;=" | "contains" | "~"
 * value      := STRING | NUMBER | "true" | "false" | "null"
 * </pre>
 *
 * Keywords and field names ignore case. Not thread-safe; one per query.
 */
public final class Parser<E> {
  /** The longest query accepted, in characters. */
  public static final int MAX_LENGTH = 2_000;

  /** How deep parentheses and {@code not} may nest. */
  public static final int MAX_DEPTH = 32;

  /** How many values an {@code in} list may hold. */
  public static final int MAX_IN = 100;

  private static final String OPERATORS = "=, !=, <, <=, >, >=, contains, ~ or in";

  private final Lexer lexer;
  private final Fields<E> fields;
  private Token tok;
  private Token prev;

  private Parser(String query, Fields<E> fields) {
    this.lexer = new Lexer(query);
    this.fields = fields;
  }

  /**
   * Parses {@code query} against {@code fields}.
   *
   * @throws QuerySyntaxException at the first problem, with its column
   */
  public static <E> Expr<E> parse(String query, Fields<E> fields) {
    if (query.length() > MAX_LENGTH) {
      throw new QuerySyntaxException(
          MAX_LENGTH + 1,
          "the query is "
              + query.length()
              + " characters long; at most "
              + MAX_LENGTH
              + " are allowed");
    }
    Parser<E> p = new Parser<>(query, fields);
    p.advance();
    Expr<E> e = p.or(0, null);
    if (p.tok.kind() != Kind.END) {
      throw p.error(p.tok, "expected 'and', 'or' or end of query but found " + p.tok.describe());
    }
    return e;
  }

  private void advance() {
    prev = tok;
    tok = lexer.next();
  }

  private QuerySyntaxException error(Token at, String reason) {
    return lexer.error(at.start(), reason);
  }

  @SuppressWarnings("unchecked")
  private Expr<E> or(int depth, Token open) {
    List<Expr<E>> parts = new ArrayList<>();
    parts.add(and(depth, open));
    while (tok.is("or")) {
      advance();
      parts.add(and(depth, open));
    }
    return parts.size() == 1 ? parts.get(0) : new Expr.Or<>(parts.toArray(Expr[]::new));
  }

  @SuppressWarnings("unchecked")
  private Expr<E> and(int depth, Token open) {
    List<Expr<E>> parts = new ArrayList<>();
    parts.add(unary(depth, open));
    while (tok.is("and")) {
      advance();
      parts.add(unary(depth, open));
    }
    return parts.size() == 1 ? parts.get(0) : new Expr.And<>(parts.toArray(Expr[]::new));
  }

  private Expr<E> unary(int depth, Token open) {
    if (tok.is("not")) {
      deeper(depth);
      advance();
      return new Expr.Not<>(unary(depth + 1, open));
    }
    return primary(depth, open);
  }

  private void deeper(int depth) {
    if (depth + 1 > MAX_DEPTH) {
      throw error(
          tok, "the query nests deeper than " + MAX_DEPTH + " levels of parentheses and 'not'");
    }
  }

  private Expr<E> primary(int depth, Token open) {
    if (tok.kind() == Kind.LPAREN) {
      deeper(depth);
      Token paren = tok;
      advance();
      Expr<E> inner = or(depth + 1, paren);
      if (tok.kind() != Kind.RPAREN) {
        throw error(
            tok,
            "expected 'and', 'or' or ')' to close the '(' at "
                + lexer.column(paren.start())
                + " but found "
                + tok.describe());
      }
      advance();
      return inner;
    }
    if (tok.kind() == Kind.WORD && !tok.isKeyword()) {
      return comparison();
    }
    String after =
        prev == null
            ? ""
            : " after "
                + (prev.kind() == Kind.WORD ? "'" + prev.word() + "'" : "'" + prev.text() + "'");
    throw error(
        tok, "expected a field name, 'not' or '('" + after + " but found " + tok.describe());
  }

  private Expr<E> comparison() {
    Token name = tok;
    QueryField<E> field = fields.find(name.word());
    if (field == null) {
      String hint = fields.suggest(name.word());
      throw error(
          name,
          "unknown field '"
              + Texts.echo(name.text())
              + "'"
              + (hint == null ? "" : " (did you mean '" + hint + "'?)")
              + "; "
              + fields.what
              + " have: "
              + String.join(", ", fields.names()));
    }
    advance();
    Op op = operator();
    if (op == null) {
      if (field instanceof QueryField.Bool<E> b) {
        return new Expr.BoolIs<>(b.name(), b.get(), true);
      }
      String hint = tok.is("not") ? "; to negate a comparison write 'not' before it" : "";
      throw error(
          tok,
          "expected an operator ("
              + OPERATORS
              + ") after '"
              + field.name()
              + "' but found "
              + tok.describe()
              + hint);
    }
    checkOperator(field, op);
    Token opToken = tok;
    advance();
    return op == Op.IN ? in(field, opToken) : compare(field, op);
  }

  private Op operator() {
    return switch (tok.kind()) {
      case EQ -> Op.EQ;
      case NE -> Op.NE;
      case LT -> Op.LT;
      case LE -> Op.LE;
      case GT -> Op.GT;
      case GE -> Op.GE;
      case MATCH -> Op.MATCH;
      case WORD -> tok.is("contains") ? Op.CONTAINS : tok.is("in") ? Op.IN : null;
      default -> null;
    };
  }

  private void checkOperator(QueryField<E> field, Op op) {
    String allowed =
        switch (field.type()) {
          case TEXT, VERSION -> null;
          case NUMBER, TIME ->
              op == Op.CONTAINS || op == Op.MATCH ? "=, !=, <, <=, >, >= or in" : null;
          case BOOL -> op == Op.EQ || op == Op.NE ? null : "= or !=";
          case LIST -> op.ordering() ? "contains, =, !=, ~ or in" : null;
        };
    if (allowed != null) {
      throw error(
          tok,
          "'"
              + op.symbol
              + "' cannot compare "
              + field.name()
              + ", which is "
              + field.type().noun
              + "; use "
              + allowed);
    }
  }

  private Expr<E> compare(QueryField<E> field, Op op) {
    Token v = tok;
    if (v.is("null")) {
      if (op != Op.EQ && op != Op.NE) {
        throw error(v, "null can only be compared with = or !=, not '" + op.symbol + "'");
      }
      if (!field.nullable()) {
        throw error(v, field.name() + " is never null");
      }
      advance();
      return switch (field) {
        case QueryField.Text<E> t -> new Expr.TextCmp<>(t.name(), t.get(), op, null, null, "null");
        case QueryField.Num<E> n -> new Expr.NumCmp<>(n.name(), n.get(), op, Double.NaN, "null");
        case QueryField.Time<E> t ->
            new Expr.TimeCmp<>(t.name(), t.get(), op, NodeState.NEVER, "null");
        default ->
            throw new IllegalStateException(
                field.name() + " is nullable but has no null comparison");
      };
    }
    boolean textual = op == Op.CONTAINS || op == Op.MATCH;
    return switch (field) {
      case QueryField.Text<E> t -> textCmp(t.name(), t.get(), op, string(field, "text"));
      case QueryField.Version<E> ver when textual ->
          textCmp(ver.name(), ver.text(), op, string(field, "text"));
      case QueryField.Version<E> ver -> {
        String s = string(field, null);
        yield new Expr.VersionCmp<>(ver.name(), ver.get(), op, version(s, v), Json.quote(s));
      }
      case QueryField.Num<E> n -> {
        double d = number(field);
        yield new Expr.NumCmp<>(n.name(), n.get(), op, d, v.text());
      }
      case QueryField.Bool<E> b -> {
        boolean value = bool(field);
        yield new Expr.BoolIs<>(b.name(), b.get(), op == Op.EQ ? value : !value);
      }
      case QueryField.Time<E> t -> {
        String s = string(field, null);
        yield new Expr.TimeCmp<>(t.name(), t.get(), op, time(s, v), Json.quote(s));
      }
      case QueryField.Tags<E> l -> {
        String s = string(field, null);
        yield new Expr.TagsCmp<>(
            l.name(),
            l.get(),
            op,
            Texts.lower(s),
            op == Op.MATCH ? Glob.exact(s) : null,
            Json.quote(s));
      }
    };
  }

  private Expr<E> textCmp(String name, QueryField.TextGet<E> get, Op op, String s) {
    return new Expr.TextCmp<>(
        name, get, op, Texts.lower(s), op == Op.MATCH ? Glob.exact(s) : null, Json.quote(s));
  }

  private Expr<E> in(QueryField<E> field, Token inToken) {
    if (tok.kind() != Kind.LBRACKET) {
      throw error(tok, "expected '[' to start the list after 'in' but found " + tok.describe());
    }
    advance();
    if (tok.kind() == Kind.RBRACKET) {
      throw error(tok, "an 'in' list needs at least one value");
    }
    List<Token> tokens = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    while (true) {
      if (tokens.size() == MAX_IN) {
        throw error(tok, "an 'in' list holds at most " + MAX_IN + " values");
      }
      Token v = tok;
      if (v.is("null")) {
        throw error(
            v,
            "null cannot be in an 'in' list; compare with '" + field.name() + " = null' instead");
      }
      values.add(
          switch (field.type()) {
            case TEXT, LIST -> Texts.lower(string(field, null));
            case VERSION -> version(string(field, null), v);
            case NUMBER -> number(field);
            case BOOL -> bool(field);
            case TIME -> time(string(field, null), v);
          });
      tokens.add(v);
      if (tok.kind() == Kind.COMMA) {
        advance();
      } else if (tok.kind() == Kind.RBRACKET) {
        advance();
        break;
      } else {
        throw error(
            tok,
            "expected ',' or ']' in the list after 'in' at "
                + lexer.column(inToken.start())
                + " but found "
                + tok.describe());
      }
    }
    String literal =
        "["
            + String.join(
                ", ",
                tokens.stream()
                    .map(
                        t ->
                            t.kind() == Kind.STRING
                                ? Json.quote((String) t.value())
                                : t.word() != null ? t.word() : t.text())
                    .toList())
            + "]";
    return switch (field) {
      case QueryField.Text<E> t ->
          new Expr.TextIn<>(t.name(), t.get(), Set.copyOf(strings(values)), literal);
      case QueryField.Tags<E> l ->
          new Expr.TagsIn<>(l.name(), l.get(), Set.copyOf(strings(values)), literal);
      case QueryField.Version<E> ver ->
          new Expr.VersionIn<>(ver.name(), ver.get(), values.toArray(Semver[]::new), literal);
      case QueryField.Num<E> n ->
          new Expr.NumIn<>(
              n.name(), n.get(), values.stream().mapToDouble(o -> (Double) o).toArray(), literal);
      case QueryField.Time<E> t -> {
        Set<Long> times = new HashSet<>();
        values.forEach(o -> times.add((Long) o));
        yield new Expr.TimeIn<>(t.name(), t.get(), Set.copyOf(times), literal);
      }
      case QueryField.Bool<E> b -> {
        boolean t = values.contains(Boolean.TRUE);
        boolean f = values.contains(Boolean.FALSE);
        yield t && f
            ? new Expr.Or<E>(
                array(
                    new Expr.BoolIs<>(b.name(), b.get(), true),
                    new Expr.BoolIs<>(b.name(), b.get(), false)))
            : new Expr.BoolIs<>(b.name(), b.get(), t);
      }
    };
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <E> Expr<E>[] array(Expr<E> a, Expr<E> b) {
    return new Expr[] {a, b};
  }

  private static List<String> strings(List<Object> values) {
    return values.stream().map(String.class::cast).toList();
  }

  /**
   * The current token as a string; {@code what} overrides the type's wording when it is compared as
   * text.
   */
  private String string(QueryField<E> field, String what) {
    if (tok.kind() != Kind.STRING) {
      throw mismatch(field, what == null ? field.type().expected : "a string in double quotes");
    }
    String s = (String) tok.value();
    advance();
    return s;
  }

  private double number(QueryField<E> field) {
    if (tok.kind() != Kind.NUMBER) {
      throw mismatch(field, field.type().expected);
    }
    double d = (Double) tok.value();
    advance();
    return d;
  }

  private boolean bool(QueryField<E> field) {
    if (!(tok.is("true") || tok.is("false"))) {
      throw mismatch(field, field.type().expected);
    }
    boolean b = tok.is("true");
    advance();
    return b;
  }

  private QuerySyntaxException mismatch(QueryField<E> field, String expected) {
    String after = "'" + (prev.kind() == Kind.WORD ? prev.word() : prev.text()) + "'";
    boolean wrongValue =
        tok.kind() == Kind.STRING || tok.kind() == Kind.NUMBER || tok.is("true") || tok.is("false");
    return error(
        tok,
        (wrongValue ? field.name() + " is " + field.type().noun + ": " : "")
            + "expected "
            + expected
            + " after "
            + after
            + " but found "
            + tok.describe());
  }

  private Semver version(String s, Token at) {
    Semver v = Semver.parse(s);
    if (v == null) {
      throw error(at, "\"" + Texts.echo(s) + "\" is not a semantic version like \"1.2.0\"");
    }
    return v;
  }

  private long time(String s, Token at) {
    try {
      return OffsetDateTime.parse(s).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      try {
        return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
      } catch (DateTimeParseException e2) {
        throw error(
            at,
            "\""
                + Texts.echo(s)
                + "\" is not a time: use ISO-8601 like \"2026-11-27T10:00:00Z\" or a date"
                + " like \"2026-11-27\"");
      }
    }
  }
}
