package dev.kodo.cli;

import dev.kodo.client.AuthClient;
import dev.kodo.client.CredentialStore;
import dev.kodo.client.Json;
import dev.kodo.client.NodeException;
import dev.kodo.client.StoredToken;
import dev.kodo.client.TokenSupplier;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code koco login}: logs in at an auth provider ({@code POST /auth/login}) and keeps the tokens
 * in the user's {@link CredentialStore} under the URL, where every client command for that URL
 * finds them (docs/security.md#the-command-line-and-its-tokens). The password is asked on the
 * terminal without echo, or read from standard input with {@code --password-stdin}; there is no
 * option that takes it, so it never shows in a process list.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "login",
    description = {
      "Log in to a node (or an auth provider) and keep the token for it.",
      "",
      "The password is asked for without echo, or read from standard input with --password-stdin. The token and "
          + "its refresh token are kept in ~/.kodo/credentials.json (owner-only; $KODO_CONFIG_DIR moves it) under "
          + "the URL; every koco command for that URL sends it, renewing it when it expires, until koco logout. "
          + "koco serve writes a token for the local operator there by itself: no login is needed on the same "
          + "machine."
    },
    footer = {
      "",
      "Examples:",
      "  koco login --username alice",
      "  koco login --url https://kodo.example.org --username alice",
      "  printf '%s\\n' \"$PASSWORD\" | koco login --username ci --password-stdin",
      "  koco login --url http://node-a:3370 --auth http://auth:3372 --username alice"
    })
final class LoginCommand extends ProviderCommand {
  @Option(
      names = {"--username", "-u"},
      paramLabel = "NAME",
      description = "Who logs in (asked for on a terminal when not given).")
  String username;

  @Option(
      names = "--password-stdin",
      description = "Read the password from the first line of standard input (for scripts).")
  boolean passwordStdin;

  @Option(
      names = "--auth",
      paramLabel = "URL",
      description =
          "The auth provider, when it is not at --url (a node whose provider runs elsewhere); the token is kept "
              + "for --url and renewed at this URL.")
  String authUrl;

  @Option(names = "--json", description = "Print {url, subject, roles, groups, expires_at}.")
  boolean json;

  @Override
  public Integer call() {
    String url = provider.url();
    String at = authUrl == null || authUrl.isBlank() ? url : authUrl.strip();
    try {
      CredentialStore.key(url);
      CredentialStore.key(at);
    } catch (IllegalArgumentException e) {
      throw CliException.usage((at.equals(url) ? "--url: " : "--url or --auth: ") + e.getMessage());
    }
    String user = username();
    String password =
        secret(
            passwordStdin,
            "Password for " + user + " at " + at + ": ",
            ", e.g. printf '%s\\n' \"$PASSWORD\" | koco login --username "
                + user
                + " --password-stdin");

    AuthClient.Tokens tokens;
    try {
      tokens = AuthClient.connect(at).login(user, password);
    } catch (NodeException e) {
      if (e.status() == 401) {
        throw new CliException(
            Exit.AUTH, "login at " + at + " failed: " + detail(e, "wrong username or password"));
      }
      throw e;
    }
    AuthClient.Me me = whoIs(at, tokens, user);
    StoredToken stored =
        tokens.toStored(me.subject(), Instant.now(), false, at.equals(url) ? null : at);
    CredentialStore store = store();
    store.save(url, stored);

    PrintWriter out = out();
    if (json) {
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("url", CredentialStore.key(url));
      answer.put("subject", me.subject());
      answer.put("roles", me.roles());
      answer.put("groups", me.groups());
      answer.put(
          "expires_at", stored.expiresAt() == null ? null : Json.timestamp(stored.expiresAt()));
      out.println(Json.write(answer));
    } else {
      out.println(
          "logged in to "
              + url
              + " as "
              + me.subject()
              + (me.roles().isEmpty() ? "" : " (" + String.join(", ", me.roles()) + ")"));
      out.println(
          "the token is kept in "
              + store.file()
              + (stored.refreshToken() != null
                  ? " and renewed when it expires, until koco logout"
                  : "; log in again when it expires")
              + (stored.expiresAt() == null
                  ? ""
                  : " (next expiry " + Json.timestamp(stored.expiresAt()) + ")"));
    }
    return Exit.OK;
  }

  private String username() {
    if (username != null && !username.isBlank()) return username.strip();
    Terminal t = Terminal.current();
    if (passwordStdin || !t.interactive()) {
      throw CliException.usage("--username is needed: there is no terminal to ask for it on");
    }
    String u = t.ask("Username: ");
    if (u == null || u.isBlank()) throw new CliException(Exit.FAILED, "no username given");
    return u.strip();
  }

  /** Whose the new token is; the provider's {@code /auth/me}, else the name logged in with. */
  private static AuthClient.Me whoIs(String at, AuthClient.Tokens tokens, String user) {
    try {
      return AuthClient.connect(at, TokenSupplier.fixed(tokens.accessToken(), "the new token"))
          .me();
    } catch (RuntimeException e) {
      return new AuthClient.Me("user:" + user, List.of(), List.of());
    }
  }

  static String detail(NodeException e, String otherwise) {
    String d = e.problem().detail();
    return d == null || d.isBlank() ? otherwise : d;
  }
}
