package dev.kodo.cli;

import dev.kodo.client.AuthClient;
import dev.kodo.client.Json;
import dev.kodo.client.Page;
import dev.kodo.client.access.Subjects;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code koco group add|list|show|set|remove}: an operator's management of the auth provider's
 * groups ({@code /auth/groups}, docs/security.md). A group's grants apply to its members.
 */
final class GroupCommands {
  private GroupCommands() {}

  /** {@code koco group}: only its subcommands do something. */
  @Command(
      mixinStandardHelpOptions = true,
      name = "group",
      description = {
        "Manage the auth provider's groups (operators). A group's grants (koco grant add group:NAME …) apply "
            + "to its members."
      },
      footer = {
        "",
        "Examples:",
        "  koco group add team-a --members alice,bob",
        "  koco group set team-a --add-member carol",
        "  koco group list"
      },
      subcommands = {Add.class, ListGroups.class, Show.class, Set.class, Remove.class})
  static final class Groups implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "missing a subcommand: add, list, show, set or remove");
    }
  }

  static void print(PrintWriter out, AuthClient.Group g) {
    out.println("group    " + g.name());
    out.println("members  " + UserCommands.orDash(g.members()));
  }

  /** {@code koco group add NAME}. */
  @Command(mixinStandardHelpOptions = true, name = "add", description = "Add a group.")
  static final class Add extends ProviderCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The group's name.")
    String name;

    @Option(
        names = "--members",
        split = ",",
        paramLabel = "USER",
        description = "Its members' user names.")
    List<String> members = new ArrayList<>();

    @Option(names = "--json", description = "Print the group as the provider answers it.")
    boolean json;

    @Override
    public Integer call() {
      UserCommands.checkName(name, "NAME");
      AuthClient.Group g =
          auth().addGroup(name, UserCommands.names(members, "--members", Subjects.USER));
      if (json) {
        out().println(Json.write(g));
      } else {
        out()
            .println(
                "group "
                    + g.name()
                    + " added with "
                    + ListArgs.plural(g.members().size(), "member")
                    + "; grant it access with koco grant add group:"
                    + g.name()
                    + " …");
      }
      return Exit.OK;
    }
  }

  /** {@code koco group list}. */
  @Command(mixinStandardHelpOptions = true, name = "list", description = "List the groups.")
  static final class ListGroups extends ProviderCommand {
    @Option(names = "--json", description = "Print the provider's list as JSON.")
    boolean json;

    @Override
    public Integer call() {
      Page<AuthClient.Group> groups = auth().groups();
      PrintWriter out = out();
      if (json) {
        out.println(Json.write(groups));
        return Exit.OK;
      }
      Table table = new Table("GROUP", "MEMBERS");
      for (AuthClient.Group g : groups.items()) {
        table.row(g.name(), UserCommands.orDash(g.members()));
      }
      table.print(out, "");
      out.println();
      out.println(ListArgs.plural(groups.total(), "group"));
      return Exit.OK;
    }
  }

  /** {@code koco group show NAME}. */
  @Command(mixinStandardHelpOptions = true, name = "show", description = "Show one group.")
  static final class Show extends ProviderCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The group's name.")
    String name;

    @Option(names = "--json", description = "Print the group as the provider answers it.")
    boolean json;

    @Override
    public Integer call() {
      AuthClient.Group g = auth().group(name);
      if (json) {
        out().println(Json.write(g));
      } else {
        print(out(), g);
      }
      return Exit.OK;
    }
  }

  /** {@code koco group set NAME}. */
  @Command(
      mixinStandardHelpOptions = true,
      name = "set",
      description = {
        "Change a group's members: --members replaces them, --add-member and --remove-member change some."
      },
      footer = {
        "",
        "Examples:",
        "  koco group set team-a --members alice,bob",
        "  koco group set team-a --add-member carol --remove-member bob"
      })
  static final class Set extends ProviderCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The group's name.")
    String name;

    @Option(
        names = "--members",
        split = ",",
        paramLabel = "USER",
        description = "Its members from now on (--members '' for none).")
    List<String> members;

    @Option(names = "--add-member", paramLabel = "USER", description = "Add this member.")
    List<String> add = new ArrayList<>();

    @Option(names = "--remove-member", paramLabel = "USER", description = "Remove this member.")
    List<String> remove = new ArrayList<>();

    @Option(names = "--json", description = "Print the group as the provider answers it.")
    boolean json;

    @Override
    public Integer call() {
      if (members == null && add.isEmpty() && remove.isEmpty()) {
        throw CliException.usage(
            "nothing to change: give --members, --add-member or --remove-member");
      }
      if (members != null && (!add.isEmpty() || !remove.isEmpty())) {
        throw CliException.usage(
            "--members replaces every member: it cannot be combined with --add-member or --remove-member");
      }
      AuthClient auth = auth();
      LinkedHashSet<String> next =
          new LinkedHashSet<>(
              members != null
                  ? UserCommands.names(members, "--members", Subjects.USER)
                  : auth.group(name).members());
      next.addAll(UserCommands.names(add, "--add-member", Subjects.USER));
      UserCommands.names(remove, "--remove-member", Subjects.USER).forEach(next::remove);
      AuthClient.Group g = auth.updateGroup(name, List.copyOf(next));
      if (json) {
        out().println(Json.write(g));
      } else {
        print(out(), g);
      }
      return Exit.OK;
    }
  }

  /** {@code koco group remove NAME}. */
  @Command(
      mixinStandardHelpOptions = true,
      name = "remove",
      description = "Remove a group; its members lose the access its grants gave.")
  static final class Remove extends ProviderCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The group's name.")
    String name;

    @Override
    public Integer call() {
      auth().removeGroup(name);
      out().println("group " + name + " removed");
      return Exit.OK;
    }
  }
}
