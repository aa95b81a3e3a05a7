package dev.kodo.cli;

import dev.kodo.client.AuthClient;
import dev.kodo.client.Json;
import dev.kodo.client.Page;
import dev.kodo.client.access.Role;
import dev.kodo.client.access.Subjects;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code koco user add|list|show|set|remove|passwd}: an operator's management of the auth
 * provider's users ({@code /auth/users}, docs/security.md), and a user's own password. Passwords
 * are asked on the terminal without echo or read from standard input; never taken as an option.
 */
final class UserCommands {
  private UserCommands() {}

  /** {@code koco user}: only its subcommands do something. */
  @Command(
      mixinStandardHelpOptions = true,
      name = "user",
      description = {
        "Manage the auth provider's users (operators), or change your own password (koco user passwd).",
        "",
        "Roles: operator (everything), developer, user. A user's grants are its own and its groups' (koco grant)."
      },
      footer = {
        "",
        "Examples:",
        "  koco user add alice --roles user --groups team-a",
        "  koco user list",
        "  koco user set alice --roles developer",
        "  koco user passwd"
      },
      subcommands = {Add.class, ListUsers.class, Show.class, Set.class, Remove.class, Passwd.class})
  static final class Users implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "missing a subcommand: add, list, show, set, remove or passwd");
    }
  }

  /** Checks role names before the provider is asked; the wire names. */
  static List<String> roles(List<String> given) {
    List<String> roles = new ArrayList<>();
    for (String r : given) {
      if (r.isBlank()) continue;
      try {
        roles.add(Role.parse(r).wire());
      } catch (IllegalArgumentException e) {
        throw CliException.usage("--roles: " + e.getMessage());
      }
    }
    return roles;
  }

  /**
   * Checks user or group names before the provider is asked; {@code prefix} ({@code user:}, {@code
   * group:}) is dropped from a name given as a subject.
   */
  static List<String> names(List<String> given, String option, String prefix) {
    List<String> names = new ArrayList<>();
    for (String n : given) {
      String s = n.strip();
      if (s.isEmpty()) continue;
      if (s.startsWith(prefix)) s = s.substring(prefix.length());
      if (!Subjects.validName(s)) {
        throw CliException.usage(
            option + ": '" + s + "' is not a name (1-64 letters, digits, '.', '_', '@' or '-')");
      }
      names.add(s);
    }
    return names;
  }

  static void checkName(String name, String what) {
    if (!Subjects.validName(name)) {
      throw CliException.usage(
          what + " '" + name + "' is not a name: 1-64 letters, digits, '.', '_', '@' or '-'");
    }
  }

  static void print(PrintWriter out, AuthClient.User u) {
    out.println("user    " + u.username());
    out.println("roles   " + orDash(u.roles()));
    out.println("groups  " + orDash(u.groups()));
  }

  static String orDash(List<String> values) {
    return values.isEmpty() ? "-" : String.join(", ", values);
  }

  /** {@code koco user add NAME}. */
  @Command(
      mixinStandardHelpOptions = true,
      name = "add",
      description = {
        "Add a user. The password is asked for twice without echo, or read from standard input with "
            + "--password-stdin."
      },
      footer = {"", "Example:", "  koco user add alice --roles user --groups team-a,team-b"})
  static final class Add extends ProviderCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The user's name.")
    String name;

    @Option(
        names = "--roles",
        split = ",",
        paramLabel = "ROLE",
        description = "operator, developer and/or user (default: user).")
    List<String> roles = new ArrayList<>();

    @Option(
        names = "--groups",
        split = ",",
        paramLabel = "GROUP",
        description = "The groups it is in.")
    List<String> groups = new ArrayList<>();

    @Option(names = "--password-stdin", description = "Read the password from standard input.")
    boolean passwordStdin;

    @Option(names = "--json", description = "Print the user as the provider answers it.")
    boolean json;

    @Override
    public Integer call() {
      checkName(name, "NAME");
      List<String> r = roles(roles);
      if (r.isEmpty()) r = List.of(Role.USER.wire());
      List<String> g = names(groups, "--groups", Subjects.GROUP);
      String password = newSecret(passwordStdin, "Password for " + name + ": ");
      AuthClient.User u = auth().addUser(name, password, r, g);
      if (json) {
        out().println(Json.write(u));
      } else {
        out()
            .println(
                "user "
                    + u.username()
                    + " added ("
                    + orDash(u.roles())
                    + "); it may do nothing on a node until it holds a grant: koco grant add user:"
                    + u.username()
                    + " flow://NODE/PATH x basic");
      }
      return Exit.OK;
    }
  }

  /** {@code koco user list}. */
  @Command(mixinStandardHelpOptions = true, name = "list", description = "List the users.")
  static final class ListUsers extends ProviderCommand {
    @Option(names = "--json", description = "Print the provider's list as JSON.")
    boolean json;

    @Override
    public Integer call() {
      Page<AuthClient.User> users = auth().users();
      PrintWriter out = out();
      if (json) {
        out.println(Json.write(users));
        return Exit.OK;
      }
      Table table = new Table("USER", "ROLES", "GROUPS");
      for (AuthClient.User u : users.items()) {
        table.row(u.username(), orDash(u.roles()), orDash(u.groups()));
      }
      table.print(out, "");
      out.println();
      out.println(ListArgs.plural(users.total(), "user"));
      return Exit.OK;
    }
  }

  /** {@code koco user show NAME}. */
  @Command(mixinStandardHelpOptions = true, name = "show", description = "Show one user.")
  static final class Show extends ProviderCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The user's name.")
    String name;

    @Option(names = "--json", description = "Print the user as the provider answers it.")
    boolean json;

    @Override
    public Integer call() {
      AuthClient.User u = auth().user(name);
      if (json) {
        out().println(Json.write(u));
      } else {
        print(out(), u);
      }
      return Exit.OK;
    }
  }

  /** {@code koco user set NAME --roles … --groups …}. */
  @Command(
      mixinStandardHelpOptions = true,
      name = "set",
      description = {
        "Change a user's roles or groups; what is not given stays as it is. Its tokens carry the new roles "
            + "from their next renewal (minutes)."
      },
      footer = {"", "Example:", "  koco user set alice --roles developer --groups team-a"})
  static final class Set extends ProviderCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The user's name.")
    String name;

    @Option(
        names = "--roles",
        split = ",",
        paramLabel = "ROLE",
        description = "The user's roles from now on.")
    List<String> roles;

    @Option(
        names = "--groups",
        split = ",",
        paramLabel = "GROUP",
        description = "The user's groups from now on (--groups '' for none).")
    List<String> groups;

    @Option(names = "--json", description = "Print the user as the provider answers it.")
    boolean json;

    @Override
    public Integer call() {
      if (roles == null && groups == null) {
        throw CliException.usage("nothing to change: give --roles and/or --groups");
      }
      List<String> r = roles == null ? null : roles(roles);
      if (r != null && r.isEmpty()) {
        throw CliException.usage("--roles needs at least one of operator, developer, user");
      }
      List<String> g = groups == null ? null : names(groups, "--groups", Subjects.GROUP);
      AuthClient auth = auth();
      AuthClient.User now = auth.user(name);
      AuthClient.User u =
          auth.updateUser(name, r == null ? now.roles() : r, g == null ? now.groups() : g);
      if (json) {
        out().println(Json.write(u));
      } else {
        print(out(), u);
      }
      return Exit.OK;
    }
  }

  /** {@code koco user remove NAME}. */
  @Command(
      mixinStandardHelpOptions = true,
      name = "remove",
      description = "Remove a user. Its access tokens stay valid until they expire (minutes).")
  static final class Remove extends ProviderCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The user's name.")
    String name;

    @Override
    public Integer call() {
      auth().removeUser(name);
      out().println("user " + name + " removed");
      return Exit.OK;
    }
  }

  /** {@code koco user passwd [NAME]}. */
  @Command(
      mixinStandardHelpOptions = true,
      name = "passwd",
      description = {
        "Change a password: your own (asks the old one first), or as an operator another user's.",
        "",
        "With --password-stdin the first line of standard input is the old password (your own only) and the next "
            + "the new one."
      },
      footer = {"", "Examples:", "  koco user passwd", "  koco user passwd bob"})
  static final class Passwd extends ProviderCommand {
    @Parameters(
        index = "0",
        arity = "0..1",
        paramLabel = "NAME",
        description = "Whose password (default: the logged-in user's).")
    String name;

    @Option(names = "--password-stdin", description = "Read the passwords from standard input.")
    boolean passwordStdin;

    @Override
    public Integer call() {
      AuthClient auth = auth();
      String self = auth.me().subject();
      String own =
          self != null && self.startsWith(Subjects.USER)
              ? self.substring(Subjects.USER.length())
              : null;
      String who = name == null || name.isBlank() ? own : name.strip();
      if (who == null) {
        throw CliException.usage(
            "the token is for " + self + ", not a user: name the user whose password to change");
      }
      boolean mine = who.equals(own);
      String old = mine ? secret(passwordStdin, "Current password: ", "") : null;
      String password = newSecret(passwordStdin, "New password for " + who + ": ");
      auth.changePassword(who, old, password);
      out().println("password of " + who + " changed" + (mine ? "" : " (tell them the new one)"));
      return Exit.OK;
    }
  }
}
