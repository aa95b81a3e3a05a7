package dev.kodo.engine;

import dev.kodo.client.KodoException;
import dev.kodo.sdk.Flow;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The flows a node offers, by path. Built from configuration, and built again from it on {@link
 * #reload} (a changed {@code .java} file is compiled anew, a YAML crew read again); thread-safe: a
 * reader sees either the old set or the new one, and a run keeps the flow it started with.
 *
 * <p>A source is a Java class name on the classpath ({@code com.acme.Research}), a Java source file
 * ({@code flows/Research.java}, compiled in memory), a jar ({@code flows/acme.jar}: the flows its
 * {@code META-INF/services/dev.kodo.sdk.Flow} lists), {@code classpath:*}, which takes every flow
 * registered under {@code META-INF/services/dev.kodo.sdk.Flow}, a file some {@link FlowSource}
 * reads (a {@code .yaml} crew when kodo-agents is on the class path), or a directory: every {@code
 * *.yaml} crew, {@code *.java} flow and {@code *.jar} in it and below it, sorted by path, at most
 * {@link #MAX_DIRECTORY_FILES} (docs/flows.md#serving-crews). A crew's path is its file's path
 * relative to the directory without {@code .yaml} ({@code crews/competitor-analysis}); a crew named
 * on its own has its file name without {@code .yaml}.
 *
 * <p>A crew file, or any file found in a directory, that cannot be used is <em>refused</em> ({@link
 * #refusals()}): the other sources are still offered. A source named in the list that does not
 * exist, a class or a {@code .java} file named on its own that cannot be loaded, and two flows
 * under one path still stop the whole load, as a mistake of configuration.
 */
public final class FlowCatalog {
  /** The most flow files a directory source may hold; more are refused. */
  public static final int MAX_DIRECTORY_FILES = 1_000;

  /** How deep below a directory source flow files are looked for. */
  private static final int MAX_DIRECTORY_DEPTH = 16;

  private volatile Map<String, LoadedFlow> flows;
  private volatile List<Refusal> refusals;
  private volatile int version;

  private FlowCatalog(Map<String, LoadedFlow> flows, List<Refusal> refusals) {
    this.flows = Collections.unmodifiableMap(flows);
    this.refusals = List.copyOf(refusals);
  }

  /**
   * A file the catalogue does not offer, and why.
   *
   * @param source the file (or directory) as the catalogue found it
   * @param message what is wrong, with file, line and column where the source says; never a secret
   */
  public record Refusal(String source, String message) {}

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
   * fails, nothing changes. A recompiled {@code .java} file's new code, or a crew file's new
   * content, is used from then on even if nothing it announces changed. The refusals are those of
   * the new load: a crew that became unusable is no longer offered.
   *
   * @throws KodoException naming the source that cannot be loaded
   */
  public synchronized Change reload(List<String> sources, ClassLoader loader) {
    FlowCatalog loaded = load(sources, loader);
    Map<String, LoadedFlow> next = loaded.flows;
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
    refusals = loaded.refusals;
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
    return new FlowCatalog(m, List.of());
  }

  /**
   * Loads every source; a file that cannot be used is refused (see the class comment), any other
   * source that cannot be loaded fails the load with its reason.
   */
  public static FlowCatalog load(List<String> sources, ClassLoader loader) {
    Map<String, LoadedFlow> m = new LinkedHashMap<>();
    List<Refusal> refused = new ArrayList<>();
    Refuser refuser = (source, e) -> refused.add(new Refusal(source, message(e)));
    List<FlowSource> readers = null;
    for (String source : sources) {
      String s = source.trim();
      if (readers == null && !s.isEmpty() && !s.equals("classpath:*")) {
        readers = readers(loader);
      }
      for (LoadedFlow f : resolve(s, loader, readers, refuser)) {
        add(m, f);
      }
    }
    return new FlowCatalog(m, refused);
  }

  /**
   * Loads one source (see the class comment); a name that is neither a file nor a class fails
   * clearly, and so does a file that would be refused: with the {@link FlowSource}'s own exception
   * (a crew's carries every problem with file, line and column).
   */
  public static List<LoadedFlow> resolve(String source, ClassLoader loader) {
    return resolve(
        source,
        loader,
        source.isEmpty() || source.equals("classpath:*") ? List.of() : readers(loader),
        (s, e) -> {
          throw e;
        });
  }

  /** The files that were not offered, and why; empty when every source could be used. */
  public List<Refusal> refusals() {
    return refusals;
  }

  /** Where a file that cannot be used goes: thrown on, or kept as a refusal. */
  @FunctionalInterface
  private interface Refuser {
    void refuse(String source, RuntimeException e);
  }

  private static List<LoadedFlow> resolve(
      String source, ClassLoader loader, List<FlowSource> readers, Refuser refuser) {
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
    Path file = asPath(source);
    if (file == null && (source.endsWith(".java") || source.endsWith(".jar"))) {
      throw new KodoException("flow source " + source + " is not a valid file path");
    }
    if (file != null && Files.isDirectory(file)) {
      return directory(file, loader, readers, refuser);
    }
    if (source.endsWith(".java")) {
      if (!Files.isRegularFile(file)) {
        throw new KodoException("flow source file " + file.toAbsolutePath() + " does not exist");
      }
      return List.of(LoadedFlow.of(JavaSourceCompiler.compile(file, loader)));
    }
    if (source.endsWith(".jar")) {
      return jar(file, loader);
    }
    if (file != null && (isCrewName(file) || reader(file, readers) != null)) {
      if (!Files.isRegularFile(file)) {
        throw new KodoException("flow file " + file.toAbsolutePath() + " does not exist");
      }
      return readFile(
          file, withoutExtension(file.getFileName().toString()), loader, readers, refuser);
    }
    try {
      return List.of(LoadedFlow.of(Class.forName(source, true, loader)));
    } catch (ClassNotFoundException e) {
      throw new KodoException(
          "flow class "
              + source
              + " is not on the classpath (a class name, a .java or .yaml file, a jar, a directory,"
              + " or classpath:*)");
    } catch (LinkageError e) {
      throw new KodoException("flow class " + source + " cannot be loaded: " + e, e);
    }
  }

  /**
   * Loads a file some {@link FlowSource} reads, or hands why it cannot to {@code refuser} and gives
   * nothing.
   */
  private static List<LoadedFlow> readFile(
      Path file, String path, ClassLoader loader, List<FlowSource> readers, Refuser refuser) {
    FlowSource reader = reader(file, readers);
    if (reader == null) {
      refuser.refuse(
          file.toString(),
          new KodoException(
              file
                  + ": no flow source on the class path reads this file; YAML crews need"
                  + " kodo-agents on the class path (docs/flows.md#serving-crews)"));
      return List.of();
    }
    try {
      return List.of(reader.load(file, path, loader));
    } catch (RuntimeException e) {
      refuser.refuse(file.toString(), e);
      return List.of();
    } catch (LinkageError e) {
      refuser.refuse(file.toString(), new KodoException(file + ": cannot be read: " + e, e));
      return List.of();
    }
  }

  /**
   * Every flow file in {@code dir} and below it (hidden files and directories aside), sorted by
   * relative path; a file that cannot be used is refused, the others are offered.
   */
  private static List<LoadedFlow> directory(
      Path dir, ClassLoader loader, List<FlowSource> readers, Refuser refuser) {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir, MAX_DIRECTORY_DEPTH)) {
      files =
          walk.filter(Files::isRegularFile)
              .filter(f -> !hidden(dir.relativize(f)))
              .filter(f -> isFlowFile(f, readers))
              .sorted(Comparator.comparing(f -> slashed(dir.relativize(f))))
              .toList();
    } catch (IOException | UncheckedIOException e) {
      throw new KodoException("cannot read flow directory " + dir + ": " + e.getMessage(), e);
    }
    if (files.size() > MAX_DIRECTORY_FILES) {
      refuser.refuse(
          dir.toString(),
          new KodoException(
              dir
                  + " holds "
                  + files.size()
                  + " flow files, more than the "
                  + MAX_DIRECTORY_FILES
                  + " a directory may; only the first "
                  + MAX_DIRECTORY_FILES
                  + " by path are offered"));
      files = files.subList(0, MAX_DIRECTORY_FILES);
    }
    List<LoadedFlow> out = new ArrayList<>();
    for (Path f : files) {
      String name = f.getFileName().toString();
      try {
        if (name.endsWith(".java")) {
          out.add(LoadedFlow.of(JavaSourceCompiler.compile(f, loader)));
        } else if (name.endsWith(".jar")) {
          out.addAll(jar(f, loader));
        } else {
          out.addAll(
              readFile(f, withoutExtension(slashed(dir.relativize(f))), loader, readers, refuser));
        }
      } catch (RuntimeException e) {
        refuser.refuse(f.toString(), e);
      } catch (LinkageError e) {
        refuser.refuse(f.toString(), new KodoException(f + ": cannot be loaded: " + e, e));
      }
    }
    return out;
  }

  /**
   * The flows a jar lists in its {@code META-INF/services/dev.kodo.sdk.Flow}, loaded by a class
   * loader of its own over {@code parent} (kept open while the flows are offered).
   */
  private static List<LoadedFlow> jar(Path file, ClassLoader parent) {
    if (!Files.isRegularFile(file)) {
      throw new KodoException("flow jar " + file.toAbsolutePath() + " does not exist");
    }
    String services = "META-INF/services/" + Flow.class.getName();
    List<String> names = new ArrayList<>();
    try (JarFile jar = new JarFile(file.toFile())) {
      JarEntry entry = jar.getJarEntry(services);
      if (entry == null) {
        throw new KodoException(
            "flow jar " + file + " lists no flow: name its flow classes in " + services);
      }
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(jar.getInputStream(entry), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          int hash = line.indexOf('#');
          String name = (hash < 0 ? line : line.substring(0, hash)).trim();
          if (!name.isEmpty()) {
            names.add(name);
          }
        }
      }
    } catch (IOException e) {
      throw new KodoException("cannot read flow jar " + file + ": " + e.getMessage(), e);
    }
    URLClassLoader classes;
    try {
      classes =
          new URLClassLoader(
              "flows:" + file.getFileName(), new URL[] {file.toUri().toURL()}, parent);
    } catch (MalformedURLException e) {
      throw new KodoException("cannot read flow jar " + file + ": " + e.getMessage(), e);
    }
    List<LoadedFlow> out = new ArrayList<>();
    for (String name : names) {
      try {
        out.add(LoadedFlow.of(Class.forName(name, true, classes)));
      } catch (ClassNotFoundException e) {
        throw new KodoException(
            "flow jar " + file + " lists flow class " + name + " but does not contain it");
      }
    }
    return out;
  }

  /** Every {@link FlowSource} the loader sees. */
  private static List<FlowSource> readers(ClassLoader loader) {
    try {
      return ServiceLoader.load(FlowSource.class, loader).stream()
          .map(ServiceLoader.Provider::get)
          .toList();
    } catch (ServiceConfigurationError e) {
      throw new KodoException(
          "a flow source listed in META-INF/services/"
              + FlowSource.class.getName()
              + " cannot be loaded: "
              + e.getMessage(),
          e);
    }
  }

  private static FlowSource reader(Path file, List<FlowSource> readers) {
    for (FlowSource r : readers) {
      if (r.reads(file)) {
        return r;
      }
    }
    return null;
  }

  /** A name that is meant as a crew even when nothing on the class path reads crews. */
  private static boolean isCrewName(Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    return name.endsWith(".yaml") || name.endsWith(".yml");
  }

  private static boolean isFlowFile(Path file, List<FlowSource> readers) {
    String name = file.getFileName().toString();
    return name.endsWith(".java")
        || name.endsWith(".jar")
        || isCrewName(file)
        || reader(file, readers) != null;
  }

  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static String slashed(Path relative) {
    StringBuilder out = new StringBuilder();
    for (Path part : relative) {
      if (!out.isEmpty()) {
        out.append('/');
      }
      out.append(part);
    }
    return out.toString();
  }

  private static String withoutExtension(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 && name.indexOf('/', dot) < 0 ? name.substring(0, dot) : name;
  }

  /** The source as a file path, or null if it cannot be one (then it is a class name). */
  private static Path asPath(String source) {
    try {
      return Path.of(source);
    } catch (InvalidPathException e) {
      return null;
    }
  }

  private static String message(RuntimeException e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
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
