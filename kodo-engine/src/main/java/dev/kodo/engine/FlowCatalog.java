package dev.kodo.engine;

import dev.kodo.client.KodoException;
import dev.kodo.sdk.Flow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The flows a node offers, by path. Built from configuration, and built again from it on {@link
 * #reload} (a changed {@code .java} file is compiled anew); thread-safe: a reader sees either the
 * old set or the new one, and a run keeps the flow it started with.
 *
 * <p>A source is a Java class name on the classpath ({@code com.acme.Research}), a Java source file
 * ({@code flows/Research.java}, compiled in memory), or {@code classpath:*}, which takes every flow
 * registered under {@code META-INF/services/dev.kodo.sdk.Flow}.
 */
public final class FlowCatalog {
  private volatile Map<String, LoadedFlow> flows;
  private volatile int version;

  private FlowCatalog(Map<String, LoadedFlow> flows) {
    this.flows = Collections.unmodifiableMap(flows);
  }

  /**
   * What a {@link #reload} changed, by flow path.
   *
   * @param added flows that are new
   * @param removed flows that are gone
   * @param changed flows whose metadata or inputs changed (what a node announces of them)
   */
  public record Change(List<String> added, List<String> removed, List<String> changed) {
    /** Whether anything changed. */
    public boolean any() {
      return !added.isEmpty() || !removed.isEmpty() || !changed.isEmpty();
    }
  }

  /**
   * Loads every source again and, if all load, puts the new set in place of the old one; if one
   * fails, nothing changes. A recompiled {@code .java} file's new code is used from then on even if
   * nothing it announces changed.
   *
   * @throws KodoException naming the source that cannot be loaded
   */
  public synchronized Change reload(List<String> sources, ClassLoader loader) {
    Map<String, LoadedFlow> next = load(sources, loader).flows;
    Map<String, LoadedFlow> before = flows;
    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    boolean newCode = false;
    for (LoadedFlow f : next.values()) {
      LoadedFlow old = before.get(f.path());
      if (old == null) {
        added.add(f.path());
        continue;
      }
      if (!old.info().equals(f.info())) changed.add(f.path());
      newCode |= !old.identity().equals(f.identity());
    }
    List<String> removed = before.keySet().stream().filter(p -> !next.containsKey(p)).toList();
    Change change = new Change(List.copyOf(added), removed, List.copyOf(changed));
    if (change.any() || newCode) flows = next;
    if (change.any()) version++;
    return change;
  }

  /**
   * Counts the reloads that changed what the flows announce: a reader that saw another number sees
   * other flows.
   */
  public int version() {
    return version;
  }

  public static FlowCatalog of(LoadedFlow... flows) {
    Map<String, LoadedFlow> m = new LinkedHashMap<>();
    for (LoadedFlow f : flows) {
      add(m, f);
    }
    return new FlowCatalog(m);
  }

  /** Loads every source; the first one that cannot be loaded fails with its reason. */
  public static FlowCatalog load(List<String> sources, ClassLoader loader) {
    Map<String, LoadedFlow> m = new LinkedHashMap<>();
    for (String source : sources) {
      for (LoadedFlow f : resolve(source.trim(), loader)) {
        add(m, f);
      }
    }
    return new FlowCatalog(m);
  }

  /**
   * Loads one source (see the class comment); a name that is neither a file nor a class fails
   * clearly.
   */
  public static List<LoadedFlow> resolve(String source, ClassLoader loader) {
    if (source.isEmpty()) {
      throw new KodoException("empty flow source in the flow list");
    }
    if (source.equals("classpath:*")) {
      try {
        return ServiceLoader.load(Flow.class, loader).stream()
            .map(p -> LoadedFlow.of(p.type()))
            .toList();
      } catch (ServiceConfigurationError e) {
        throw new KodoException(
            "a flow listed in META-INF/services/"
                + Flow.class.getName()
                + " cannot be loaded: "
                + e.getMessage(),
            e);
      }
    }
    if (source.endsWith(".java")) {
      Path file = Path.of(source);
      if (!Files.isRegularFile(file)) {
        throw new KodoException("flow source file " + file.toAbsolutePath() + " does not exist");
      }
      return List.of(LoadedFlow.of(JavaSourceCompiler.compile(file, loader)));
    }
    try {
      return List.of(LoadedFlow.of(Class.forName(source, true, loader)));
    } catch (ClassNotFoundException e) {
      throw new KodoException(
          "flow class "
              + source
              + " is not on the classpath (a class name, a .java file, or classpath:*)");
    } catch (LinkageError e) {
      throw new KodoException("flow class " + source + " cannot be loaded: " + e, e);
    }
  }

  /** Adds a flow; the same class listed twice (by name and through classpath:*) is kept once. */
  private static void add(Map<String, LoadedFlow> m, LoadedFlow f) {
    LoadedFlow previous = m.putIfAbsent(f.path(), f);
    if (previous != null && !previous.identity().equals(f.identity())) {
      throw new KodoException(
          "two different flows share the path "
              + f.path()
              + " (e.g. a .java file and a class on the classpath); rename one of them");
    }
  }

  public Optional<LoadedFlow> get(String path) {
    return Optional.ofNullable(flows.get(path));
  }

  public Collection<LoadedFlow> all() {
    return flows.values();
  }

  public int size() {
    return flows.size();
  }
}
