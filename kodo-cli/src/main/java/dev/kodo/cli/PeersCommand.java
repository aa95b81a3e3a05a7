package dev.kodo.cli;

import dev.kodo.client.Json;
import dev.kodo.client.RegistryPeer;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code koco peers}: the registries a registry federates with; add, remove and sync them. */
@Command(
    mixinStandardHelpOptions = true,
    name = "peers",
    description = {
      "List the registries a registry federates with, or add, remove or sync one.",
      "",
      "A peer's role is seen from the registry it is added to: a provider's export is pulled from it, a contributor "
          + "may push its export here, and this registry pushes its own to a consumer (which must have this registry "
          + "as a contributor). A peer's name is its kodo.registry.name. Exchanges happen every kodo.registry.sync-interval; "
          + "--sync exchanges now and exits 1 if that failed."
    },
    footer = {
      "",
      "Examples:",
      "  koco peers --registry http://127.0.0.1:3371",
      "  koco peers --add us --url http://us-registry:3371 --role provider",
      "  koco peers --sync us",
      "  koco peers --remove us"
    })
final class PeersCommand extends RegistryCommand {
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

  @Option(
      names = "--add",
      paramLabel = "NAME",
      description = "Add a peer (or change the one of that name): its kodo.registry.name.")
  String add;

  @Option(
      names = "--url",
      paramLabel = "URL",
      description = "With --add: the peer's base URL (required for a provider or consumer).")
  String url;

  @Option(
      names = "--role",
      paramLabel = "ROLE",
      description =
          "With --add: provider (pull its export), contributor (accept its pushes) or consumer (push the export to it).")
  String role;

  @Option(
      names = "--remove",
      paramLabel = "NAME",
      description = "Remove a peer, with every node taken in from it.")
  String remove;

  @Option(
      names = "--sync",
      paramLabel = "NAME",
      description = "Exchange with a peer now and say how it went.")
  String sync;

  @Option(names = "--json", description = "Print the registry's answer as JSON.")
  boolean json;

  @Override
  public Integer call() {
    checkUsage();
    if (add != null) return add();
    if (remove != null) return remove();
    if (sync != null) return sync();
    return list();
  }

  private void checkUsage() {
    List<String> actions = new ArrayList<>();
    if (add != null) actions.add("--add");
    if (remove != null) actions.add("--remove");
    if (sync != null) actions.add("--sync");
    if (actions.size() > 1) {
      throw CliException.usage(
          String.join(" and ", actions) + " cannot be combined: give one of them");
    }
    if (add == null && (url != null || role != null)) {
      throw CliException.usage((url != null ? "--url" : "--role") + " goes with --add NAME");
    }
    for (String[] named : new String[][] {{"--add", add}, {"--remove", remove}, {"--sync", sync}}) {
      if (named[1] != null && named[1].isBlank()) {
        throw CliException.usage(named[0] + " needs the peer's name (its kodo.registry.name)");
      }
    }
    if (add == null) return;
    if (role == null || role.isBlank()) {
      throw CliException.usage("--add needs --role provider, contributor or consumer");
    }
    if (!RegistryPeer.ROLES.contains(role)) {
      throw CliException.usage(
          "--role must be provider (pull its export), contributor (accept its pushes) or consumer"
              + " (push the export to it), not '"
              + role
              + "'");
    }
    if (!role.equals("contributor") && (url == null || url.isBlank())) {
      throw CliException.usage(
          "--add " + add + " needs --url: a " + role + "'s base URL, e.g. http://127.0.0.1:3371");
    }
  }

