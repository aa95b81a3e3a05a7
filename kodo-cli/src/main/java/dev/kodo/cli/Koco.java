package dev.kodo.cli;

import dev.kodo.client.HttpClients;
import dev.kodo.client.Kodo;
import dev.kodo.client.KodoException;
import dev.kodo.client.NodeException;
import dev.kodo.client.NotAuthenticatedException;
import dev.kodo.client.Problem;
import dev.kodo.sdk.InvalidInputsException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;

/**
 * {@code koco}, the Kodo controller: runs a flow in this process ({@code run}), starts a node
 * ({@code serve}, {@code node}) or a registry ({@code registry}), acts as a client of a node
 * ({@code flows}, {@code launch}, {@code status}, {@code follow}, {@code runs}, {@code lock},
 * {@code kill}, {@code restart}, {@code ack}, {@code delete}, {@code share}, {@code cleanup}) and
 * of a registry ({@code nodes}, {@code flows --registry}, {@code register}, {@code unregister},
 * {@code peers}) and of an auth provider ({@code login}, {@code logout}, {@code whoami}, {@code
 * user}, {@code group}, {@code grant}, {@code client}); every client command sends the token kept
 * for its URL ({@link CliTokens}).
 *
 * <p>Every failure ends as one message on standard error and an exit code from {@link Exit}; stack
 * traces are shown only with {@code KODO_DEBUG=1}. Commands other than {@code serve}, {@code node}
 * and {@code registry} never load Spring or Hazelcast, so that they start in a fraction of a
 * second.
 */
@Command(
    name = "koco",
    mixinStandardHelpOptions = true,
    versionProvider = Koco.Version.class,
    description =
        "The Kodo controller: run flows locally, start a node or a registry, and use them.",
    footer = {
      "",
      "Examples:",
      "  koco run dev.kodo.examples.MarketReport --input company=ACME",
      "  koco serve",
      "  koco launch dev.kodo.examples.ResearchSteps -i topic='heat pumps' --follow",
      "  koco lock 01a2…cdac --data approve=true",
      "  koco registry",
      "  koco flows --registry --query 'online and tags contains \"finance\"'",
      "  koco peers --add us --url http://us-registry:3371 --role provider",
      "  koco login --username alice",
      "  koco grant add user:alice 'flow://local/*' x basic",
      "",
      "Client commands talk to --node URL",
      "(default: $KODO_NODE, else http://127.0.0.1:3370);",
      "registry commands (nodes, register, unregister, peers, flows --registry) to",
      "--registry URL (default: $KODO_REGISTRY, else http://127.0.0.1:3370);",
      "login, logout, whoami, user, group, grant and client to --url URL",
      "(default: $KODO_AUTH, else $KODO_NODE, else http://127.0.0.1:3370).",
      "Each sends the token koco login stored for its URL",
      "(or --token / $KODO_TOKEN); see docs/security.md."
    })
