package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.CredentialStore;
import dev.kodo.client.Json;
import dev.kodo.client.StoredToken;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * koco login, logout, whoami, user, group, grant and client, and the token every client command
 * sends, against a stand-in node that answers like one with its auth provider (docs/security.md).
 * The user's token store is a temporary directory ({@code kodo.config.dir}).
 */
class AuthCommandsTest {
  static final String TOKENS =
      "{\"access_token\":\"access-1\",\"token_type\":\"Bearer\",\"expires_in\":900,"
          + "\"refresh_token\":\"refresh-1\"}";
  static final String ALICE =
      "{\"subject\":\"user:alice\",\"roles\":[\"operator\"],\"groups\":[\"team-a\"]}";
  static final String NO_TOKEN =
      "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"a bearer token is required\"}";
  static final String EMPTY_PAGE = "{\"total\":0,\"filtered\":0,\"p\":1,\"pp\":1000,\"items\":[]}";

  @TempDir Path home;
  FakeNode node;
  String previous;

  @BeforeEach
  void start() throws Exception {
    previous = System.getProperty(CredentialStore.DIR_PROPERTY);
    System.setProperty(CredentialStore.DIR_PROPERTY, home.resolve("kodo").toString());
    node =
        new FakeNode()
            .on("POST", "/auth/login", new FakeNode.Answer(200, TOKENS))
            .on("GET", "/auth/me", new FakeNode.Answer(200, ALICE))
            .on("GET", "/api/flows", new FakeNode.Answer(200, EMPTY_PAGE));
  }

  @AfterEach
  void stop() {
    node.close();
    if (previous == null) System.clearProperty(CredentialStore.DIR_PROPERTY);
    else System.setProperty(CredentialStore.DIR_PROPERTY, previous);
  }

  private Cli koco(String... args) {
    return Cli.runAt("--url", node.url(), args);
  }

  private static Terminal person(String input, StringWriter seen) {
    return Terminal.scripted(true, input, new PrintWriter(seen));
  }

  private static Terminal script(String stdin) {
    return Terminal.scripted(false, stdin, new PrintWriter(new StringWriter()));
  }

  private static Cli on(Terminal terminal, String... args) throws Exception {
    try (AutoCloseable t = Terminal.install(terminal)) {
      return Cli.run(args);
    }
  }

  private CredentialStore store() {
    return CredentialStore.standard();
  }

  private void loggedIn() {
    store()
        .save(
            node.url(),
            new StoredToken(
                "access-1",
                "refresh-1",
                Instant.now().plusSeconds(600),
                "user:alice",
                false,
                null));
  }

