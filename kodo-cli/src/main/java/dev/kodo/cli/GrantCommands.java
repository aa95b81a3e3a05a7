package dev.kodo.cli;

import dev.kodo.client.Json;
import dev.kodo.client.Level;
import dev.kodo.client.Page;
import dev.kodo.client.access.Grant;
import dev.kodo.client.access.Mode;
import dev.kodo.client.access.Resources;
import dev.kodo.client.access.Subjects;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code koco grant add|list|remove}: an operator's management of the auth provider's grants
 * ({@code /auth/grants}, docs/security.md): a subject may use a resource ({@code node://N}, {@code
 * flow://N/P}, {@code *} for one segment) in a mode ({@code r} see all runs, {@code x} launch and
 * see its own) at a level ({@code basic}, {@code advanced}, {@code full}).
 */
final class GrantCommands {
  private GrantCommands() {}

  /** {@code koco grant}: only its subcommands do something. */
  @Command(
      mixinStandardHelpOptions = true,
      name = "grant",
      description = {
        "Manage who may use which node or flow (operators).",
        "",
        "A grant gives a subject (user:NAME, group:NAME, node:NAME, worker:NAME) a mode on a resource "
            + "(node://NODE or flow://NODE/PATH; * matches one segment): r sees every run of it, x launches and "
            + "sees one's own runs; for flows at a level: basic (inputs, progress, final, locks), advanced "
            + "(+ results), full (+ agents, tools, actions, output). Nodes apply a change within "
            + "kodo.auth.grants-refresh."
      },
      footer = {
        "",
        "Examples:",
        "  koco grant add user:alice 'flow://local/*' x basic",
        "  koco grant add group:team-a 'flow://*/dev.kodo.examples.*' r full",
        "  koco grant list --subject user:alice",
        "  koco grant remove 42"
      },
      subcommands = {Add.class, ListGrants.class, Remove.class})
  static final class Grants implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "missing a subcommand: add, list or remove");
    }
  }

  /** {@code koco grant add SUBJECT RESOURCE MODE [LEVEL]}. */
  @Command(
      mixinStandardHelpOptions = true,
      name = "add",
      description = {
        "Grant SUBJECT MODE on RESOURCE at LEVEL (default: basic for a flow, full for a node)."
      },
      footer = {"", "Example:", "  koco grant add user:alice 'flow://local/*' x basic"})
  static final class Add extends ProviderCommand {
    @Parameters(
        index = "0",
        paramLabel = "SUBJECT",
        description = "user:NAME, group:NAME, node:NAME or worker:NAME.")
    String subject;

    @Parameters(
        index = "1",
        paramLabel = "RESOURCE",
        description =
            "node://NODE or flow://NODE/PATH; * matches one segment (quote it for the shell).")
    String resource;

    @Parameters(
        index = "2",
        paramLabel = "MODE",
        description = "r (see every run) or x (launch; see one's own runs).")
    String mode;

    @Parameters(
        index = "3",
        arity = "0..1",
        paramLabel = "LEVEL",
        description = "basic, advanced or full.")
    String level;

    @Option(names = "--json", description = "Print the grant as the provider answers it.")
    boolean json;

    @Override
    public Integer call() {
      String problem = Subjects.problem(subject);
      if (problem != null) throw CliException.usage("SUBJECT '" + subject + "' " + problem);
      problem = Resources.problem(resource);
      if (problem != null) throw CliException.usage("RESOURCE '" + resource + "' " + problem);
      String m;
      try {
        m = Mode.parse(mode).wire();
      } catch (IllegalArgumentException e) {
        throw CliException.usage("MODE: " + e.getMessage());
      }
      String l = level(level, resource);
      Grant g = auth().addGrant(subject, resource, m, l);
      if (json) {
        out().println(Json.write(g));
      } else {
        out()
            .println(
                "grant "
                    + g.id()
                    + ": "
                    + g.subject()
                    + " may "
                    + (Mode.R.wire().equals(g.mode())
                        ? "see every run of "
                        : "launch and see its runs of ")
                    + g.resource()
                    + (g.level() == null ? "" : " at level " + g.level()));
      }
      return Exit.OK;
    }

    /** The level given, checked; else the default for the resource. */
    static String level(String given, String resource) {
      if (given == null || given.isBlank()) {
        return resource.startsWith(Resources.NODE) ? "full" : "basic";
      }
      try {
        return Level.valueOf(given.strip().toUpperCase(Locale.ROOT))
            .name()
            .toLowerCase(Locale.ROOT);
      } catch (IllegalArgumentException e) {
        throw CliException.usage(
            "LEVEL must be basic, advanced or full, not '" + given.strip() + "'");
      }
    }
  }

  /** {@code koco grant list}. */
  @Command(
      mixinStandardHelpOptions = true,
      name = "list",
      description = "List the grants, of one subject or on one resource.")
  static final class ListGrants extends ProviderCommand {
    @Option(names = "--subject", paramLabel = "SUBJECT", description = "Only this subject's.")
    String subject;

    @Option(names = "--resource", paramLabel = "RESOURCE", description = "Only on this resource.")
    String resource;

    @Option(names = "--json", description = "Print the provider's list as JSON.")
    boolean json;

    @Override
    public Integer call() {
      Page<Grant> grants = auth().grants(subject, resource);
      PrintWriter out = out();
      if (json) {
        out.println(Json.write(grants));
        return Exit.OK;
      }
      Table table = new Table("ID", "SUBJECT", "RESOURCE", "MODE", "LEVEL");
      for (Grant g : grants.items()) {
        table.row(g.id(), g.subject(), g.resource(), g.mode(), g.level() == null ? "-" : g.level());
      }
      table.print(out, "");
      out.println();
      out.println(ListArgs.plural(grants.filtered(), "grant"));
      return Exit.OK;
    }
  }

  /** {@code koco grant remove ID}. */
  @Command(
      mixinStandardHelpOptions = true,
      name = "remove",
      description = "Remove a grant (its ID as koco grant list shows it).")
  static final class Remove extends ProviderCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The grant's id.")
    String id;

    @Option(names = "--json", description = "Print {id, removed:true}.")
    boolean json;

    @Override
    public Integer call() {
      auth().removeGrant(id);
      if (json) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", id);
        answer.put("removed", true);
        out().println(Json.write(answer));
      } else {
        out().println("grant " + id + " removed; nodes apply it within kodo.auth.grants-refresh");
      }
      return Exit.OK;
    }
  }
}
