package dev.kodo.sdk.internal;

import dev.kodo.sdk.Demand;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.Inputs;
import dev.kodo.sdk.InvalidInputsException;
import java.util.List;
import java.util.Map;

/**
 * The runtime's way into the SDK: what Kodo's engine and node call on flows' forms and demands, and
 * flow authors do not (they see the effects: a run's inputs, a lock's answer). Not part of the flow
 * API: it may change in any release. The SDK installs the one {@link Access} when {@link Form} is
 * first used; thread-safe.
 */
public final class SdkBridge {

  /** What the SDK lends the runtime; implemented inside {@code dev.kodo.sdk}. */
  public interface Access {
    Inputs validate(Form form, Map<String, ?> raw);

    Inputs accept(Demand demand, Map<String, ?> candidate);

    List<Map<String, Object>> hints(Form form);
  }

  private static volatile Access access;

  private SdkBridge() {}

  /** Called once by {@code dev.kodo.sdk} itself; any other caller is refused. */
  public static void install(Access impl) {
    Class<?> caller =
        StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass();
    if (!caller.getPackageName().equals(Form.class.getPackageName()) || access != null) {
      throw new IllegalStateException("the SDK bridge is installed by the SDK, once");
    }
    access = impl;
  }

  /**
   * Checks what a caller sent against a form: unknown names, missing required inputs and values
   * that do not fit their field are all reported at once, each with its field's name. Defaults fill
   * what is missing; every value gets its field's Java type.
   *
   * @throws InvalidInputsException listing every problem found
   */
  public static Inputs validate(Form form, Map<String, ?> raw) {
    return access().validate(form, raw);
  }

  /**
   * Checks a candidate answer to a lock: first against the demand's form, then with the flow's own
   * check (on the calling thread).
   *
   * @throws InvalidInputsException listing what is wrong, per field
   */
  public static Inputs accept(Demand demand, Map<String, ?> candidate) {
    return access().accept(demand, candidate);
  }

  /** The form hints: the elements in order, each with the widget that draws it, as plain maps. */
  public static List<Map<String, Object>> hints(Form form) {
    return access().hints(form);
  }

  private static Access access() {
    Access a = access;
    if (a == null) {
      Form.empty(); // initialises Form, which installs the bridge
      a = access;
    }
    return a;
  }
}
