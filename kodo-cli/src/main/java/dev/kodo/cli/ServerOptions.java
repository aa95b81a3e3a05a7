package dev.kodo.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The options every server command takes (docs/configuration.md), turned into the Spring arguments
 * of the service: {@link Node} for {@code serve} and {@code node}, {@link Registry} for {@code
 * registry}. Options left out are not passed, so that {@code --config} and {@code KODO_*} variables
 * can set them.
 */
abstract class ServerOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "A kodo.yaml (or .properties) with more settings; options given here win over it.")
  Path config;

  @Option(
      names = {"-v", "--verbose"},
      description = "Show the framework's start-up log.")
  boolean verbose;

  /** The service's property for {@code --data}. */
  private final String dataProperty;

  /** The service's property for {@code --name}. */
  private final String nameProperty;

  ServerOptions(String dataProperty, String nameProperty) {
    this.dataProperty = dataProperty;
    this.nameProperty = nameProperty;
  }

  abstract Integer port();

  abstract Path data();

  abstract String name();

  /** Arguments of the service's own options, placed after {@code --config}'s. */
  void more(List<String> args) {}

  /** The Spring Boot arguments for these options; throws a usage error for a bad one. */
  final List<String> springArgs() {
    List<String> args = new ArrayList<>();
    Integer port = port();
    if (port != null) {
      if (port < 0 || port > 65_535) {
        throw CliException.usage("--port must be between 0 and 65535, not " + port);
      }
      args.add("--server.port=" + port);
    }
    Path data = data();
    if (data != null) {
      if (Files.exists(data) && !Files.isDirectory(data)) {
        throw CliException.usage("--data " + data + " is a file, not a directory");
      }
      args.add("--" + dataProperty + "=" + data.toAbsolutePath().normalize());
    }
    if (config != null) {
      if (!Files.isRegularFile(config)) {
        throw CliException.usage("--config " + config + " does not exist or is not a file");
      }
      if (!Files.isReadable(config)) {
        throw CliException.usage("--config " + config + " cannot be read");
      }
      String file = config.getFileName().toString().toLowerCase(Locale.ROOT);
      if (!(file.endsWith(".yaml") || file.endsWith(".yml") || file.endsWith(".properties"))) {
        throw CliException.usage(
            "--config " + config + " must be a .yaml, .yml or .properties file");
      }
      args.add("--spring.config.additional-location=file:" + config.toAbsolutePath().normalize());
    }
    more(args);
    String name = name();
    if (name != null) {
      if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
        throw CliException.usage(
            "--name must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit,"
                + " not '"
                + name
                + "'");
      }
      args.add("--" + nameProperty + "=" + name);
    }
    if (!verbose) {
      args.add("--spring.main.log-startup-info=false");
      args.add("--logging.level.root=WARN");
      args.add("--logging.level.dev.kodo=INFO");
      args.add("--logging.level.org.springdoc=ERROR");
    }
    return args;
  }

  /**
   * {@code --no-auth}: {@code kodo.auth.enabled=false}, every caller an operator; the service
   * refuses to start on a non-loopback address (docs/security.md).
   */
  static final String NO_AUTH_HELP =
      "Turn authentication off: every caller is an operator (refused unless the service listens on"
          + " a loopback address).";

  /** {@code koco serve} and {@code koco node}. */
  static final class Node extends ServerOptions {
    Node() {
      super("kodo.data", "kodo.node.name");
    }

    @Option(names = "--no-auth", description = NO_AUTH_HELP)
    boolean noAuth;

    @Option(
        names = "--no-worker",
        description =
            "Run no embedded worker: runs wait on the cluster for workers started with koco worker.")
    boolean noWorker;

    @Option(
        names = "--port",
        paramLabel = "PORT",
        description = "The HTTP port (default: 3370; 0 picks a free one).")
    Integer port;

    @Option(
        names = "--data",
        paramLabel = "DIR",
        description = "Where the node keeps its data (default: ./data).")
    Path data;

    @Option(
        names = "--flows",
        split = ",",
        paramLabel = "FLOW",
        description =
            "The flows to offer, comma-separated: class names, .java or .yaml files, jars, directories (every"
                + " *.yaml crew, *.java flow and jar in them), or classpath:* (default: the example flows under serve,"
                + " none under node).")
    List<String> flows;

    @Option(
        names = "--name",
        paramLabel = "NAME",
        description = "The node's name (default: local).")
    String name;

    @Override
    Integer port() {
      return port;
    }

    @Override
    Path data() {
      return data;
    }

    @Override
    String name() {
      return name;
    }

    @Override
    void more(List<String> args) {
      if (noAuth) {
        args.add("--kodo.auth.enabled=false");
        args.add("--kodo.auth.provider.enabled=false");
      }
      if (noWorker) {
        args.add("--kodo.worker.enabled=false");
      }
      if (flows != null) {
        List<String> sources = flows.stream().map(String::trim).toList();
        for (String source : sources) {
          checkFlow(source);
        }
        args.add("--kodo.flows=" + String.join(",", sources));
      }
    }

    /** Sources that name one file. */
    private static final java.util.regex.Pattern FILES =
        java.util.regex.Pattern.compile("\\.(java|jar|yaml|yml)$");

    static void checkFlow(String source) {
      if (source.isEmpty()) {
        throw CliException.usage("--flows has an empty entry");
      }
      if (source.equals("classpath:*")) {
        return;
      }
      if (FILES.matcher(source).find()) {
        if (!Files.isRegularFile(Path.of(source))) {
          throw CliException.usage(
              "--flows: flow source file " + Path.of(source).toAbsolutePath() + " does not exist");
        }
        return;
      }
      if (source.contains("/") || source.contains(java.io.File.separator)) {
        if (!Files.isDirectory(Path.of(source))) {
          throw CliException.usage(
              "--flows: flow directory " + Path.of(source).toAbsolutePath() + " does not exist");
        }
        return;
      }
      if (Files.isDirectory(Path.of(source))) {
        return;
      }
      try {
        Class.forName(source, false, ServerOptions.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        throw CliException.usage(
            "--flows: flow class "
                + source
                + " is not on the class path (a class name, a .java or .yaml file, a jar, a directory,"
                + " or classpath:*)");
      }
    }
  }

  /** {@code koco registry}. */
  static final class Registry extends ServerOptions {
    Registry() {
      super("kodo.registry.data", "kodo.registry.name");
    }

    @Option(names = "--no-auth", description = NO_AUTH_HELP)
    boolean noAuth;

    @Override
    void more(List<String> args) {
      if (noAuth) args.add("--kodo.auth.enabled=false");
    }

    @Option(
        names = "--port",
        paramLabel = "PORT",
        description = "The HTTP port (default: 3371; 0 picks a free one).")
    Integer port;

    @Option(
        names = "--data",
        paramLabel = "DIR",
        description = "Where the registry keeps its data, the file registry.db (default: ./data).")
    Path data;

    @Option(
        names = "--name",
        paramLabel = "NAME",
        description =
            "The registry's name, the origin of its nodes for its peers (default: registry).")
    String name;

    @Override
    Integer port() {
      return port;
    }

    @Override
    Path data() {
      return data;
    }

    @Override
    String name() {
      return name;
    }
  }

  /** {@code koco auth}. */
  static final class Auth extends ServerOptions {
    Auth() {
      super("kodo.auth.provider.data", null);
    }

    @Option(
        names = "--port",
        paramLabel = "PORT",
        description = "The HTTP port (default: 3372; 0 picks a free one).")
    Integer port;

    @Option(
        names = "--data",
        paramLabel = "DIR",
        description = "Where the auth provider keeps its data, the file auth.db (default: ./data).")
    Path data;

    @Override
    Integer port() {
      return port;
    }

    @Override
    Path data() {
      return data;
    }

    @Override
    String name() {
      return null;
    }
  }
}
