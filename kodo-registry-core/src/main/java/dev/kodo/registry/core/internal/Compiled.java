package dev.kodo.registry.core.internal;

import dev.kodo.client.RegistryFlow;
import dev.kodo.client.RegistryNode;

/**
 * The bridge from the public {@code Query} to the parsed tree: parses and evaluates against
 * records.
 */
public final class Compiled<R> {
  private final Predicate<R> test;
  private final String canonical;

  private interface Predicate<R> {
    boolean test(R record, long now);
  }

  private Compiled(Predicate<R> test, String canonical) {
    this.test = test;
    this.canonical = canonical;
  }

  /** Parses a query over flows; throws {@link dev.kodo.registry.core.QuerySyntaxException}. */
  public static Compiled<RegistryFlow> flows(String query) {
    Expr<FlowEntry> e = Parser.parse(query, Fields.FLOWS);
    return new Compiled<>(
        (r, now) -> {
          NodeState n = Records.stateOf(r);
          return e.test(Records.entryOf(r, n), n, Eval.ofRecords(now));
        },
        e.show());
  }

  /** Parses a query over nodes; throws {@link dev.kodo.registry.core.QuerySyntaxException}. */
  public static Compiled<RegistryNode> nodes(String query) {
    Expr<NodeSlot> e = Parser.parse(query, Fields.NODES);
    return new Compiled<>(
        (r, now) -> {
          NodeState n = Records.stateOf(r);
          return e.test(Records.slotOf(r, n), n, Eval.ofRecords(now));
        },
        e.show());
  }

  public boolean test(R record, long now) {
    return test.test(record, now);
  }

  public String canonical() {
    return canonical;
  }
}
