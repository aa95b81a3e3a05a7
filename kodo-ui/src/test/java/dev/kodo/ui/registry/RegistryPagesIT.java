package dev.kodo.ui.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.auth.AuthModule;
import dev.kodo.client.Connect;
import dev.kodo.client.FlowAnnouncement;
import dev.kodo.node.NodeApplication;
import dev.kodo.registry.RegistryModule;
import dev.kodo.registry.core.ListRequest;
import dev.kodo.registry.core.Registry;
import dev.kodo.ui.HeadlessChromium;
import dev.kodo.ui.UiModule;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The registry's pages (docs/ui.md#registry-pages) in a real headless Chromium, composed as {@code
 * koco serve} composes them: a node with its auth provider, the registry and the node UI in one
 * process, an operator and {@code alice} (a user). A logged-out visitor is sent to the login; the
 * nodes page shows online and offline nodes and picks up a new one without a reload; the flow
 * search takes a valid query and names the column of a bad one; the operator registers and hides a
 * node; alice sees no admin controls and her forged post is refused; the pages fit 360 px.
 * Screenshots go to {@code target/screenshots/}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryPagesIT {
  static final String PASSWORD = "admin-" + UUID.randomUUID();
  static final String ALICE = "alice-pw-" + UUID.randomUUID();
  static final Path SHOTS = Path.of("target", "screenshots");
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static ConfigurableApplicationContext node;
  static Registry registry;
  static String base;
  static WebDriver browser;
  static WebDriverWait wait;

  @BeforeAll
  static void start() throws Exception {
    Path data = Path.of("target", "it-data", UUID.randomUUID().toString());
    node =
        NodeApplication.start(
            Map.of("kodo.registry.data", "${kodo.data}", "kodo.registry.name", "hub"),
            new Class<?>[] {
              RegistryModule.class, AuthModule.class, UiModule.class, RegistryUiModule.class
            },
            "--server.port=0",
            "--kodo.data=" + data,
            "--kodo.cluster.name=regui-" + UUID.randomUUID(),
            "--kodo.flows=dev.kodo.examples.ResearchSteps",
            "--kodo.registry.enabled=true",
            "--kodo.registry.heartbeat-timeout=10m",
            "--kodo.registry.probe-interval=1h",
            "--kodo.auth.provider.enabled=true",
            "--kodo.auth.provider.data=" + data,
            "--kodo.auth.provider.admin-password=" + PASSWORD);
    base = "http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port");
    registry = node.getBean(Registry.class);
    String admin = login("admin", PASSWORD);
    send(
        admin,
        "/auth/users",
        Map.of(
            "username", "alice", "password", ALICE, "roles", List.of("user"), "groups", List.of()),
        201);
    // Two nodes: one that announced its flows and is online, one only registered (offline).
    registry.register("alpha");
    registry.connect(
        new Connect(
            "alpha",
            "http://127.0.0.1:3370",
            List.of("finance"),
            List.of(
                flow("reports/quarterly", "Quarterly report", List.of("finance", "demo")),
                flow("mail/triage", "Mail triage", List.of("mail")))));
    // alpha answered a probe; the flush takes its first health sample (the line's first point)
    registry.probe("alpha", true, Duration.ofMillis(5));
    registry.flush();
    registry.register("beta");
    Files.createDirectories(SHOTS);
    browser = HeadlessChromium.start();
    wait = new WebDriverWait(browser, Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() {
    if (browser != null) browser.quit();
    if (node != null) node.close();
  }

  @Test
  @Order(1)
  void loggedOutVisitorsAreSentToTheLogin() throws Exception {
    for (String page : List.of("/registry/", "/registry/ui/flows", "/registry/ui/admin")) {
      browser.get(base + page);
      wait.until(ExpectedConditions.urlToBe(base + "/login"));
    }
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/registry/ui/nodes")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().firstValue("Location").orElse("")).endsWith("/login");
    // The registry's API under /registry is not the pages' and keeps its bearer tokens.
    HttpResponse<String> api =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/registry/nodes"))
                .header("Accept", "application/json")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(api.statusCode()).isEqualTo(401);
  }

  @Test
  @Order(2)
  void theNodesPageShowsOnlineAndOfflineAndFollowsWithoutAReload() {
    logIn("alice", ALICE);
    wait.until(ExpectedConditions.urlToBe(base + "/"));
    browser.get(base + "/registry/");
    assertThat(badge("alpha")).isEqualTo("ONLINE");
    assertThat(badge("beta")).isEqualTo("OFFLINE");
    WebElement alpha = row("alpha");
    assertThat(alpha.findElement(By.cssSelector(".heartbeat")).getText()).endsWith("s ago");
    assertThat(row("beta").findElement(By.cssSelector(".heartbeat")).getText()).isEqualTo("never");
    assertThat(alpha.findElement(By.cssSelector(".availability")).getText()).isEqualTo("100 %");
    assertThat(row("beta").findElement(By.cssSelector(".availability")).getText()).isEqualTo("—");
    // alpha's health line: one sample so far, drawn flat at the top; beta has none
    WebElement line = alpha.findElement(By.cssSelector("svg.spark"));
    assertThat(line.getDomAttribute("aria-label")).contains("1 sample").contains("100 %");
    assertThat(line.findElement(By.tagName("polyline")).getDomAttribute("points"))
        .isEqualTo("0.0,1.0 120.0,1.0");
    assertThat(row("beta").findElements(By.cssSelector("svg.spark"))).isEmpty();
    // A node that comes online later appears by itself: the page is not reloaded.
    ((JavascriptExecutor) browser).executeScript("window.kodoSamePage = 42");
    registry.register("gamma");
    registry.connect(new Connect("gamma", "http://127.0.0.1:3380", List.of(), List.of()));
    wait.until(d -> !d.findElements(By.cssSelector("li[data-node=gamma]")).isEmpty());
    assertThat(badge("gamma")).isEqualTo("ONLINE");
    assertThat(((JavascriptExecutor) browser).executeScript("return window.kodoSamePage"))
        .isEqualTo(42L);
    // A user sees no admin controls, and the admin page refuses her.
    assertThat(browser.findElements(By.linkText("Manage nodes and peers"))).isEmpty();
    assertThat(browser.findElements(By.cssSelector("form[action*='/registry/ui/']"))).isEmpty();
    shot("registry-nodes");
    browser.get(base + "/registry/ui/admin");
    assertThat(browser.findElement(By.tagName("h1")).getText()).contains("403");
    assertThat(browser.findElements(By.name("node"))).isEmpty();
  }

  @Test
  @Order(3)
  void flowsAreSearchedWithTheQueryLanguageAndABadQueryNamesItsColumn() {
    browser.get(base + "/registry/ui/flows");
    assertThat(browser.findElements(By.cssSelector(".card.flow"))).hasSize(2);
    // the search box: words of the name, description or tags
    WebElement search = browser.findElement(By.id("search"));
    search.sendKeys("quarterly");
    search.submit();
    wait.until(d -> d.findElements(By.cssSelector(".card.flow")).size() == 1);
    assertThat(browser.findElement(By.cssSelector(".card.flow h2")).getText())
        .isEqualTo("Quarterly report");
    browser.get(base + "/registry/ui/flows");
    WebElement query = browser.findElement(By.id("query"));
    query.sendKeys("tags contains \"demo\" and online");
    query.submit();
    wait.until(d -> d.findElements(By.cssSelector(".card.flow")).size() == 1);
    WebElement card = browser.findElement(By.cssSelector(".card.flow"));
    assertThat(card.findElement(By.tagName("h2")).getText()).isEqualTo("Quarterly report");
    assertThat(card.findElement(By.cssSelector("a.launch")).getAttribute("href"))
        .isEqualTo("http://127.0.0.1:3370/launch?flow=reports/quarterly");
    shot("registry-flows");
    // A bad query: the error names the column and what was wrong; no 500, the query kept.
    query = browser.findElement(By.id("query"));
    query.clear();
    query.sendKeys("online and release >");
    query.submit();
    WebElement error = wait.until(d -> d.findElement(By.id("query-error")));
    assertThat(error.getText()).startsWith("query, column 21:").contains("expected");
    assertThat(browser.findElement(By.id("query")).getAttribute("value"))
        .isEqualTo("online and release >");
    assertThat(browser.findElement(By.id("query")).getAttribute("aria-invalid")).isEqualTo("true");
    assertThat(browser.findElements(By.cssSelector(".card.flow"))).isEmpty();
    shot("registry-flows-error");
  }

  @Test
  @Order(4)
  void aForgedPostOfAUserIsRefused() {
    browser.get(base + "/registry/");
    String csrf =
        browser
            .findElement(By.cssSelector("form[action='/logout'] input[name=_csrf]"))
            .getDomProperty("value");
    Object status =
        ((JavascriptExecutor) browser)
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + "fetch('/registry/ui/register', {method: 'POST', redirect: 'manual',"
                    + " body: new URLSearchParams({node: 'evil', _csrf: arguments[0]})})"
                    + ".then(r => done(r.status), e => done(String(e)));",
                csrf);
    assertThat(status).isEqualTo(403L);
    assertThat(registry.index().node("evil", true)).isEmpty();
    logOut();
  }

  @Test
  @Order(5)
  void theOperatorRegistersAndHidesANode() {
    logIn("admin", PASSWORD);
    wait.until(ExpectedConditions.urlToBe(base + "/"));
    browser.get(base + "/registry/");
    browser.findElement(By.linkText("Manage nodes and peers")).click();
    wait.until(ExpectedConditions.urlToBe(base + "/registry/ui/admin"));
    // Keyboard only: type the name and press Enter.
    browser.findElement(By.id("register-node")).sendKeys("delta\n");
    wait.until(d -> d.findElements(By.cssSelector("[role=status]")).size() == 1);
    assertThat(browser.findElement(By.cssSelector("[role=status]")).getText())
        .isEqualTo("Registered node delta.");
    assertThat(registry.index().node("delta", true)).isPresent();
    // A bad name is refused with its reason, on the page.
    browser.findElement(By.id("register-node")).sendKeys("no spaces allowed\n");
    WebElement error = wait.until(d -> d.findElement(By.id("admin-error")));
    assertThat(error.getText()).isNotBlank();
    // Hide delta and give it tags.
    WebElement delta = browser.findElement(By.cssSelector("section[data-node=delta]"));
    delta.findElement(By.name("tags")).sendKeys("eu, gpu");
    delta.findElement(By.name("hidden")).click();
    delta.findElement(By.cssSelector("button[type=submit]")).click();
    wait.until(d -> d.findElements(By.cssSelector("[role=status]")).size() == 1);
    assertThat(browser.findElement(By.cssSelector("[role=status]")).getText())
        .isEqualTo("Saved node delta (hidden).");
    assertThat(
            browser.findElement(By.cssSelector("section[data-node=delta]")).getText().toLowerCase())
        .contains("hidden");
    assertThat(registry.index().node("delta", false)).isEmpty();
    assertThat(registry.index().node("delta", true).orElseThrow().tags())
        .containsExactly("eu", "gpu");
    assertThat(registry.index().nodes(ListRequest.all()).items())
        .extracting(n -> n.name())
        .doesNotContain("delta");
    shot("registry-admin");
    // Peers: a contributor (no URL needed) is added and removed; a bad role is refused.
    browser.findElement(By.id("peer-name")).sendKeys("upstream");
    new Select(browser.findElement(By.id("peer-role"))).selectByValue("contributor");
    browser.findElement(By.id("peer-name")).submit();
    wait.until(d -> !d.findElements(By.cssSelector("li[data-peer=upstream]")).isEmpty());
    assertThat(registry.peer("upstream")).isPresent();
    browser.findElement(By.cssSelector("li[data-peer=upstream] button.danger")).click();
    wait.until(d -> d.findElements(By.cssSelector("li[data-peer=upstream]")).isEmpty());
    assertThat(registry.peer("upstream")).isEmpty();
    // Unregister beta.
    browser.findElement(By.cssSelector("section[data-node=beta] button.danger")).click();
    wait.until(d -> d.findElements(By.cssSelector("section[data-node=beta]")).isEmpty());
    assertThat(registry.index().node("beta", true)).isEmpty();
    // The nodes page: the hidden node is not listed.
    browser.get(base + "/registry/");
    assertThat(browser.findElements(By.cssSelector("li[data-node=delta]"))).isEmpty();
    assertThat(browser.findElements(By.cssSelector("li[data-node=alpha]"))).hasSize(1);
  }

  @Test
  @Order(6)
  void thePagesFitAPhone() {
    browser.manage().window().setSize(new Dimension(360, 800));
    try {
      for (String page : List.of("/registry/", "/registry/ui/flows", "/registry/ui/admin")) {
        browser.get(base + page);
        Object width =
            ((JavascriptExecutor) browser)
                .executeScript("return document.documentElement.scrollWidth");
        assertThat(((Number) width).intValue())
            .as("page width of %s", page)
            .isLessThanOrEqualTo(360);
      }
      browser.get(base + "/registry/");
      shot("phone-registry-nodes");
    } finally {
      browser.manage().window().setSize(new Dimension(1280, 1000));
    }
  }

  private static FlowAnnouncement flow(String path, String name, List<String> tags) {
    return new FlowAnnouncement(path, name, name + " for tests", "kodo", null, null, "1.0.0", tags);
  }

  private static WebElement row(String node) {
    return browser.findElement(By.cssSelector("li[data-node=" + node + "]"));
  }

  private static String badge(String node) {
    return row(node).findElement(By.cssSelector(".badge")).getText();
  }

  private static void logIn(String user, String password) {
    browser.get(base + "/login");
    browser.findElement(By.name("username")).sendKeys(user);
    browser.findElement(By.name("password")).sendKeys(password);
    browser.findElement(By.cssSelector("form button[type=submit]")).click();
  }

  private static void logOut() {
    browser.findElement(By.cssSelector("form[action='/logout'] button")).click();
    wait.until(ExpectedConditions.urlToBe(base + "/login"));
  }

  private static void shot(String name) {
    try {
      Path file = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(file, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    } catch (Exception e) {
      throw new IllegalStateException("screenshot " + name, e);
    }
  }

  private static String login(String user, String password) throws Exception {
    JsonNode body = send(null, "/auth/login", Map.of("username", user, "password", password), 200);
    return body.get("access_token").asString();
  }

  private static JsonNode send(String token, String path, Map<String, Object> body, int expected)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    if (token != null) b.header("Authorization", "Bearer " + token);
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("%s %s", path, r.body()).isEqualTo(expected);
    return JSON.readTree(r.body());
  }
}
