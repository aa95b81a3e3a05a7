package dev.kodo.cli;

import dev.kodo.client.AuthClient;
import dev.kodo.client.CredentialStore;
import dev.kodo.client.Json;
import dev.kodo.client.StoredToken;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code koco whoami}: who the token koco sends to a URL is for ({@code GET /auth/me}), with its
 * roles and groups and where the token comes from.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "whoami",
    description = {
      "Show who the token sent to a node or auth provider is for: subject, roles and groups.",
      "",
      "Without a token, or with one that has expired and cannot be renewed, it says so (exit 5)."
    },
    footer = {"", "Example:", "  koco whoami --url https://kodo.example.org"})
final class WhoamiCommand extends ProviderCommand {
  @Option(names = "--json", description = "Print the provider's answer {subject, roles, groups}.")
  boolean json;

  @Override
  public Integer call() {
    AuthClient.Me me = auth().me();
    PrintWriter out = out();
    if (json) {
      out.println(Json.write(me));
      return Exit.OK;
    }
    String url = provider.url();
    out.println(me.subject() + " at " + url);
    out.println("roles:  " + (me.roles().isEmpty() ? "-" : String.join(", ", me.roles())));
    out.println("groups: " + (me.groups().isEmpty() ? "-" : String.join(", ", me.groups())));
    out.println("token:  " + origin(url));
    return Exit.OK;
  }

  private String origin(String url) {
    if (provider.token != null && !provider.token.isBlank()) return "given with --token";
    String env = System.getenv(CliTokens.ENV);
    if (env != null && !env.isBlank()) return "from $" + CliTokens.ENV;
    Optional<StoredToken> kept;
    try {
      kept = store().find(url);
    } catch (RuntimeException e) {
      return "kept for " + url;
    }
    CredentialStore store = store();
    return kept.map(
            t ->
                (t.local() ? "the local operator's, written by koco serve" : "kept by koco login")
                    + " in "
                    + store.file()
                    + (t.expiresAt() == null ? "" : ", expires " + t.expiresAt())
                    + (t.refreshToken() == null ? "" : ", renewed when it does"))
        .orElse("kept for " + url);
  }
}