  @Test
  void loginAsksForThePasswordUnseenKeepsTheTokenOwnerOnlyAndClientCommandsSendIt()
      throws Exception {
    StringWriter seen = new StringWriter();
    Cli login = on(person("alice\nS3cret-pw\n", seen), "login", "--url", node.url());

    assertThat(login.exitCode()).as(login.err()).isEqualTo(Exit.OK);
    assertThat(login.out())
        .contains("logged in to " + node.url() + " as user:alice (operator)")
        .contains("renewed when it expires, until koco logout");
    assertThat(seen.toString())
        .contains("Username: alice")
        .contains("Password for alice at " + node.url() + ": ")
        .doesNotContain("S3cret-pw");
    assertThat(login.out() + login.err()).doesNotContain("S3cret-pw").doesNotContain("access-1");
    JsonNode body = Json.read(node.bodies("POST", "/auth/login").getFirst());
    assertThat(body.path("username").asString()).isEqualTo("alice");
    assertThat(body.path("password").asString()).isEqualTo("S3cret-pw");
    assertThat(node.authorizations("POST", "/auth/login")).containsExactly("none");

    StoredToken kept = store().find(node.url()).orElseThrow();
    assertThat(kept.accessToken()).isEqualTo("access-1");
    assertThat(kept.refreshToken()).isEqualTo("refresh-1");
    assertThat(kept.subject()).isEqualTo("user:alice");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store().file())))
        .isEqualTo("rw-------");

    String localhost = node.url().replace("127.0.0.1", "localhost");
    assertThat(Cli.run("flows", "--node", localhost).exitCode()).isEqualTo(Exit.OK);
    assertThat(node.authorizations("GET", "/api/flows")).containsExactly("Bearer access-1");
  }

  @Test
  void scriptsPipeThePasswordAndThereIsNoPasswordOption() throws Exception {
    Cli piped =
        on(script("pw-from-ci\n"), "login", "--url", node.url(), "-u", "ci", "--password-stdin");
    assertThat(piped.exitCode()).as(piped.err()).isEqualTo(Exit.OK);
    assertThat(Json.read(node.bodies("POST", "/auth/login").getFirst()).path("password").asString())
        .isEqualTo("pw-from-ci");

    Cli noTerminal = on(script(""), "login", "--url", node.url(), "--username", "ci");
    assertThat(noTerminal.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(noTerminal.err())
        .contains("no terminal to ask the password on: pipe it with --password-stdin");

    Cli noUser = on(script("pw\n"), "login", "--url", node.url(), "--password-stdin");
    assertThat(noUser.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(noUser.err()).contains("--username is needed");

    Cli option = Cli.run("login", "--url", node.url(), "--username", "a", "--password", "x");
    assertThat(option.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(option.err()).contains("Unknown option").contains("--password");
  }

  @Test
  void aWrongPasswordSaysSoAndKeepsNothing() throws Exception {
    node.on(
        "POST",
        "/auth/login",
        new FakeNode.Answer(
            401,
            "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"wrong username or password\"}"));
    Cli login =
        on(script("nope\n"), "login", "--url", node.url(), "-u", "alice", "--password-stdin");
    assertThat(login.exitCode()).isEqualTo(Exit.AUTH);
    assertThat(login.err())
        .contains("koco: login at " + node.url() + " failed: wrong username or password")
        .doesNotContain("nope");
    assertThat(store().find(node.url())).isEmpty();
  }

  @Test
  void aClientCommandWithoutATokenSaysHowToLogIn() {
    node.on("GET", "/api/runs/f1", new FakeNode.Answer(401, NO_TOKEN));
    Cli status = Cli.run("status", "f1", "--node", node.url());
    assertThat(status.exitCode()).isEqualTo(Exit.AUTH);
    assertThat(status.err())
        .contains("the node at " + node.url() + " needs a token, and there is none for it")
        .contains("koco login --url " + node.url());
    assertThat(node.authorizations("GET", "/api/runs/f1")).containsExactly("none");
  }

  @Test
  void theGivenTokenWinsOverTheStoredOne() {
    loggedIn();
    node.on("GET", "/registry/nodes", new FakeNode.Answer(200, EMPTY_PAGE));
    Cli flows = Cli.run("flows", "--node", node.url(), "--token", "given-token");
    assertThat(flows.exitCode()).as(flows.err()).isEqualTo(Exit.OK);
    Cli nodes = Cli.run("nodes", "--registry", node.url());
    assertThat(nodes.exitCode()).as(nodes.err()).isEqualTo(Exit.OK);
    assertThat(node.authorizations("GET", "/api/flows")).containsExactly("Bearer given-token");
    assertThat(node.authorizations("GET", "/registry/nodes")).containsExactly("Bearer access-1");
  }

  @Test
  void aRefusedTokenSaysSoAndAForbiddenAnswerSaysWhatToCheck() {
    loggedIn();
    node.on("GET", "/api/runs/f1", new FakeNode.Answer(401, NO_TOKEN));
    Cli refused = Cli.run("status", "f1", "--node", node.url());
    assertThat(refused.exitCode()).isEqualTo(Exit.AUTH);
    assertThat(refused.err())
        .contains("refused the token `koco login` stored for user:alice")
        .contains("log in again with `koco login --url " + node.url() + "`")
        .doesNotContain("access-1");

    node.on(
        "POST",
        "/api/cleanup",
        new FakeNode.Answer(
            403,
            "{\"title\":\"Forbidden\",\"status\":403,\"detail\":\"cleanup is for operators\"}"));
    Cli forbidden = Cli.run("cleanup", "--apply", "--node", node.url());
    assertThat(forbidden.exitCode()).isEqualTo(Exit.NODE);
    assertThat(forbidden.err())
        .contains("403 Forbidden — cleanup is for operators")
        .contains("koco whoami");
  }

  @Test
  void logoutForgetsTheTokenOfItsUrlOnly() {
    loggedIn();
    store().save("http://127.0.0.1:1", StoredToken.of("other", null, "user:bob"));

    Cli out = koco("logout");
    assertThat(out.out())
        .contains("logged out of " + node.url() + " (user:alice): its token is removed from");
    assertThat(store().find(node.url())).isEmpty();
    assertThat(store().find("http://127.0.0.1:1")).isPresent();
    assertThat(koco("logout").out()).contains("not logged in to " + node.url());

    assertThat(Cli.run("logout", "--all").out()).contains("logged out of 1 URL");
    assertThat(store().all()).isEmpty();
  }

  @Test
  void whoamiSaysWhoTheTokenIsForAndWhereItComesFrom() {
    loggedIn();
    Cli who = koco("whoami");
    assertThat(who.exitCode()).as(who.err()).isEqualTo(Exit.OK);
    assertThat(who.out())
        .contains("user:alice at " + node.url())
        .contains("roles:  operator")
        .contains("groups: team-a")
        .contains("kept by koco login in " + store().file());
    assertThat(node.authorizations("GET", "/auth/me")).containsExactly("Bearer access-1");
    assertThat(Json.read(koco("whoami", "--json").out()).path("subject").asString())
        .isEqualTo("user:alice");
  }

  @Test
  void userAddAsksThePasswordTwiceAndListAndSetWork() throws Exception {
    loggedIn();
    node.on(
        "POST",
        "/auth/users",
        new FakeNode.Answer(
            201, "{\"username\":\"bob\",\"roles\":[\"developer\"],\"groups\":[\"team-a\"]}"));
    StringWriter seen = new StringWriter();
    Cli add =
        on(
            person("pw-of-bob\npw-of-bob\n", seen),
            "user",
            "add",
            "bob",
            "--roles",
            "developer",
            "--groups",
            "group:team-a",
            "--url",
            node.url());
    assertThat(add.exitCode()).as(add.err()).isEqualTo(Exit.OK);
    assertThat(add.out())
        .contains("user bob added (developer)")
        .contains("koco grant add user:bob");
    assertThat(seen.toString()).doesNotContain("pw-of-bob");
    JsonNode body = Json.read(node.bodies("POST", "/auth/users").getFirst());
    assertThat(body.path("password").asString()).isEqualTo("pw-of-bob");
    assertThat(body.path("roles").get(0).asString()).isEqualTo("developer");
    assertThat(body.path("groups").get(0).asString()).isEqualTo("team-a");

    Cli differ =
        on(person("one\ntwo\n", new StringWriter()), "user", "add", "carol", "--url", node.url());
    assertThat(differ.exitCode()).isEqualTo(Exit.FAILED);
    assertThat(differ.err()).contains("the two passwords differ");

    Cli badRole = koco("user", "add", "dave", "--roles", "admin");
    assertThat(badRole.exitCode()).isEqualTo(Exit.USAGE);
    assertThat(badRole.err())
        .contains("unknown role 'admin': expected operator, developer or user");

    node.on(
        "GET",
        "/auth/users",
        new FakeNode.Answer(
            200,
            "{\"total\":2,\"filtered\":2,\"p\":1,\"pp\":1000,\"items\":["
                + "{\"username\":\"admin\",\"roles\":[\"operator\"],\"groups\":[]},"
                + "{\"username\":\"bob\",\"roles\":[\"developer\"],\"groups\":[\"team-a\"]}]}"));
    Cli list = koco("user", "list");
    assertThat(list.out())
        .contains("USER   ROLES      GROUPS")
        .contains("admin  operator   -")
        .contains("bob    developer  team-a")
        .contains("2 users");

    node.on(
        "GET",
        "/auth/users/bob",
        new FakeNode.Answer(
            200, "{\"username\":\"bob\",\"roles\":[\"developer\"],\"groups\":[\"team-a\"]}"));
    node.on(
        "PUT",
        "/auth/users/bob",
        new FakeNode.Answer(
            200, "{\"username\":\"bob\",\"roles\":[\"user\"],\"groups\":[\"team-a\"]}"));
    Cli set = koco("user", "set", "bob", "--roles", "user");
    assertThat(set.exitCode()).as(set.err()).isEqualTo(Exit.OK);
    JsonNode put = Json.read(node.bodies("PUT", "/auth/users/bob").getFirst());
    assertThat(put.path("roles").toString()).isEqualTo("[\"user\"]");
    assertThat(put.path("groups").toString()).as("kept as it was").isEqualTo("[\"team-a\"]");
    assertThat(koco("user", "set", "bob").err()).contains("nothing to change");
  }

  @Test
  void passwdChangesOnesOwnWithTheOldOneAndAnothersWithout() throws Exception {
    loggedIn();
    node.on("PUT", "/auth/users/alice/password", new FakeNode.Answer(204, ""));
    node.on("PUT", "/auth/users/bob/password", new FakeNode.Answer(204, ""));

    Cli own =
        on(script("old-pw\nnew-pw\n"), "user", "passwd", "--password-stdin", "--url", node.url());
    assertThat(own.exitCode()).as(own.err()).isEqualTo(Exit.OK);
    assertThat(own.out()).contains("password of alice changed");
    JsonNode body = Json.read(node.bodies("PUT", "/auth/users/alice/password").getFirst());
    assertThat(body.path("old").asString()).isEqualTo("old-pw");
    assertThat(body.path("new").asString()).isEqualTo("new-pw");

    Cli other =
        on(
            person("bob-pw\nbob-pw\n", new StringWriter()),
            "user",
            "passwd",
            "bob",
            "--url",
            node.url());
    assertThat(other.exitCode()).as(other.err()).isEqualTo(Exit.OK);
    assertThat(Json.read(node.bodies("PUT", "/auth/users/bob/password").getFirst()).has("old"))
        .isFalse();
  }

  @Test
  void groupsAreAddedAndTheirMembersChanged() {
    loggedIn();
    node.on(
        "POST",
        "/auth/groups",
        new FakeNode.Answer(201, "{\"name\":\"team-a\",\"members\":[\"alice\"]}"));
    Cli add = koco("group", "add", "team-a", "--members", "user:alice");
    assertThat(add.out()).contains("group team-a added with 1 member");
    assertThat(Json.read(node.bodies("POST", "/auth/groups").getFirst()).path("members").toString())
        .isEqualTo("[\"alice\"]");

    node.on(
        "GET",
        "/auth/groups/team-a",
        new FakeNode.Answer(200, "{\"name\":\"team-a\",\"members\":[\"alice\",\"bob\"]}"));
    node.on(
        "PUT",
        "/auth/groups/team-a",
        new FakeNode.Answer(200, "{\"name\":\"team-a\",\"members\":[\"alice\",\"carol\"]}"));
    Cli set = koco("group", "set", "team-a", "--add-member", "carol", "--remove-member", "bob");
    assertThat(set.exitCode()).as(set.err()).isEqualTo(Exit.OK);
    assertThat(set.out()).contains("members  alice, carol");
    assertThat(
            Json.read(node.bodies("PUT", "/auth/groups/team-a").getFirst())
                .path("members")
                .toString())
        .isEqualTo("[\"alice\",\"carol\"]");
    assertThat(koco("group", "set", "team-a", "--members", "a", "--add-member", "b").err())
        .contains("cannot be combined");
  }

  @Test
  void grantsAreCheckedBeforeTheProviderIsAskedAndListedAsATable() {
    loggedIn();
    node.on(
        "POST",
        "/auth/grants",
        new FakeNode.Answer(
            201,
            "{\"id\":\"7\",\"subject\":\"user:alice\",\"resource\":\"flow://local/*\",\"mode\":\"x\",\"level\":\"basic\"}"));
    Cli add = koco("grant", "add", "user:alice", "flow://local/*", "x", "basic");
    assertThat(add.exitCode()).as(add.err()).isEqualTo(Exit.OK);
    assertThat(add.out())
        .contains(
            "grant 7: user:alice may launch and see its runs of flow://local/* at level basic");
    JsonNode body = Json.read(node.bodies("POST", "/auth/grants").getFirst());
    assertThat(body.path("subject").asString()).isEqualTo("user:alice");
    assertThat(body.path("resource").asString()).isEqualTo("flow://local/*");
    assertThat(body.path("mode").asString()).isEqualTo("x");
    assertThat(body.path("level").asString()).isEqualTo("basic");

    assertThat(koco("grant", "add", "alice", "flow://local/*", "x").err())
        .contains("SUBJECT 'alice' must start with user:, group:, node: or worker:");
    assertThat(koco("grant", "add", "user:alice", "local/*", "x").err())
        .contains("RESOURCE 'local/*' must start with node:// or flow://");
    assertThat(koco("grant", "add", "user:alice", "flow://local/*", "w").err())
        .contains("unknown mode 'w': expected r or x");
    assertThat(koco("grant", "add", "user:alice", "flow://local/*", "r", "all").err())
        .contains("LEVEL must be basic, advanced or full, not 'all'");
    assertThat(node.bodies("POST", "/auth/grants")).hasSize(1);

    node.on(
        "GET",
        "/auth/grants",
        new FakeNode.Answer(
            200,
            "{\"total\":1,\"filtered\":1,\"p\":1,\"pp\":1000,\"items\":[{\"id\":\"7\",\"subject\":\"user:alice\","
                + "\"resource\":\"flow://local/*\",\"mode\":\"x\",\"level\":\"basic\"}]}"));
    Cli list = koco("grant", "list", "--subject", "user:alice");
    assertThat(list.out())
        .contains("ID  SUBJECT     RESOURCE        MODE  LEVEL")
        .contains("7   user:alice  flow://local/*  x     basic")
        .contains("1 grant");

    node.on("DELETE", "/auth/grants/7", new FakeNode.Answer(204, ""));
    assertThat(koco("grant", "remove", "7").out()).contains("grant 7 removed");
  }

  @Test
  void aClientsSecretIsPrintedOnceWhenItIsAdded() {
    loggedIn();
    node.on(
        "POST",
        "/auth/clients",
        new FakeNode.Answer(
            201, "{\"client_id\":\"alpha\",\"client_secret\":\"s3cr3t-of-alpha\"}"));
    Cli add = koco("client", "add", "alpha", "--kind", "node");
    assertThat(add.exitCode()).as(add.err()).isEqualTo(Exit.OK);
    assertThat(add.out())
        .contains("client node:alpha added; its secret, shown this once:")
        .contains("  s3cr3t-of-alpha")
        .contains(
            "kodo.auth.client-secret (its environment variable) with kodo.auth.client-id=alpha");
    JsonNode body = Json.read(node.bodies("POST", "/auth/clients").getFirst());
    assertThat(body.path("kind").asString()).isEqualTo("node");
    assertThat(body.path("node").asString()).isEqualTo("alpha");
    assertThat(koco("client", "add", "w1", "--kind", "robot").err())
        .contains("--kind must be node or worker, not 'robot'");

    node.on(
        "GET",
        "/auth/clients",
        new FakeNode.Answer(
            200,
            "{\"total\":1,\"filtered\":1,\"p\":1,\"pp\":1000,\"items\":[{\"client_id\":\"alpha\",\"kind\":\"node\",\"node\":\"alpha\"}]}"));
    Cli list = koco("client", "list");
    assertThat(list.out()).contains("CLIENT  KIND  NODE").contains("alpha   node  alpha");
    assertThat(list.out()).doesNotContain("s3cr3t");
  }

  @Test
  void helpListsTheNewCommands() {
    String help = Cli.run("--help").out();
    for (String command :
        new String[] {"login", "logout", "whoami", "user", "group", "grant", "client"}) {
      assertThat(help).contains("  " + command + " ");
    }
    assertThat(help).contains("5   not logged in").contains("$KODO_TOKEN");
    assertThat(Cli.run("user").err())
        .contains("missing a subcommand: add, list, show, set, remove or passwd");
  }
}
