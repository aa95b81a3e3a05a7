package dev.kodo.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kodo services of {@code deploy/compose.yaml} as a test reads them (docs/deploy.md): each
 * service's command, the environment Compose would give it (its {@code env_file}s, then its {@code
 * environment} with {@code ${VAR}}, {@code ${VAR:-default}} and {@code ${VAR:?message}} taken from
 * a map standing for {@code .env}), and its mounts, so that an argument naming a file in the
 * container is read from the repository. Immutable.
 */
final class ComposeFile {
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:-|:\\?)([^}]*))?}");

  /** One service of the file. */
  record Service(
      String name,
      List<String> command,
      Map<String, String> environment,
      List<String> envFiles,
      List<String> volumes) {}

  final Path dir;
  private final Map<String, Service> services = new LinkedHashMap<>();

  private ComposeFile(Path dir) {
    this.dir = dir;
  }

  /** Reads {@code compose.yaml} in {@code dir}. */
  @SuppressWarnings("unchecked")
  static ComposeFile read(Path dir) throws IOException {
    ComposeFile file = new ComposeFile(dir);
    Map<String, Object> root;
    try (Reader r = Files.newBufferedReader(dir.resolve("compose.yaml"))) {
      root = new Yaml().load(r);
    }
    Map<String, Object> all = (Map<String, Object>) root.get("services");
    for (Map.Entry<String, Object> e : all.entrySet()) {
      Map<String, Object> s = (Map<String, Object>) e.getValue();
      file.services.put(
          e.getKey(),
          new Service(
              e.getKey(),
              strings(s.get("command")),
              s.get("environment") == null
                  ? Map.of()
                  : new LinkedHashMap<>((Map<String, String>) s.get("environment")),
              strings(s.get("env_file")),
              strings(s.get("volumes"))));
    }
    return file;
  }

  private static List<String> strings(Object o) {
    if (o == null) return List.of();
    return ((List<?>) o).stream().map(String::valueOf).toList();
  }

  Service service(String name) {
    Service s = services.get(name);
    if (s == null) throw new AssertionError("compose.yaml has no service " + name);
    return s;
  }

  /**
   * The environment Compose gives {@code service}: its env files' lines, then its {@code
   * environment}, interpolated with {@code dotEnv}.
   */
  Map<String, String> environment(Service service, Function<String, String> dotEnv)
      throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    for (String f : service.envFiles()) {
      for (String line : Files.readAllLines(dir.resolve(f))) {
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) continue;
        int eq = t.indexOf('=');
        if (eq < 1) throw new AssertionError(f + ": not KEY=VALUE: " + line);
        env.put(t.substring(0, eq), t.substring(eq + 1));
      }
    }
    service.environment().forEach((k, v) -> env.put(k, interpolate(v, dotEnv)));
    return env;
  }

  /** Compose's interpolation of {@code ${…}} in {@code value}. */
  static String interpolate(String value, Function<String, String> vars) {
    Matcher m = VARIABLE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = vars.apply(m.group(1));
      if (v == null || v.isEmpty()) {
        if (":-".equals(m.group(2))) {
          v = m.group(3);
        } else if (":?".equals(m.group(2))) {
          throw new AssertionError("compose would stop: " + m.group(3));
        } else {
          v = "";
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * {@code service}'s command with each argument that names a path under a mount replaced: a bind
   * mount ({@code ./config:/etc/kodo}) by the repository's directory, a named volume by {@code
   * volumes.resolve(volume name)}.
   */
  List<String> command(Service service, Path volumes) {
    return service.command().stream().map(a -> hostPath(service, a, volumes)).toList();
  }

  private String hostPath(Service service, String arg, Path volumes) {
    for (String v : service.volumes()) {
      String[] parts = v.split(":");
      String source = parts[0];
      String target = parts[1];
      if (arg.equals(target) || arg.startsWith(target + "/")) {
        Path base =
            source.startsWith(".") ? dir.resolve(source).normalize() : volumes.resolve(source);
        return base.resolve(arg.substring(target.length()).replaceFirst("^/", "")).toString();
      }
    }
    return arg;
  }

  /** The properties of the file {@code service}'s {@code --config} names, or none. */
  Properties config(Service service) throws IOException {
    Properties p = new Properties();
    List<String> cmd = command(service, dir);
    int i = cmd.indexOf("--config");
    if (i >= 0) {
      try (Reader r = Files.newBufferedReader(Path.of(cmd.get(i + 1)))) {
        p.load(r);
      }
    }
    return p;
  }
}
