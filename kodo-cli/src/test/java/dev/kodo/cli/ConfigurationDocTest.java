package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Keeps {@code docs/configuration.md} true: every {@code kodo.*} key the code reads (see {@link
 * ConfigurationKeys}) has a row there and every row names a key the code reads; each row's
 * environment variable binds to its key the way Spring Boot binds the environment; each default
 * written as a literal is the code's default; and every {@code KODO_*} / {@code KOCO_*} variable
 * the sources mention is documented, as every documented one is used.
 */
class ConfigurationDocTest {
  private static final Pattern ENV = Pattern.compile("\\bKO[CD]O_[A-Z0-9]+(?:_[A-Z0-9]+)*\\b");
  private static final Pattern LITERAL = Pattern.compile("^`([^`]*)`");

  private static Path root;
  private static ConfigurationKeys code;
  private static Doc doc;

  @BeforeAll
  static void read() throws IOException {
    root = Path.of("").toAbsolutePath();
    while (!Files.isRegularFile(root.resolve("docs/configuration.md"))) {
      root = root.getParent();
      assertThat(root).as("docs/configuration.md above the module directory").isNotNull();
    }
    code = ConfigurationKeys.scan();
    doc = Doc.parse(Files.readAllLines(root.resolve("docs/configuration.md")));
  }

  @Test
  void everyClassWasRead() {
    assertThat(code.unreadable()).as("classes whose configuration could not be read").isEmpty();
    assertThat(code.keys())
        .as("keys found in the code")
        .containsKeys(
            "kodo.node.name",
            "kodo.registry.max-peers",
            "kodo.store.durability",
            "kodo.registry.store.url",
            "kodo.http.max-registry-body",
            "kodo.worker.enabled");
  }

  @Test
  void everyKeyTheCodeReadsIsDocumented() {
    Set<String> missing = new TreeSet<>(code.keys().keySet());
    missing.removeAll(doc.keys.keySet());
    assertThat(missing)
        .as(
            "keys the code reads but docs/configuration.md does not list (found in: %s)",
            missing.stream().map(k -> k + " ← " + code.keys().get(k).source()).toList())
        .isEmpty();
  }

  @Test
  void everyDocumentedKeyIsReadByTheCode() {
    Set<String> unknown = new TreeSet<>(doc.keys.keySet());
    unknown.removeAll(code.keys().keySet());
    assertThat(unknown).as("keys docs/configuration.md lists but no code reads").isEmpty();
  }

  @Test
  void eachDocumentedVariableSetsItsKey() {
    List<String> wrong = new ArrayList<>();
    doc.keys.forEach(
        (key, row) -> {
          if (row.env().isEmpty()) {
            wrong.add(key + ": no environment variable given");
            return;
          }
          var env = new SystemEnvironmentPropertySource("env", Map.of(row.env(), "x"));
          var bound =
              new Binder(ConfigurationPropertySources.from(env))
                  .bind(key, Bindable.of(String.class));
          if (!bound.isBound() || !bound.get().equals("x")) {
            wrong.add(key + ": " + row.env() + " does not set it");
          }
        });
    assertThat(wrong).isEmpty();
  }

  @Test
  void documentedDefaultsAreTheCodesDefaults() {
    List<String> wrong = new ArrayList<>();
    doc.keys.forEach(
        (key, row) -> {
          ConfigurationKeys.Key k = code.keys().get(key);
          Matcher m = LITERAL.matcher(row.defaultValue());
          if (k == null || k.defaultValue() == null || !m.find()) return;
          Object documented = convert(m.group(1), k.type());
          Object actual =
              k.defaultValue() instanceof String s ? convert(s, k.type()) : k.defaultValue();
          if (!Objects.equals(documented, actual)) {
            wrong.add(
                key
                    + ": documented `"
                    + m.group(1)
                    + "`, the code's default is "
                    + actual
                    + " ("
                    + k.source()
                    + ")");
          }
        });
    assertThat(wrong).isEmpty();
  }

  @Test
  void everyVariableTheSourcesMentionIsDocumented() throws IOException {
    Set<String> used = variablesInSources();
    Set<String> documented = new TreeSet<>(doc.variables);
    doc.keys.values().forEach(r -> documented.add(r.env()));
    Set<String> missing = new TreeSet<>(used);
    missing.removeAll(documented);
    assertThat(missing)
        .as("KODO_/KOCO_ variables in the sources that docs/configuration.md does not list")
        .isEmpty();

    Set<String> unused = new TreeSet<>(doc.variables);
    unused.removeIf(v -> !ENV.matcher(v).matches()); // JAVA_HOME, NO_COLOR: not Kodo's
    unused.removeAll(used);
    assertThat(unused)
        .as("variables docs/configuration.md lists as read on their own that no source mentions")
        .isEmpty();
  }

  /**
   * {@code text} as Spring Boot binds it to a key of {@code type} ({@code []} and {@code ""} stand
   * for empty).
   */
  private static Object convert(String text, TypeDescriptor type) {
    String value = text.equals("[]") || text.equals("\"\"") ? "" : text;
    var source = new MapConfigurationPropertySource(Map.of("k", value));
    return new Binder(source).bind("k", Bindable.of(type.getResolvableType())).orElse(null);
  }

  /** The KODO_ and KOCO_ names in the main sources, their resources and the launcher. */
  private static Set<String> variablesInSources() throws IOException {
    Set<String> found = new TreeSet<>();
    List<Path> files = new ArrayList<>();
    files.add(root.resolve("koco"));
    try (Stream<Path> all = Files.walk(root)) {
      all.filter(
              p ->
                  root.relativize(p)
                      .toString()
                      .matches("[^/]+/src/main/.*\\.(java|properties|yaml|yml)"))
          .forEach(files::add);
    }
    for (Path f : files) {
      Matcher m = ENV.matcher(read(f));
      while (m.find()) found.add(m.group());
    }
    return found;
  }

  private static String read(Path f) {
    try {
      return Files.readString(f);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A key's row: {@code | `key` | `ENV` | default | meaning |}. */
  record Row(String env, String defaultValue) {}

  /** What docs/configuration.md documents: the rows of its key tables and of its variable table. */
  record Doc(Map<String, Row> keys, Set<String> variables) {
    static Doc parse(List<String> lines) {
      Map<String, Row> keys = new LinkedHashMap<>();
      Set<String> variables = new TreeSet<>();
      String table = null;
      for (String line : lines) {
        if (!line.startsWith("|")) {
          table = null;
          continue;
        }
        List<String> cells = cells(line);
        if (table == null) {
          table = cells.getFirst().toLowerCase(Locale.ROOT);
          continue;
        }
        if (cells.getFirst().matches("-+")) continue;
        String first = unquote(cells.getFirst());
        if (table.equals("key")) {
          assertThat(keys).as("key %s listed twice", first).doesNotContainKey(first);
          keys.put(
              first,
              new Row(
                  cells.size() > 1 ? unquote(cells.get(1)) : "",
                  cells.size() > 2 ? cells.get(2) : ""));
        } else if (table.equals("variable")) {
          variables.add(first);
        }
      }
      return new Doc(keys, variables);
    }

    private static List<String> cells(String line) {
      List<String> out = new ArrayList<>();
      for (String c : line.substring(1).split("(?<!\\\\)\\|", -1)) out.add(c.strip());
      if (!out.isEmpty() && out.getLast().isEmpty()) out.removeLast();
      return out;
    }

    private static String unquote(String cell) {
      return cell.replace("`", "").strip();
    }
  }
}