public final class Koco implements Runnable {
  /**
   * The commands, in the order {@code koco --help} lists them. Not in
   * {@code @Command(subcommands)}: picocli would build all ~50 command models (reflection over
   * every option) at every start; a command line naming one command builds only that one
   * (docs/performance.md#koco-flows).
   */
  static final List<Class<?>> COMMANDS =
      List.of(
          RunCommand.class,
          ServerCommand.Serve.class,
          ServerCommand.Node.class,
          ServerCommand.Registry.class,
          ServerCommand.Auth.class,
          WorkerCommand.class,
          FlowsCommand.class,
          LaunchCommand.class,
          StatusCommand.class,
          FollowCommand.class,
          RunsCommand.class,
          LockCommand.class,
          ManageCommands.Kill.class,
          ManageCommands.Restart.class,
          ManageCommands.Ack.class,
          ManageCommands.Delete.class,
          ManageCommands.ShareRun.class,
          CleanupCommand.class,
          NodesCommand.class,
          RegistryAdminCommands.Register.class,
          RegistryAdminCommands.Unregister.class,
          PeersCommand.class,
          LoginCommand.class,
          LogoutCommand.class,
          WhoamiCommand.class,
          UserCommands.Users.class,
          GroupCommands.Groups.class,
          GrantCommands.Grants.class,
          ClientCommands.Clients.class,
          CommandLine.HelpCommand.class);

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "missing a command (run, serve, flows, launch, …)");
  }

  public static void main(String[] args) {
    PrintWriter out =
        new PrintWriter(
            new OutputStreamWriter(
                new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8));
    PrintWriter err =
        new PrintWriter(
            new OutputStreamWriter(
                new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8));
    int code = execute(out, err, args);
    out.flush();
    err.flush();
    // The JVM's exit would wait up to 300 ms for an HTTP client's selector thread, blocked in
    // native code (docs/performance.md#koco-flows).
    HttpClients.closeAll(Duration.ofMillis(200));
    System.exit(code);
  }

  /**
   * Runs {@code koco} with {@code args}, writing to {@code out} and {@code err} (never to {@code
   * System.out}, which a running flow's output is captured from), and returns the exit code.
   */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new Koco());
    Class<?> named = named(args);
    for (Class<?> command : named == null ? COMMANDS : List.of(named)) {
      cl.addSubcommand(command);
    }
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setUsageHelpAutoWidth(true);
    cl.setUsageHelpLongOptionsMaxWidth(26);
    cl.setParameterExceptionHandler(Koco::usageError);
    cl.setExecutionExceptionHandler((e, c, parsed) -> report(e, c.getErr()));
    documentExitCodes(cl);
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /**
   * The command the first argument names, by its name or an alias; null when it names none ({@code
   * koco --help}, {@code koco help …}, a misspelt command), so that help lists every command and a
   * misspelling is answered with suggestions from all of them.
   */
  static Class<?> named(String... args) {
    if (args.length == 0 || args[0].startsWith("-")) return null;
    for (Class<?> command : COMMANDS) {
      Command c = command.getAnnotation(Command.class);
      if (c.helpCommand()) continue;
      if (c.name().equals(args[0]) || Arrays.asList(c.aliases()).contains(args[0])) return command;
    }
    return null;
  }

  private static void documentExitCodes(CommandLine cl) {
    Map<String, String> codes = new LinkedHashMap<>();
    for (String line : Exit.LIST) {
      int colon = line.indexOf(':');
      codes.put(line.substring(0, colon), line.substring(colon + 1));
    }
    cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
    cl.getSubcommands().values().forEach(Koco::documentExitCodes);
  }

  private static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine c = e.getCommandLine();
    PrintWriter err = c.getErr();
    err.println("koco: " + e.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return Exit.USAGE;
  }

  /** Prints what went wrong as one clear message and returns the exit code it deserves. */
  static int report(Throwable e, PrintWriter err) {
    int code;
    if (e instanceof CliException c) {
      err.println("koco: " + c.getMessage());
      code = c.exitCode();
    } else if (e instanceof InvalidInputsException invalid) {
      err.println("koco: invalid inputs:");
      invalid.errors().forEach(f -> err.println("  - " + f.field() + ": " + f.message()));
      code = Exit.USAGE;
    } else if (e instanceof NotAuthenticatedException a) {
      err.println("koco: " + a.getMessage());
      code = Exit.AUTH;
    } else if (e instanceof NodeException n) {
      Problem p = n.problem();
      err.println("koco: " + describe(p));
      // A field error the detail already says (a registry's "invalid parameter 'query' at column 8:
      // …") is not repeated.
      p.errors().stream()
          .filter(
              f -> p.detail() == null || f.message() == null || !p.detail().contains(f.message()))
          .forEach(f -> err.println("  - " + f.field() + ": " + f.message()));
      if (n.status() == 403) {
        err.println(
            "  (the token is valid but its subject may not do this: `koco whoami` shows who it is;"
                + " an operator grants access with `koco grant add`)");
      }
      code = n.status() == 400 || n.status() == 422 ? Exit.USAGE : Exit.NODE;
    } else if (e instanceof KodoException k) {
      err.println("koco: " + k.getMessage());
      code = unreachable(k) || k.retryable() ? Exit.UNREACHABLE : Exit.FAILED;
    } else if (e instanceof JacksonException j) {
      // Kodo's clients say whose answer it was (JsonHttp); this is the net under what they miss.
      String said =
          j.getOriginalMessage() == null
              ? ""
              : j.getOriginalMessage().lines().findFirst().orElse("");
      err.println("koco: an answer could not be read as Kodo's (" + said + ")");
      code = Exit.FAILED;
    } else if (e instanceof IllegalArgumentException) {
      err.println("koco: " + e.getMessage());
      code = Exit.USAGE;
    } else {
      err.println(
          "koco: unexpected error: "
              + e
              + (debug() ? "" : " (KODO_DEBUG=1 shows the stack trace)"));
      code = Exit.FAILED;
    }
    if (debug()) {
      e.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  private static String describe(Problem p) {
    StringBuilder s = new StringBuilder().append(p.status());
    if (p.title() != null && !p.title().isBlank()) {
      s.append(' ').append(p.title());
    }
    if (p.detail() != null && !p.detail().isBlank()) {
      s.append(" — ").append(p.detail());
    }
    return s.toString();
  }

  private static boolean unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException) {
        return true;
      }
    }
    return false;
  }

  private static boolean debug() {
    String d = System.getenv("KODO_DEBUG");
    return d != null && !d.isBlank() && !d.equals("0") && !d.equalsIgnoreCase("false");
  }

  /** {@code koco --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"koco " + Kodo.version() + " (Java " + Runtime.version() + ")"};
    }
  }
}
