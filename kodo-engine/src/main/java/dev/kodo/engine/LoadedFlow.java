package dev.kodo.engine;

import dev.kodo.client.FlowInfo;
import dev.kodo.client.Json;
import dev.kodo.client.KodoException;
import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.internal.SdkBridge;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;

/**
 * A flow a node or {@code koco run} has loaded: its path, its spec, and how to make a fresh
 * instance for each run. Immutable and thread-safe.
 */
public final class LoadedFlow {
  private final String path;
  private final FlowSpec spec;
  private final Constructor<? extends Flow> constructor;
  private final String flowEvent;

  private LoadedFlow(String path, FlowSpec spec, Constructor<? extends Flow> constructor) {
    this.path = path;
    this.spec = spec;
    this.constructor = constructor;
    this.flowEvent = EventData.flow(path, spec);
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
    return new LoadedFlow(name, spec, ctor);
  }

  public String path() {
    return path;
  }

  public FlowSpec spec() {
    return spec;
  }

  /** The flow class. */
  public Class<? extends Flow> type() {
    return constructor.getDeclaringClass();
  }

  /** A new instance of the flow class, for one run. */
  public Flow newInstance() {
    return instantiate(constructor, path);
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
