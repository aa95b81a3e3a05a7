package dev.kodo.engine;

import dev.kodo.client.Check;
import dev.kodo.client.FlowInfo;
import dev.kodo.client.Json;
import dev.kodo.client.KodoException;
import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.RetrySafe;
import dev.kodo.sdk.internal.SdkBridge;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.function.Supplier;

/**
 * A flow a node or {@code koco run} has loaded: its path, its spec, and how to make a fresh
 * instance for each run. A Java flow is a class ({@link #of(Class)}); other sources (a YAML crew,
 * kodo-agents) give a factory ({@link #of(String, FlowSpec, Supplier, Object, LaunchCheck)}).
 * Immutable and thread-safe.
 */
public final class LoadedFlow {
  private final String path;
  private final FlowSpec spec;
  private final Supplier<? extends Flow> factory;
  private final Object identity;
  private final LaunchCheck launchCheck;
  private final String flowEvent;
  private final boolean retrySafe;

  private LoadedFlow(
      String path,
      FlowSpec spec,
      Supplier<? extends Flow> factory,
      Object identity,
      LaunchCheck launchCheck,
      boolean retrySafe) {
    this.retrySafe = retrySafe;
    this.path = path;
    this.spec = spec;
    this.factory = factory;
    this.identity = identity;
    this.launchCheck = launchCheck;
    this.flowEvent = EventData.flow(path, spec);
  }

  /**
   * What must hold before a run of a flow starts, beyond valid inputs: e.g. that every {@code
   * ${VAR}} a crew names is set. A launch that fails it is refused (400) with these messages, which
   * name what is missing and never a secret's value.
   */
  @FunctionalInterface
  public interface LaunchCheck {
    /** No check. */
    LaunchCheck NONE = secrets -> List.of();

    /** The reasons the flow cannot start with these secrets; empty when it can. */
    List<String> problems(Secrets secrets);
  }

  /**
   * A flow made by {@code factory} for each run.
   *
   * @param identity what the flow is made from (a parsed crew, a class): two loads of the same
   *     thing are equal, so a reload sees whether the code changed
   */
  public static LoadedFlow of(
      String path,
      FlowSpec spec,
      Supplier<? extends Flow> factory,
      Object identity,
      LaunchCheck launchCheck) {
    return of(path, spec, factory, identity, launchCheck, false);
  }

  /**
   * A flow made by {@code factory} for each run that says itself whether it is retry-safe (a crew's
   * {@code retry_safe}, docs/flows.md#retry-safe-flows).
   */
  public static LoadedFlow of(
      String path,
      FlowSpec spec,
      Supplier<? extends Flow> factory,
      Object identity,
      LaunchCheck launchCheck,
      boolean retrySafe) {
    Check.notBlank(path, "flow path");
    Check.notNull(spec, "spec");
    Check.notNull(factory, "factory");
    Check.notNull(identity, "identity");
    return new LoadedFlow(
        path,
        spec,
        factory,
        identity,
        launchCheck == null ? LaunchCheck.NONE : launchCheck,
        retrySafe);
  }

  /** Why a run of this flow cannot start with these secrets; empty when it can. */
  public List<String> launchProblems(Secrets secrets) {
    return launchCheck.problems(secrets);
  }

  /** What the flow is made from: equal for two loads of the same class or crew. */
  public Object identity() {
    return identity;
  }

  /** The data of the {@code flow} event every run of this flow starts with. */
  String flowEvent() {
    return flowEvent;
  }

  /** Loads a Java flow class; its path on the node is its class name. */
  public static LoadedFlow of(Class<?> type) {
    String name = type.getName();
    if (!Flow.class.isAssignableFrom(type)) {
      throw new KodoException(
          "class " + name + " is not a flow: it must implement " + Flow.class.getName());
    }
    if (Modifier.isAbstract(type.getModifiers()) || !Modifier.isPublic(type.getModifiers())) {
      throw new KodoException("flow class " + name + " must be public and not abstract");
    }
    Constructor<? extends Flow> ctor;
    try {
      ctor = type.asSubclass(Flow.class).getConstructor();
    } catch (NoSuchMethodException e) {
      throw new KodoException(
          "flow class " + name + " needs a public constructor without arguments");
    }
    FlowSpec spec;
    try {
      spec = instantiate(ctor, name).spec();
    } catch (RuntimeException e) {
      throw new KodoException(
          "flow class " + name + " failed to describe itself in spec(): " + e.getMessage(), e);
    }
    if (spec == null) {
      throw new KodoException(
          "flow class " + name + " returned no spec; return FlowSpec.builder(...).build()");
    }
    return new LoadedFlow(
        name,
        spec,
        () -> instantiate(ctor, name),
        type,
        LaunchCheck.NONE,
        type.isAnnotationPresent(RetrySafe.class));
  }

  /**
   * Whether a run of it may start again on another worker when its worker is lost: its class is
   * annotated {@link RetrySafe}, or its crew says {@code retry_safe: true}
   * (docs/flows.md#retry-safe-flows).
   */
  public boolean retrySafe() {
    return retrySafe;
  }

  public String path() {
    return path;
  }

  public FlowSpec spec() {
    return spec;
  }

  /** A new instance of the flow, for one run. */
  public Flow newInstance() {
    return factory.get();
  }

  /** The flow as the node's catalogue shows it. */
  public FlowInfo info() {
    return new FlowInfo(
        path,
        spec.name(),
        spec.description(),
        spec.author(),
        spec.organization(),
        spec.release(),
        spec.tags(),
        Json.mapper().valueToTree(spec.inputs().schema()),
        Json.mapper().valueToTree(SdkBridge.hints(spec.inputs())));
  }

  private static Flow instantiate(Constructor<? extends Flow> ctor, String name) {
    try {
      return ctor.newInstance();
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      throw new KodoException("flow class " + name + " failed in its constructor: " + cause, cause);
    } catch (ReflectiveOperationException e) {
      throw new KodoException("cannot instantiate flow class " + name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return path;
  }
}
