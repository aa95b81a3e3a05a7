package dev.kodo.cli;

import dev.kodo.client.CredentialStore;
import dev.kodo.client.Json;
import dev.kodo.client.StoredToken;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code koco logout}: forgets the token kept for a URL (or, with {@code --all}, every one) in the
 * user's {@link CredentialStore}. Local only: the provider is not asked anything, and the access
 * token stays valid until it expires (docs/security.md#the-command-line-and-its-tokens).
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "logout",
    description = {
      "Forget the token kept for a node or auth provider (or every one with --all).",
      "",
      "Only this machine forgets it: an access token someone copied stays valid until it expires (minutes). "
          + "Logging out of the URL koco serve wrote the local operator's token for removes that token until "
          + "the node starts again."
    },
    footer = {"", "Examples:", "  koco logout", "  koco logout --url https://kodo.example.org"})
final class LogoutCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--url",
      paramLabel = "URL",
      description =
          "The node or auth provider (default: $KODO_AUTH, else $KODO_NODE, else "
              + ProviderOptions.DEFAULT_URL
              + ").")
  String url;

  @Option(names = "--all", description = "Forget every token kept.")
  boolean all;

  @Option(names = "--json", description = "Print {url, removed} (or {removed:[urls]} with --all).")
  boolean json;

  @Override
  public Integer call() {
    CredentialStore store = ProviderCommand.store();
    PrintWriter out = spec.commandLine().getOut();
    if (all) {
      if (url != null) throw CliException.usage("--url and --all cannot be combined");
      var keys = store.all().keySet();
      for (String k : keys) store.remove(k);
      if (json) {
        out.println(Json.write(Map.of("removed", keys)));
      } else {
        out.println(
            keys.isEmpty()
                ? "no tokens were kept in " + store.file()
                : "logged out of "
                    + ListArgs.plural(keys.size(), "URL")
                    + ": "
                    + String.join(", ", keys));
      }
      return Exit.OK;
    }
    String u = ProviderOptions.resolve(url, System.getenv());
    String key;
    try {
      key = CredentialStore.key(u);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--url: " + e.getMessage());
    }
    Optional<StoredToken> kept = store.find(u);
    boolean removed = store.remove(u);
    if (json) {
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("url", key);
      answer.put("removed", removed);
      out.println(Json.write(answer));
    } else if (removed) {
      out.println(
          "logged out of "
              + key
              + kept.map(StoredToken::subject).map(s -> " (" + s + ")").orElse("")
              + ": its token is removed from "
              + store.file());
    } else {
      out.println("not logged in to " + key + ": no token is kept for it in " + store.file());
    }
    return Exit.OK;
  }
}
