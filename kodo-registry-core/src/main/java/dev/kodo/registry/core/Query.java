package dev.kodo.registry.core;

import dev.kodo.client.Check;
import dev.kodo.client.RegistryFlow;
import dev.kodo.client.RegistryNode;
import dev.kodo.registry.core.internal.Compiled;
import dev.kodo.registry.core.internal.Fields;
import java.time.Instant;
import java.util.List;

/**
 * A filter expression over flows or nodes — the {@code query} list parameter, a safe filter
 * expression that is never evaluated as code (docs/http-api.md#the-filter-language). It is read by
 * a hand-written parser into a tree of comparisons of fields with literal values; nothing in it is
 * ever executed, and text that is not part of the grammar is a syntax error. Types are checked when
 * parsing, so a query that parses always evaluates. Immutable and thread-safe.
 *
 * <pre>{@code
 * Query<RegistryFlow> q = Query.flows("availability > 0.9 and tags contains \"finance\"");
 * q.matches(record);
 * }</pre>
 *
 * <h2>Grammar</h2>
 *
 * <pre>
 * query      := or
 * or         := and ("or" and)*
 * and        := unary ("and" unary)*
 * unary      := "not" unary | "(" or ")" | comparison
 * comparison := field op value | field "in" "[" value ("," value)* "]" | boolean-field
 * op         := "=" | "!=" | "&lt;" | "&lt;=" | "&gt;" | "&gt;=" | "contains" | "~"
 * value      := "double-quoted string" | number | true | false | null
 * </pre>
 *
 * <ul>
 *   <li>{@code not} binds tighter than {@code and}, which binds tighter than {@code or}. Keywords
 *       and field names ignore case. Strings take the escapes {@code \" \\ \/ \n \t \r \}{@code
 *       uXXXX}; numbers are decimal ({@code -1}, {@code 0.5}, {@code 2e3}).
 *   <li>Text comparisons ignore case; {@code <} and {@code >} compare text in code-unit order of
 *       its lower-case form. {@code contains} is a substring test on text and an element test on
 *       tag lists; {@code ~} is a whole-text {@link dev.kodo.client.Glob} ({@code *}, {@code ?}).
 *   <li>On tag lists ({@code tags}, {@code node_tags}): {@code =} and {@code contains} mean "has
 *       this tag", {@code !=} "has not", {@code ~} "has a tag matching", {@code in} "has one of".
 *   <li>{@code release} compares by semver precedence ({@code release >= "2.0.0"}); with {@code
 *       contains} and {@code ~} as text.
 *   <li>Times ({@code heartbeat}, {@code published}, {@code registered}) compare with ISO-8601
 *       strings ({@code "2026-11-27T10:00:00Z"}) or dates ({@code "2026-11-27"}, midnight UTC);
 *       {@code heartbeat_age} is the seconds since the node was last heard from.
 *   <li>A boolean field alone means {@code field = true}: {@code online and not hidden}.
 *   <li>An absent value (never probed, never heard from) equals only {@code null}; {@code !=} is
 *       the negation of {@code =}; every other comparison with it is false.
 *   <li>Limits: {@value dev.kodo.registry.core.internal.Parser#MAX_LENGTH} characters, nesting of
 *       parentheses and {@code not} to {@value dev.kodo.registry.core.internal.Parser#MAX_DEPTH}
 *       levels, {@value dev.kodo.registry.core.internal.Parser#MAX_IN} values in an {@code in}
 *       list.
 * </ul>
 *
 * <p>Fields of flows: {@link #flowFields()}; of nodes: {@link #nodeFields()}. {@code health.KEY}
 * reads the node's last reported health figure {@code KEY} (a number, absent if not reported).
 *
 * @param <R> what the query filters: {@link RegistryFlow} or {@link RegistryNode}
 */
public final class Query<R> {
  private final String text;
  private final Compiled<R> compiled;

  private Query(String text, Compiled<R> compiled) {
    this.text = text;
    this.compiled = compiled;
  }

  /**
   * Parses a query over flows.
   *
   * @throws QuerySyntaxException with the column of the first problem
   */
  public static Query<RegistryFlow> flows(String text) {
    return new Query<>(text, Compiled.flows(Check.notNull(text, "query")));
  }

  /**
   * Parses a query over nodes.
   *
   * @throws QuerySyntaxException with the column of the first problem
   */
  public static Query<RegistryNode> nodes(String text) {
    return new Query<>(text, Compiled.nodes(Check.notNull(text, "query")));
  }

  /** The fields a query over flows may name. */
  public static List<String> flowFields() {
    return Fields.FLOWS.names();
  }

  /** The fields a query over nodes may name. */
  public static List<String> nodeFields() {
    return Fields.NODES.names();
  }

  /**
   * Whether the record matches now ({@code heartbeat_age} counts to now; {@code online} is the
   * record's).
   */
  public boolean matches(R record) {
    return matches(record, Instant.now());
  }

  /** Whether the record matches, with {@code heartbeat_age} counted to {@code now}. */
  public boolean matches(R record, Instant now) {
    return compiled.test(Check.notNull(record, "record"), now.toEpochMilli());
  }

  /** The query as written. */
  public String text() {
    return text;
  }

  /** The query as parsed: lower-case names, every {@code and}/{@code or} in parentheses. */
  @Override
  public String toString() {
    return compiled.canonical();
  }
}
