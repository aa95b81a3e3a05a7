package dev.kodo.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.auth.AuthApplication;
import dev.kodo.node.NodeApplication;
import java.net.CookieManager;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The login page of a node whose auth provider runs in another process (docs/ui.md#login), as in
 * docs/deploy.md: the password goes to the provider's {@code /auth/login} over HTTP; a wrong one is
 * refused on the page, a right one starts a session; with the provider gone the page says so (503),
 * never a 500.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ProviderElsewhereLoginIT {
  static final String ADMIN = "admin-" + UUID.randomUUID();
  static final String ALICE = "alice-pw-" + UUID.randomUUID();
  static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

  static ConfigurableApplicationContext provider;
  static ConfigurableApplicationContext node;
  static String base;

  @BeforeAll
  static void start() throws Exception {
    Path data = Path.of("target", "it-data", UUID.randomUUID().toString());
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String issuer = "http://127.0.0.1:" + port + "/auth";
    provider =
        AuthApplication.start(
            "--server.port=" + port,
            "--server.address=127.0.0.1",
            "--kodo.auth.issuer=" + issuer,
            "--kodo.auth.provider.data=" + data.resolve("auth"),
            "--kodo.auth.provider.admin-password=" + ADMIN);
    HttpClient http = HttpClient.newHttpClient();
    String admin =
        token(
            http.send(
                json(issuer + "/login", "{\"username\":\"admin\",\"password\":\"" + ADMIN + "\"}")
                    .build(),
                HttpResponse.BodyHandlers.ofString()));
    HttpResponse<String> created =
        http.send(
            json(
                    issuer + "/users",
                    "{\"username\":\"alice\",\"password\":\""
                        + ALICE
                        + "\",\"roles\":[\"user\"],\"groups\":[]}")
                .header("Authorization", "Bearer " + admin)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    // the node's own client, with which it reads the grants (docs/deploy.md)
    HttpResponse<String> client =
        http.send(
            json(issuer + "/clients", "{\"client_id\":\"node-ui\",\"kind\":\"node\"}")
                .header("Authorization", "Bearer " + admin)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(client.statusCode()).as(client.body()).isEqualTo(201);
    Matcher secret = Pattern.compile("\"client_secret\":\"([^\"]+)\"").matcher(client.body());
    assertThat(secret.find()).isTrue();
    node =
        NodeApplication.start(
            new Class<?>[] {UiModule.class},
            "--server.port=0",
            "--kodo.data=" + data.resolve("node"),
            "--kodo.cluster.name=ui-" + UUID.randomUUID(),
            "--kodo.flows=dev.kodo.examples.PlanApproval",
            "--kodo.auth.issuer=" + issuer,
            "--kodo.auth.client-id=node-ui",
            "--kodo.auth.client-secret=" + secret.group(1));
    base = "http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port");
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
    if (provider != null && provider.isActive()) provider.close();
  }

  @Test
  void theLoginGoesToTheProviderElsewhereAndSaysSoWhenItIsAway() throws Exception {
    HttpClient browser = browser();
    HttpResponse<String> page = get(browser, "/login");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("name=\"username\"").contains("name=\"password\"");

    HttpResponse<String> wrong = logIn(browser, "alice", "not-" + ALICE);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("Wrong username or password");

    HttpResponse<String> right = logIn(browser, "alice", ALICE);
    assertThat(right.statusCode()).isEqualTo(302);
    assertThat(right.headers().firstValue("Location").orElse("")).endsWith("/");
    HttpResponse<String> home = get(browser, "/");
    assertThat(home.statusCode()).isEqualTo(200);
    assertThat(home.body()).contains("user:alice");

    // the operator administers the provider elsewhere from the node's pages
    HttpClient operator = browser();
    assertThat(logIn(operator, "admin", ADMIN).statusCode()).isEqualTo(302);
    HttpResponse<String> users = get(operator, "/admin/users");
    assertThat(users.statusCode()).isEqualTo(200);
    assertThat(users.body()).contains("data-user=\"alice\"").doesNotContain("auth-elsewhere");
    HttpResponse<String> added =
        post(operator, "/admin/users", "username=bob&password=bob-long-password&roles=user");
    assertThat(added.statusCode()).as(added.body()).isIn(200, 302);
    assertThat(get(operator, "/admin/users").body()).contains("data-user=\"bob\"");

    provider.close();
    HttpClient another = browser();
    HttpResponse<String> away = logIn(another, "alice", ALICE);
    assertThat(away.statusCode()).isEqualTo(503);
    assertThat(away.body()).contains("does not answer");
    assertThat(away.body()).doesNotContain(ALICE);
  }

  private static HttpClient browser() {
    return HttpClient.newBuilder()
        .cookieHandler(new CookieManager())
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  private static HttpResponse<String> get(HttpClient browser, String path) throws Exception {
    return browser.send(
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Posts a form as the pages do, with the CSRF token of a page of the session. */
  private static HttpResponse<String> post(HttpClient browser, String path, String form)
      throws Exception {
    Matcher m = CSRF.matcher(get(browser, "/").body());
    assertThat(m.find()).as("a CSRF token on the catalogue").isTrue();
    return browser.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form + "&_csrf=" + m.group(1)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Posts the login form as the page does, with the CSRF token of the page. */
  private static HttpResponse<String> logIn(HttpClient browser, String user, String password)
      throws Exception {
    Matcher m = CSRF.matcher(get(browser, "/login").body());
    assertThat(m.find()).as("a CSRF token on the login page").isTrue();
    String form =
        "username="
            + user
            + "&password="
            + java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8)
            + "&_csrf="
            + m.group(1);
    return browser.send(
        HttpRequest.newBuilder(URI.create(base + "/login"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder json(String url, String body) {
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private static String token(HttpResponse<String> login) {
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    Matcher m = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(login.body());
    assertThat(m.find()).isTrue();
    return m.group(1);
  }
}