  private int list() {
    List<RegistryPeer> peers = registry.call(r -> r.peers());
    PrintWriter out = out();
    if (json) {
      out.println(Json.write(peers));
      return Exit.OK;
    }
    if (peers.isEmpty()) {
      out.println(
          "no peers; koco peers --add NAME --url URL --role provider|contributor|consumer adds one");
      return Exit.OK;
    }
    ZoneId zone = ZoneId.systemDefault();
    Table table = new Table("NAME", "ROLE", "URL", "LAST SYNC", "NODES", "ERROR");
    for (RegistryPeer p : peers) {
      table.row(
          p.name(),
          p.role(),
          NodesCommand.orDash(p.url()),
          when(p.lastSync(), zone),
          p.nodes(),
          NodesCommand.orDash(p.lastError()));
    }
    table.print(out, "");
    out.println();
    out.println(ListArgs.plural(peers.size(), "peer"));
    return Exit.OK;
  }

  private int add() {
    RegistryPeer peer = registry.call(r -> r.addPeer(add, url, role));
    PrintWriter out = out();
    if (json) {
      out.println(Json.write(peer));
    } else {
      out.println(added(peer));
    }
    return Exit.OK;
  }

  /** What adding the peer means, in one sentence for its role. */
  static String added(RegistryPeer peer) {
    String what = "peer " + peer.name() + " added as a " + peer.role() + ": ";
    return what
        + switch (peer.role()) {
          case "provider" ->
              "this registry pulls " + peer.url() + "/registry/export every sync interval";
          case "contributor" ->
              "it may push its export to this registry, once it has this registry as a consumer";
          case "consumer" ->
              "this registry pushes its export to "
                  + peer.url()
                  + "/registry/import every sync interval"
                  + " ("
                  + peer.name()
                  + " must have this registry as a contributor)";
          default -> "the registry did not say what that means";
        };
  }

  private int remove() {
    registry.call(
        r -> {
          r.removePeer(remove);
          return null;
        });
    PrintWriter out = out();
    if (json) {
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("peer", remove);
      answer.put("removed", true);
      out.println(Json.write(answer));
    } else {
      out.println("peer " + remove + " removed, with every node taken in from it");
    }
    return Exit.OK;
  }

  private int sync() {
    RegistryPeer peer = registry.call(r -> r.syncPeer(sync));
    PrintWriter out = out();
    if (json) {
      out.println(Json.write(peer));
      return peer.failed() ? Exit.FAILED : Exit.OK;
    }
    if (peer.failed()) {
      throw new CliException(
          Exit.FAILED,
          "sync with " + peer.name() + " failed: " + peer.lastError() + kocoHint(peer));
    }
    out.println(synced(peer));
    return Exit.OK;
  }

  /** How a successful exchange went, e.g. {@code synced with eu: 12 nodes}. */
  static String synced(RegistryPeer peer) {
    String nodes = ListArgs.plural(peer.nodes(), "node");
    String problem =
        peer.lastError() == null || peer.lastError().isBlank() ? "" : "; " + peer.lastError();
    return switch (peer.role()) {
      case "contributor" ->
          peer.name()
              + " is a contributor: it pushes to this registry by itself; "
              + (peer.lastSync() == null
                  ? "nothing pushed yet"
                  : nodes
                      + " from its last push at "
                      + when(peer.lastSync(), ZoneId.systemDefault()))
              + problem;
      case "consumer" ->
          "synced with "
              + peer.name()
              + ": it took "
              + nodes
              + (peer.rejected() > 0 && problem.isEmpty()
                  ? " and left " + peer.rejected() + " out"
                  : "")
              + problem;
      default -> "synced with " + peer.name() + ": " + nodes + problem;
    };
  }

  /**
   * For a consumer that refuses this registry's pushes, the {@code koco} command its admin runs
   * (the registry's message names the HTTP call).
   */
  private String kocoHint(RegistryPeer peer) {
    if (!"consumer".equals(peer.role())
        || !peer.lastError().contains("as a contributor")
        || peer.url() == null) {
      return "";
    }
    try {
      String self = registry.client().state().name();
      return " (with koco: koco peers --add "
          + self
          + " --role contributor --registry "
          + peer.url()
          + ")";
    } catch (RuntimeException noName) {
      return "";
    }
  }

  private static String when(Instant instant, ZoneId zone) {
    return instant == null ? "-" : WHEN.format(instant.atZone(zone));
  }
}
