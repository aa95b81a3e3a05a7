package dev.kodo.node.testflows;

import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.Result;

/**
 * Throws the {@link Error} its {@code kind} input names: {@code oom}, {@code internal}, {@code
 * stack} (a real stack overflow), {@code init} (a class whose static initialiser fails) or {@code
 * linkage} (a class that failed to initialise, used again: {@link NoClassDefFoundError}, as from a
 * bad jar).
 */
public final class Erring implements Flow {
  @Override
  public FlowSpec spec() {
    return FlowSpec.builder("Erring")
        .inputs(Form.builder().text("kind", f -> f.required()))
        .build();
  }

  @Override
  public Result run(FlowContext ctx) {
    ctx.progress(0.1, "about to break");
    switch (ctx.inputs().text("kind")) {
      case "oom" -> throw new OutOfMemoryError("Java heap space (test)");
      case "internal" -> throw new InternalError("the JVM is confused (test)");
      case "stack" -> recurse(0);
      case "init" -> BrokenOnce.touch();
      case "linkage" -> {
        try {
          BrokenTwice.touch();
        } catch (ExceptionInInitializerError first) {
          // the second use below fails to link
        }
        BrokenTwice.touch();
      }
      default -> throw new IllegalArgumentException("unknown kind");
    }
    return Result.markdown("unreachable");
  }

  @SuppressWarnings("InfiniteRecursion") // on purpose: the test needs a StackOverflowError
  private static int recurse(int depth) {
    return recurse(depth + 1) + 1;
  }

  static final class BrokenOnce {
    static final int VALUE = Integer.parseInt("not a number (init)");

    static int touch() {
      return VALUE;
    }
  }

  static final class BrokenTwice {
    static final int VALUE = Integer.parseInt("not a number (linkage)");

    static int touch() {
      return VALUE;
    }
  }
}
