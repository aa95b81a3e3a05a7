package dev.kodo.ui.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.auth.AuthModule;
import dev.kodo.node.NodeApplication;
import dev.kodo.ui.HeadlessChromium;
import dev.kodo.ui.UiModule;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
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
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The administrators' pages in headless Chromium (docs/ui.md#administration), on a node composed
 * like {@code koco serve} (auth provider in the process): logged-out visitors go to the login; the
 * operator adds a user (a duplicate and a weak password are refused next to their fields), grants
 * it {@code x} on one flow (an invalid glob is refused next to its field), and that user then sees
 * only that flow and no administration (its forged post, with a valid CSRF token, is 403); a
 * client's secret is shown once and works; a group with an unknown member is refused; the cleanup
 * is previewed, refused without confirmation, then run; every page fits 360 px.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminPagesIT {
  static final String APPROVAL = "dev.kodo.examples.PlanApproval";
  static final String PASSWORD = "admin-" + UUID.randomUUID();
  static final String CAROL = "carol-pw-" + UUID.randomUUID();
  static final Path SHOTS = Path.of("target", "screenshots");
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final List<String> PAGES =
      List.of("/admin/users", "/admin/groups", "/admin/grants", "/admin/clients", "/admin/cleanup");

  static ConfigurableApplicationContext node;
  static String base;
  static WebDriver browser;
  static WebDriverWait wait;

  @BeforeAll
  static void start() throws Exception {
    Path data = Path.of("target", "it-data", UUID.randomUUID().toString());
    node =
        NodeApplication.start(
            new Class<?>[] {AuthModule.class, UiModule.class},
            "--server.port=0",
            "--kodo.data=" + data,
            "--kodo.cluster.name=admin-" + UUID.randomUUID(),
            "--kodo.flows=" + APPROVAL + ",dev.kodo.examples.ResearchSteps",
            "--kodo.auth.provider.enabled=true",
            "--kodo.auth.provider.data=" + data,
            "--kodo.auth.provider.admin-password=" + PASSWORD,
            "--kodo.auth.grants-refresh=1s",
            "--kodo.cleanup.finished-after=1s",
            "--kodo.cleanup.interval=0");
    base = "http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port");
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
    for (String page :
        List.of(
            "/admin",
            "/admin/users",
            "/admin/groups",
            "/admin/grants",
            "/admin/clients",
            "/admin/cleanup")) {
      browser.get(base + page);
      wait.until(ExpectedConditions.urlToBe(base + "/login"));
    }
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/admin/grants")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().firstValue("Location").orElse("")).endsWith("/login");
    // a post without a session or a CSRF token changes nothing
    HttpResponse<String> forged =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/admin/users"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=eve&password=eve-password"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(forged.statusCode()).isEqualTo(403);
  }

  @Test
  @Order(2)
  void theOperatorAddsAUserAndBadInputIsShownNextToItsField() {
    logIn("admin", PASSWORD);
    wait.until(ExpectedConditions.urlToBe(base + "/"));
    browser.findElement(By.id("nav-admin")).click();
    wait.until(ExpectedConditions.urlToBe(base + "/admin/users"));
    assertThat(users()).contains("admin");

    addUser("carol", CAROL);
    assertThat(browser.findElement(By.id("done")).getText()).contains("carol");
    assertThat(users()).contains("carol");
    assertThat(browser.findElements(By.id("once"))).isEmpty(); // typed: nothing to show

    // the same name again: the provider's conflict, the values kept
    addUser("carol", CAROL);
    assertThat(browser.findElement(By.id("problem")).getText()).contains("exists already");
    assertThat(browser.findElement(By.name("username")).getAttribute("value")).isEqualTo("carol");
    // a weak password: next to the password field
    addUser("dave", "short");
    WebElement weak = browser.findElement(By.id("u-password-error"));
    assertThat(weak.getText()).contains("at least 8");
    assertThat(browser.findElement(By.id("u-password")).getAttribute("aria-invalid"))
        .isEqualTo("true");
    // a bad name: next to the username field
    addUser("no spaces allowed", "long-enough-pw");
    assertThat(browser.findElement(By.id("u-username-error")).getText()).contains("letters");
    shot("admin-users-errors");

    // no password typed: one is generated and shown once
    addUser("dave", "");
    String once = browser.findElement(By.id("once-secret")).getText();
    assertThat(once).hasSize(24);
    browser.get(base + "/admin/users");
    assertThat(browser.findElements(By.id("once"))).isEmpty();
    assertThat(browser.getPageSource()).doesNotContain(once);
    // remove dave
    WebElement dave = row("dave");
    dave.findElement(By.tagName("summary")).click();
    dave.findElement(By.cssSelector("button.danger")).click();
    wait.until(HeadlessChromium.gone(dave));
    assertThat(browser.findElements(By.id("problem"))).as(browser.getPageSource()).isEmpty();
    assertThat(browser.findElement(By.id("done")).getText()).contains("dave");
    assertThat(users()).contains("carol").doesNotContain("dave");
    shot("admin-users");
  }

  @Test
  @Order(3)
  void aGrantIsAddedWithTheKeyboardAfterAnInvalidOneIsRefused() {
    browser.get(base + "/admin/grants");
    WebElement subject = browser.findElement(By.name("subject"));
    subject.sendKeys("user:carol", Keys.TAB, "nonsense", Keys.ENTER);
    WebElement error =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("gr-resource-error")));
    assertThat(error.getText()).isNotBlank();
    assertThat(browser.findElement(By.name("subject")).getAttribute("value"))
        .isEqualTo("user:carol");
    shot("admin-grants-error");
    WebElement resource = browser.findElement(By.name("resource"));
    resource.clear();
    new Select(browser.findElement(By.name("level"))).selectByValue("full");
    resource.sendKeys("flow://local/" + APPROVAL, Keys.ENTER);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("done")));
    List<WebElement> rows =
        browser.findElements(By.cssSelector(".grant-row[data-subject='user:carol']"));
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).getText()).contains("flow://local/" + APPROVAL).contains("full");
    shot("admin-grants");
  }

  @Test
  @Order(4)
  void aClientsSecretIsShownOnceAndWorks() throws Exception {
    browser.get(base + "/admin/clients");
    browser.findElement(By.name("client_id")).sendKeys("node-b");
    new Select(browser.findElement(By.name("kind"))).selectByValue("node");
    browser.findElement(By.cssSelector("#add-client button[type=submit]")).click();
    String secret =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("once-secret"))).getText();
    assertThat(secret).isNotBlank();
    shot("admin-client-secret");
    String basic =
        Base64.getEncoder().encodeToString(("node-b:" + secret).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> token =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/auth/oauth2/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
    browser.get(base + "/admin/clients");
    assertThat(browser.findElements(By.cssSelector(".client-row[data-client='node-b']")))
        .hasSize(1);
    assertThat(browser.getPageSource()).doesNotContain(secret);
    // the same id again is refused
    browser.findElement(By.name("client_id")).sendKeys("node-b");
    browser.findElement(By.cssSelector("#add-client button[type=submit]")).click();
    assertThat(
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("problem"))).getText())
        .contains("exists already");
    assertThat(browser.findElements(By.id("once"))).isEmpty();
  }

  @Test
  @Order(5)
  void aGroupWithAnUnknownMemberIsRefusedNextToTheField() {
    browser.get(base + "/admin/groups");
    browser.findElement(By.name("name")).sendKeys("research");
    browser.findElement(By.name("members")).sendKeys("carol, zed-" + UUID.randomUUID());
    browser.findElement(By.cssSelector("#add-group button[type=submit]")).click();
    assertThat(
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("g-members-error")))
                .getText())
        .contains("not a user");
    WebElement members = browser.findElement(By.name("members"));
    members.clear();
    members.sendKeys("carol");
    browser.findElement(By.cssSelector("#add-group button[type=submit]")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("done")));
    assertThat(browser.findElements(By.cssSelector(".group-row[data-group=research]"))).hasSize(1);
    shot("admin-groups");
  }

  @Test
  @Order(6)
  void theCleanupIsPreviewedThenRunAfterAConfirmation() {
    browser.get(base + "/launch?flow=" + APPROVAL);
    browser.findElement(By.name("goal")).sendKeys("to be cleaned up");
    browser.findElement(By.cssSelector("#launch button[type=submit]")).click();
    wait.until(ExpectedConditions.urlContains("/runs/"));
    String fid = browser.getCurrentUrl().substring((base + "/runs/").length());
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("lock-form")));
    wait.until(ExpectedConditions.elementToBeClickable(By.id("kill"))).click();
    wait.until(ExpectedConditions.textToBe(By.id("state"), "KILLED"));
    // finished-after is 1s here: the killed run becomes due
    browser.get(base + "/admin/cleanup");
    wait.until(
        d -> {
          d.navigate().refresh();
          return !d.findElements(By.cssSelector(".due-row[data-fid='" + fid + "']")).isEmpty();
        });
    assertThat(browser.findElement(By.id("due-count")).getText()).startsWith("1 finished run");
    shot("admin-cleanup-preview");
    // without the confirmation nothing is removed
    browser.findElement(By.cssSelector("#cleanup button[type=submit]")).click();
    assertThat(
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-error")))
                .getText())
        .contains("confirm");
    assertThat(browser.findElements(By.cssSelector(".due-row[data-fid='" + fid + "']"))).hasSize(1);
    browser.findElement(By.id("confirm")).click();
    browser.findElement(By.cssSelector("#cleanup button[type=submit]")).click();
    WebElement removed =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("removed")));
    assertThat(removed.findElements(By.cssSelector(".removed-row[data-fid='" + fid + "']")))
        .hasSize(1);
    assertThat(browser.findElement(By.id("due-count")).getText()).startsWith("No finished run");
    shot("admin-cleanup-done");
    browser.get(base + "/runs/" + fid);
    assertThat(browser.findElement(By.tagName("h1")).getText()).contains("404");
  }

  @Test
  @Order(7)
  void thePagesFitAPhone() {
    browser.manage().window().setSize(new Dimension(360, 800));
    try {
      for (String page : PAGES) {
        browser.get(base + page);
        Object width =
            ((JavascriptExecutor) browser)
                .executeScript("return document.documentElement.scrollWidth");
        assertThat(((Number) width).intValue())
            .as("page width of %s", page)
            .isLessThanOrEqualTo(360);
      }
      browser.get(base + "/admin/users");
      shot("phone-admin-users");
    } finally {
      browser.manage().window().setSize(new Dimension(1280, 1000));
    }
  }

  @Test
  @Order(8)
  void theNewUserSeesOnlyItsFlowAndNoAdministration() {
    browser.get(base + "/");
    browser.findElement(By.cssSelector(".who button")).click();
    wait.until(ExpectedConditions.urlToBe(base + "/login"));
    logIn("carol", CAROL);
    wait.until(ExpectedConditions.urlToBe(base + "/"));
    // the node reads grants every second here
    wait.until(
        d -> {
          d.navigate().refresh();
          return d.findElements(By.cssSelector(".card.flow")).size() == 1;
        });
    assertThat(browser.findElement(By.cssSelector(".card.flow h2")).getText())
        .isEqualTo("Plan approval");
    assertThat(browser.findElements(By.id("nav-admin"))).isEmpty();
    for (String page : PAGES) {
      browser.get(base + page);
      assertThat(browser.findElement(By.tagName("h1")).getText()).as(page).contains("403");
    }
    shot("admin-forbidden");
    // a forged post with carol's own valid CSRF token: refused, nothing added
    browser.get(base + "/");
    ((JavascriptExecutor) browser)
        .executeScript(
            "const f = document.createElement('form');"
                + "f.method = 'post'; f.action = '/admin/users';"
                + "for (const [k, v] of [['username', 'mallory'], ['password', 'mallory-pw-123'],"
                + "    ['roles', 'operator'], ['_csrf', document.querySelector('input[name=_csrf]').value]]) {"
                + "  const i = document.createElement('input'); i.type = 'hidden'; i.name = k; i.value = v;"
                + "  f.appendChild(i); }"
                + "document.body.appendChild(f); f.submit();");
    wait.until(ExpectedConditions.urlToBe(base + "/admin/users"));
    assertThat(browser.findElement(By.tagName("h1")).getText()).contains("403");
    // the operator finds no mallory
    browser.get(base + "/");
    browser.findElement(By.cssSelector(".who button")).click();
    wait.until(ExpectedConditions.urlToBe(base + "/login"));
    logIn("admin", PASSWORD);
    wait.until(ExpectedConditions.urlToBe(base + "/"));
    browser.get(base + "/admin/users");
    assertThat(users()).contains("carol").doesNotContain("mallory");
  }

  @Test
  @Order(50)
  void usersGroupsGrantsAndClientsAreChangedAndRemoved() throws Exception {
    browser.manage().deleteAllCookies();
    logIn("admin", PASSWORD);
    wait.until(ExpectedConditions.urlToBe(base + "/"));
    String first = "erin-pw-" + UUID.randomUUID();
    String second = "erin-new-" + UUID.randomUUID();
    browser.get(base + "/admin/users");
    addUser("erin", first);
    // roles: developer added
    WebElement erin = row("erin");
    erin.findElement(By.tagName("summary")).click();
    erin.findElement(By.cssSelector("input[name=roles][value=developer]")).click();
    erin.findElement(By.xpath(".//button[text()='Save roles']")).click();
    wait.until(HeadlessChromium.gone(erin));
    assertThat(row("erin").findElements(By.cssSelector(".tag")).stream().map(WebElement::getText))
        .contains("developer");
    // a new password: the old one stops working
    erin = row("erin");
    erin.findElement(By.tagName("summary")).click();
    erin.findElement(By.id("pw-erin")).sendKeys(second);
    erin.findElement(By.xpath(".//button[text()='Set password']")).click();
    wait.until(HeadlessChromium.gone(erin));
    assertThat(browser.findElements(By.id("problem"))).as(browser.getPageSource()).isEmpty();
    assertThat(apiLogin("erin", first)).isEqualTo(401);
    assertThat(apiLogin("erin", second)).isEqualTo(200);

    // a group: members changed, then removed
    browser.get(base + "/admin/groups");
    browser.findElement(By.name("name")).sendKeys("ops");
    browser.findElement(By.name("members")).sendKeys("erin");
    browser.findElement(By.cssSelector("#add-group button[type=submit]")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("done")));
    WebElement members = browser.findElement(By.id("members-ops"));
    members.clear();
    members.sendKeys("erin, carol");
    browser
        .findElement(By.cssSelector(".group-row[data-group=ops]"))
        .findElement(By.xpath(".//button[text()='Save members']"))
        .click();
    wait.until(HeadlessChromium.gone(members));
    assertThat(browser.findElement(By.cssSelector(".group-row[data-group=ops]")).getText())
        .contains("2 members");
    browser.findElement(By.cssSelector(".group-row[data-group=ops] button.danger")).click();
    wait.until(d -> d.findElements(By.cssSelector(".group-row[data-group=ops]")).isEmpty());

    // a grant: added, then revoked
    browser.get(base + "/admin/grants");
    browser.findElement(By.name("subject")).sendKeys("user:erin");
    browser.findElement(By.name("resource")).sendKeys("flow://local/*", Keys.ENTER);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("done")));
    By erins = By.cssSelector(".grant-row[data-subject='user:erin']");
    assertThat(browser.findElements(erins)).hasSize(1);
    browser.findElement(erins).findElement(By.cssSelector("button.danger")).click();
    wait.until(d -> d.findElements(erins).isEmpty());

    // a client: registered, then removed
    browser.get(base + "/admin/clients");
    browser.findElement(By.name("client_id")).sendKeys("tmp-client");
    browser.findElement(By.cssSelector("#add-client button[type=submit]")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("once-secret")));
    browser.get(base + "/admin/clients");
    By client = By.cssSelector(".client-row[data-client='tmp-client']");
    browser.findElement(client).findElement(By.cssSelector("button.danger")).click();
    wait.until(d -> d.findElements(client).isEmpty());

    // and erin goes
    browser.get(base + "/admin/users");
    erin = row("erin");
    erin.findElement(By.tagName("summary")).click();
    erin.findElement(By.cssSelector("button.danger")).click();
    wait.until(HeadlessChromium.gone(erin));
    assertThat(users()).doesNotContain("erin");
    assertThat(apiLogin("erin", second)).isEqualTo(401);
  }

  private static int apiLogin(String user, String password) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/auth/login"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static List<String> users() {
    return browser.findElements(By.cssSelector(".user-row")).stream()
        .map(e -> e.getAttribute("data-user"))
        .toList();
  }

  private static WebElement row(String user) {
    return browser.findElement(By.cssSelector(".user-row[data-user='" + user + "']"));
  }

  private static void addUser(String name, String password) {
    WebElement username = browser.findElement(By.name("username"));
    username.clear();
    username.sendKeys(name);
    WebElement pw = browser.findElement(By.name("password"));
    pw.clear();
    if (!password.isEmpty()) pw.sendKeys(password);
    browser.findElement(By.cssSelector("#add-user button[type=submit]")).click();
    wait.until(HeadlessChromium.gone(username)); // the answer's page replaced the form
  }

  private static void logIn(String user, String password) {
    browser.get(base + "/login");
    browser.findElement(By.name("username")).sendKeys(user);
    browser.findElement(By.name("password")).sendKeys(password);
    browser.findElement(By.cssSelector("form button[type=submit]")).click();
  }

  private static void shot(String name) {
    try {
      Path file = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(file, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    } catch (Exception e) {
      throw new IllegalStateException("screenshot " + name, e);
    }
  }
}
