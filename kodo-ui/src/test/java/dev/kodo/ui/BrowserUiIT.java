package dev.kodo.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.auth.AuthModule;
import dev.kodo.node.NodeApplication;
import dev.kodo.testing.ModelReply;
import dev.kodo.testing.ModelStep;
import dev.kodo.testing.ScriptedModelServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The node's web UI in a real headless Chromium (docs/ui.md#tests): a node with its auth provider
 * in the same process, three people — an operator, {@code alice} (x at full on every flow) and
 * {@code bob} (x at advanced) — and the example flows. Logged-out visitors are sent to the login; a
 * launch through the generated form shows a validation error next to its field; a run is followed
 * live to {@code final}; a lock is answered in place, first denied with the flow's reason, then
 * accepted; a running flow is killed; script in an input and in a result shows as text; a user
 * without {@code full} sees no tool calls; the pages fit a 360 px wide phone; a stream dropped
 * mid-run resumes without duplicates; 10,000 events render progressively; a run's model usage and
 * cost show at {@code full} only. A YAML crew, its model answered by a {@link ScriptedModelServer}
 * on loopback, shows its steps as a collapsed tree and its intermediate result until {@code final}
 * at {@code full}, and no steps, tool calls or logs at {@code advanced}. Screenshots go to {@code
 * target/screenshots/}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserUiIT {
  static final String APPROVAL = "dev.kodo.examples.PlanApproval";
  static final String RESEARCH = "dev.kodo.examples.ResearchSteps";
  static final String TICKER = "dev.kodo.ui.flows.Ticker";
  static final String AGENTIC = "dev.kodo.examples.AgenticResearch";
  static final String PASSWORD = "admin-" + UUID.randomUUID();
  static final String ALICE = "alice-pw-" + UUID.randomUUID();
  static final String BOB = "bob-pw-" + UUID.randomUUID();
  static final String CAROL = "carol-pw-" + UUID.randomUUID();
  static final String GOAL = "Move the team wiki to the new server";
  static final String XSS =
      "<img src=x onerror=\"window.kodoXss=1\"><script>window.kodoXss=2</script>";
  static final Path SHOTS = Path.of("target", "screenshots");
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static final By APPROVE = By.cssSelector("input[type=checkbox][name=approve]");

  /** examples/crews/competitor-analysis.yaml: a task, its agent's tool and model calls, a lock. */
  static final String CREW = "competitor-analysis";

  /** The crew's research output (its intermediate result), carrying script in its title. */
  static final String FACTS = "# Initech facts " + XSS + "\n\n- 6*7 = 42 teams\n";

  /**
   * Answers the model calls on loopback: the crew's (alice's run, then bob's), then AGENTIC's
   * (expected by its test).
   */
  static ScriptedModelServer models;

  static ConfigurableApplicationContext node;
  static String base;
  static WebDriver browser;
  static WebDriverWait wait;
  static String killedFid;
  static String doneFid;

  @BeforeAll
  static void start() throws Exception {
    Path data = Path.of("target", "it-data", UUID.randomUUID().toString());
    Path root = Path.of("").toAbsolutePath();
    while (!Files.isDirectory(root.resolve("examples/crews"))) root = root.getParent();
    models = ScriptedModelServer.start();
    for (String company : List.of("Initech", "Globex")) {
      models.expect(
          ModelStep.containing("Study " + company + " at depth 1")
              .reply(ModelReply.toolCall("calculator", "{\"expression\":\"6*7\"}")));
      models.expect(
          ModelStep.containing("42")
              .reply(ModelReply.text(FACTS.replace("Initech", company)).usage(50, 20)));
      if (company.equals("Initech")) {
        models.expect(
            ModelStep.containing("Write a report on Initech")
                .reply(ModelReply.text("# Initech report\n\nSteady growth.").usage(80, 30)));
      }
    }
    node =
        NodeApplication.start(
            new Class<?>[] {AuthModule.class, UiModule.class},
            "--server.port=0",
            "--kodo.data=" + data,
            "--kodo.cluster.name=ui-" + UUID.randomUUID(),
            "--kodo.flows="
                + String.join(
                    ",",
                    APPROVAL,
                    RESEARCH,
                    TICKER,
                    AGENTIC,
                    root.resolve("examples/crews/" + CREW + ".yaml").toString()),
            "--kodo.secrets.OPENAI_BASE_URL=" + models.baseUrl(),
            "--kodo.secrets.OPENAI_API_KEY=sk-offline",
            // per million tokens (docs/configuration.md#the-agentic-engine-kodoagents)
            "--kodo.agents.prices.gpt-4o-mini.input=1000",
            "--kodo.agents.prices.gpt-4o-mini.output=2000",
            "--kodo.auth.provider.enabled=true",
            "--kodo.auth.provider.data=" + data,
            "--kodo.auth.provider.admin-password=" + PASSWORD,
            "--kodo.auth.grants-refresh=1s");
    base = "http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port");
    String admin = login("admin", PASSWORD);
    post(
        admin,
        "/auth/users",
        Map.of(
            "username", "alice", "password", ALICE, "roles", List.of("user"), "groups", List.of()));
    post(
        admin,
        "/auth/users",
        Map.of("username", "bob", "password", BOB, "roles", List.of("user"), "groups", List.of()));
    post(
        admin,
        "/auth/users",
        Map.of(
            "username", "carol", "password", CAROL, "roles", List.of("user"), "groups", List.of()));
    post(
        admin,
        "/auth/grants",
        Map.of(
            "subject", "user:alice", "resource", "flow://local/*", "mode", "x", "level", "full"));
    post(
        admin,
        "/auth/grants",
        Map.of(
            "subject", "user:bob", "resource", "flow://local/*", "mode", "x", "level", "advanced"));
    Thread.sleep(1500); // the node reads grants every kodo.auth.grants-refresh
    Files.createDirectories(SHOTS);
    browser = HeadlessChromium.start();
    wait = new WebDriverWait(browser, Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() {
    if (browser != null) browser.quit();
    if (node != null) node.close();
    if (models != null) models.close();
  }

  @Test
  @Order(1)
  void loggedOutVisitorsAreSentToTheLogin() throws Exception {
    for (String page : List.of("/", "/runs", "/launch?flow=" + APPROVAL, "/runs/0190-nope")) {
      browser.get(base + page);
      wait.until(ExpectedConditions.urlToBe(base + "/login"));
    }
    // The pages' answers: a redirect, not the page; the headers of the login page.
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/runs")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().firstValue("Location").orElse("")).endsWith("/login");
    HttpResponse<String> login =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/login")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(login.headers().firstValue("Content-Security-Policy").orElse(""))
        .contains("script-src 'self'")
        .doesNotContain("unsafe-inline");
    assertThat(login.headers().firstValue("Set-Cookie").orElse(""))
        .startsWith("kodo_session=")
        .contains("HttpOnly");
    // A form post without the CSRF token is refused.
    HttpResponse<String> forged =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=admin&password=" + PASSWORD))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(forged.statusCode()).isEqualTo(403);
    shot("login");
  }

  @Test
  @Order(2)
  void aWrongPasswordIsRefusedAndTheRightOneLogsIn() {
    logIn("alice", "not-" + ALICE);
    assertThat(browser.getCurrentUrl()).isEqualTo(base + "/login");
    assertThat(browser.findElement(By.cssSelector("[role=alert]")).getText())
        .contains("Wrong username or password");
    logIn("alice", ALICE);
    wait.until(ExpectedConditions.urlToBe(base + "/"));
    assertThat(browser.findElement(By.cssSelector(".who")).getText()).contains("user:alice");
    assertThat(browser.findElements(By.cssSelector(".card.flow"))).hasSize(5);
    // search narrows the catalogue (htmx swaps the list in place)
    browser.findElement(By.id("search")).sendKeys("approval");
    wait.until(d -> d.findElements(By.cssSelector(".card.flow")).size() == 1);
    assertThat(browser.findElement(By.cssSelector(".card.flow h2")).getText())
        .isEqualTo("Plan approval");
    browser.get(base + "/?tag=human-in-the-loop");
    assertThat(browser.findElements(By.cssSelector(".card.flow"))).hasSize(1);
    browser.get(base + "/");
    shot("flows");
  }

  @Test
  @Order(3)
  void aLaunchShowsFieldErrorsThenFollowsTheRunAndAnswersItsLockInPlace() {
    browser.get(base + "/launch?flow=" + APPROVAL);
    WebElement goal = browser.findElement(By.name("goal"));
    assertThat(browser.findElement(By.cssSelector("label[for=f-goal]")).getText()).contains("Goal");
    WebElement budget = browser.findElement(By.name("budget"));
    assertThat(budget.getAttribute("value")).isEqualTo("5000");
    budget.clear();
    budget.sendKeys("2000000");
    browser.findElement(By.cssSelector("#launch button[type=submit]")).click();
    // server-side errors, each next to its field; the values stay
    WebElement goalError =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("f-goal-error")));
    assertThat(goalError.getText()).isNotBlank();
    assertThat(browser.findElement(By.id("f-budget-error")).getText()).isNotBlank();
    assertThat(browser.findElement(By.name("budget")).getAttribute("value")).isEqualTo("2000000");
    shot("launch-errors");
    browser.findElement(By.name("budget")).clear();
    browser.findElement(By.name("budget")).sendKeys("3000");
    browser.findElement(By.name("goal")).sendKeys(XSS);
    browser.findElement(By.cssSelector("#launch button[type=submit]")).click();
    wait.until(ExpectedConditions.urlContains("/runs/"));
    // the lock form appears in place when the live stream reports the lock
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("lock-form")));
    assertThat(browser.findElement(By.id("state")).getText()).isEqualToIgnoringCase("locked");
    assertThat(browser.findElement(By.cssSelector("#lock h2")).getText()).contains(XSS);
    wait.until(d -> d.findElements(By.cssSelector("#timeline li.ev-lock")).size() == 1);
    String url = browser.getCurrentUrl();
    doneFid = url.substring((base + "/runs/").length());

    // denied: rejecting without a comment; the flow's reason shows next to the field
    WebElement approve = browser.findElement(APPROVE);
    if (approve.isSelected()) approve.click();
    click(By.cssSelector("#lock-form button[type=submit]"));
    WebElement reason =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("f-comment-error")));
    assertThat(reason.getText()).contains("say why you reject the plan");
    assertThat(browser.getCurrentUrl()).isEqualTo(url); // answered in place
    shot("lock-denied");

    // accepted: a rejection with a comment (carrying script, which must show as text)
    browser.findElement(By.name("comment")).sendKeys(XSS);
    click(By.cssSelector("#lock-form button[type=submit]"));
    wait.until(ExpectedConditions.textToBe(By.id("state"), "DONE"));
    WebElement result =
        wait.until(
            ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#result .markdown")));
    assertThat(result.getText())
        .contains("Plan rejected")
        .contains("<script>window.kodoXss=2</script>");
    assertThat(result.findElements(By.tagName("img"))).isEmpty();
    assertThat(result.findElements(By.tagName("script"))).isEmpty();
    wait.until(d -> d.findElements(By.cssSelector("#timeline li.ev-final")).size() == 1);
    assertThat(browser.findElements(By.cssSelector("#timeline li.ev-unlock-deny"))).hasSize(1);
    assertThat(browser.findElements(By.cssSelector("#timeline li.ev-unlock"))).hasSize(1);
    // alice launched at full: she sees the flow's action (collapsed)
    WebElement action = browser.findElement(By.cssSelector("#timeline li.ev-action details"));
    assertThat(action.getAttribute("open")).isNull();
    assertThat(((JavascriptExecutor) browser).executeScript("return window.kodoXss === undefined"))
        .isEqualTo(true);
    // reconnecting the stream after the last event draws nothing twice
    browser.navigate().refresh();
    wait.until(d -> d.findElements(By.cssSelector("#timeline li.ev-final")).size() == 1);
    long seqs = browser.findElements(By.cssSelector("#timeline li")).size();
    long distinct =
        browser.findElements(By.cssSelector("#timeline li")).stream()
            .map(e -> e.getAttribute("data-seq"))
            .distinct()
            .count();
    assertThat(seqs).isEqualTo(distinct).isGreaterThan(5);
    shot("run-done");
  }

  @Test
  @Order(4)
  void theRunPageHasTabsASparklineAndItsSize() {
    browser.get(base + "/runs/" + doneFid);
    // a replayed stream leaves the finished run's progress bar full
    wait.until(d -> d.findElements(By.cssSelector("#timeline li.ev-final")).size() == 1);
    assertThat(browser.findElement(By.id("progress")).getAttribute("value")).isEqualTo("1");
    // the header: a sparkline drawn on the server, the runtime, the events count and bytes
    WebElement line = browser.findElement(By.cssSelector("#sparkline polyline"));
    assertThat(line.getAttribute("points").split(" ")).hasSize(48);
    assertThat(browser.findElement(By.id("sparkline")).getAttribute("aria-label"))
        .matches("\\d+ events over .*");
    assertThat(browser.findElement(By.id("run-size")).getText()).matches("\\d+ events · .*B");
    assertThat(browser.findElement(By.id("run-runtime")).getText()).endsWith(" s");
    // alice is at full: model usage would show here; this flow calls no model
    assertThat(browser.findElements(By.id("cost"))).isEmpty();
    // Result is the first tab; the tabs are links, reached and followed with the keyboard
    assertThat(browser.findElement(By.id("tab-result")).getAttribute("aria-current"))
        .isEqualTo("page");
    assertThat(browser.findElement(By.cssSelector("#result .markdown")).getText())
        .contains("Plan rejected");
    browser.findElement(By.id("tab-io")).sendKeys(Keys.ENTER);
    wait.until(ExpectedConditions.urlContains("tab=io"));
    assertThat(browser.findElement(By.id("tab-io")).getAttribute("aria-current")).isEqualTo("page");
    assertThat(browser.findElement(By.cssSelector("#io .fields")).getText())
        .contains("goal")
        .contains(XSS)
        .contains("3000");
    assertThat(browser.findElement(By.id("output-json")).getText()).contains("Plan rejected");
    assertThat(browser.findElements(By.id("result"))).isEmpty();
    shot("run-io");
    browser.findElement(By.id("tab-events")).sendKeys(Keys.ENTER);
    wait.until(ExpectedConditions.urlContains("tab=events"));
    List<WebElement> raw = browser.findElements(By.cssSelector("#events .raw-events li"));
    assertThat(raw.size()).isGreaterThan(5);
    assertThat(raw.get(0).getText()).contains("inputs");
    assertThat(browser.findElements(By.id("events-next"))).isEmpty(); // fewer than a page
    // a later page starts after the seq it names
    browser.get(base + "/runs/" + doneFid + "?tab=events&after=3");
    assertThat(
            browser.findElement(By.cssSelector("#events .raw-events li")).getAttribute("data-seq"))
        .isEqualTo("4");
    assertThat(((JavascriptExecutor) browser).executeScript("return window.kodoXss === undefined"))
        .isEqualTo(true);
    shot("run-events");
    browser.get(base + "/runs/" + doneFid + "?tab=nope");
    assertThat(browser.findElement(By.tagName("h1")).getText()).contains("400");
  }

  @Test
  @Order(5)
  void theOwnerSharesTheRunAndMistakesShowInline() {
    browser.get(base + "/runs/" + doneFid);
    browser.findElement(By.cssSelector("#share summary")).click();
    WebElement subject = browser.findElement(By.name("subject"));
    subject.sendKeys("bob"); // not a subject: user:… or group:…
    browser.findElement(By.id("share-submit")).click();
    WebElement error =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("share-subject-error")));
    assertThat(error.getText()).isNotBlank();
    assertThat(browser.findElement(By.name("subject")).getAttribute("value")).isEqualTo("bob");
    assertThat(browser.findElement(By.name("subject")).getAttribute("aria-invalid"))
        .isEqualTo("true");
    shot("share-error");
    browser.findElement(By.name("subject")).clear();
    browser.findElement(By.name("subject")).sendKeys("user:bob");
    new Select(browser.findElement(By.name("level"))).selectByValue("basic");
    browser.findElement(By.id("share-submit")).click();
    wait.until(ExpectedConditions.urlToBe(base + "/runs/" + doneFid));
    assertThat(browser.findElement(By.id("share")).getAttribute("textContent"))
        .contains("user:bob (basic, r)");
  }

  @Test
  @Order(6)
  void aRunningFlowIsKilled() {
    launch(GOAL);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("lock-form")));
    wait.until(d -> d.findElements(By.cssSelector("#timeline li.ev-lock")).size() == 1);
    browser.manage().window().setSize(new Dimension(1280, 1500));
    shot("run-locked"); // the README's picture: a live timeline and a lock form
    browser.manage().window().setSize(new Dimension(1280, 1000));
    // the progress the flow reported before its lock, drawn without a reload
    wait.until(
        d -> {
          double v = Double.parseDouble(d.findElement(By.id("progress")).getAttribute("value"));
          return v > 0 && v < 1;
        });
    killedFid = browser.getCurrentUrl().substring((base + "/runs/").length());
    click(By.id("kill"));
    wait.until(ExpectedConditions.textToBe(By.id("state"), "KILLED"));
    wait.until(d -> d.findElements(By.cssSelector("#timeline li.ev-kill")).size() == 1);
    assertThat(browser.findElements(By.id("lock-form"))).isEmpty();
    // the runs list filters by state
    browser.get(base + "/runs?state=killed");
    List<WebElement> rows = browser.findElements(By.cssSelector(".run-row"));
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).findElement(By.cssSelector("a")).getAttribute("href"))
        .endsWith(killedFid);
    browser.get(base + "/runs");
    assertThat(browser.findElements(By.cssSelector(".run-row"))).hasSize(2);
    shot("runs");
  }

  @Test
  @Order(7)
  void theRunsListFiltersByDate() {
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
    browser.get(base + "/runs?from=" + today + "&to=" + today);
    assertThat(browser.findElements(By.cssSelector(".run-row"))).hasSize(2);
    assertThat(browser.findElement(By.id("from")).getAttribute("value")).isEqualTo(today);
    browser.get(base + "/runs?to=" + yesterday);
    assertThat(browser.findElements(By.cssSelector(".run-row"))).isEmpty();
    browser.get(base + "/runs?from=" + today + "&state=killed");
    assertThat(browser.findElements(By.cssSelector(".run-row"))).hasSize(1);
    // the date inputs filter in place, as the other filters do
    browser.get(base + "/runs");
    ((JavascriptExecutor) browser)
        .executeScript(
            "var i = document.getElementById('to'); i.value = arguments[0];"
                + " i.dispatchEvent(new Event('change', {bubbles: true}));",
            yesterday);
    wait.until(d -> d.findElements(By.cssSelector(".run-row")).isEmpty());
    browser.get(base + "/runs?from=2026-13-01");
    assertThat(browser.findElement(By.tagName("h1")).getText()).contains("400");
    assertThat(browser.findElement(By.tagName("main")).getText()).contains("from");
    browser.get(base + "/runs?from=" + today + "&to=" + yesterday);
    assertThat(browser.findElement(By.tagName("main")).getText()).contains("must not be before");
  }

  @Test
  @Order(8)
  void aBadgeTurnsFinalWithoutAReload() throws Exception {
    launch("Archive last year's tickets");
    String fid = browser.getCurrentUrl().substring((base + "/runs/").length());
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("lock-form")));
    browser.get(base + "/runs");
    By badge = By.cssSelector(".badge[data-fid='" + fid + "']");
    assertThat(browser.findElement(badge).getText()).isEqualToIgnoringCase("locked");
    ((JavascriptExecutor) browser).executeScript("window.kodoNoReload = 1");
    send(login("alice", ALICE), "/api/runs/" + fid + "/kill", Map.of(), 200);
    wait.until(ExpectedConditions.textToBe(badge, "KILLED"));
    assertThat(browser.findElement(badge).getAttribute("class")).contains("state-killed");
    assertThat(((JavascriptExecutor) browser).executeScript("return window.kodoNoReload"))
        .isEqualTo(1L);
    assertThat(browser.findElement(badge).getAttribute("data-live")).isNull(); // polling stops
  }

  @Test
  @Order(9)
  void thePagesFitAPhone() {
    browser.manage().window().setSize(new Dimension(360, 800));
    try {
      for (String page :
          List.of(
              "/",
              "/runs",
              "/runs/" + killedFid,
              "/runs/" + doneFid + "?tab=io",
              "/runs/" + doneFid + "?tab=events",
              "/launch?flow=" + APPROVAL)) {
        browser.get(base + page);
        Object width =
            ((JavascriptExecutor) browser)
                .executeScript("return document.documentElement.scrollWidth");
        assertThat(((Number) width).intValue())
            .as("page width of %s", page)
            .isLessThanOrEqualTo(360);
      }
      browser.get(base + "/runs/" + killedFid);
      wait.until(d -> d.findElements(By.cssSelector("#timeline li.ev-kill")).size() == 1);
      shot("phone-run");
    } finally {
      browser.manage().window().setSize(new Dimension(1280, 1000));
    }
  }

  @Test
  @Order(10)
  void aUserWithoutFullSeesNoToolCalls() {
    browser.get(base + "/");
    browser.findElement(By.cssSelector(".who button")).click();
    wait.until(ExpectedConditions.urlToBe(base + "/login"));
    browser.get(base + "/runs");
    wait.until(ExpectedConditions.urlToBe(base + "/login"));
    logIn("bob", BOB);
    wait.until(ExpectedConditions.urlToBe(base + "/"));
    // alice's runs are not bob's to see
    browser.get(base + "/runs/" + killedFid);
    assertThat(browser.findElement(By.tagName("h1")).getText()).contains("404");
    // …except the one alice shared with him, at basic, which he may not share on
    browser.get(base + "/runs/" + doneFid);
    assertThat(browser.findElement(By.cssSelector(".meta")).getText()).contains("basic");
    assertThat(browser.findElements(By.id("share-form"))).isEmpty();
    assertThat(browser.findElement(By.cssSelector("#result .markdown")).getText())
        .contains("Plan rejected");
    wait.until(d -> d.findElements(By.cssSelector("#timeline li.ev-final")).size() == 1);
    assertThat(browser.findElements(By.cssSelector("#timeline li.ev-action"))).isEmpty();
    launch("bob's plan");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("lock-form")));
    WebElement approve = browser.findElement(APPROVE);
    if (!approve.isSelected()) approve.click();
    click(By.cssSelector("#lock-form button[type=submit]"));
    wait.until(ExpectedConditions.textToBe(By.id("state"), "DONE"));
    wait.until(d -> d.findElements(By.cssSelector("#timeline li.ev-final")).size() == 1);
    assertThat(browser.findElements(By.cssSelector("#timeline li.ev-unlock"))).hasSize(1);
    assertThat(browser.findElements(By.cssSelector("#timeline li.step"))).isEmpty();
    assertThat(browser.findElements(By.cssSelector("#timeline li.ev-action"))).isEmpty();
    shot("run-advanced");
  }

  /**
   * One page path, the status each visitor gets for it (logged out, the operator admin, alice who
   * owns the runs, bob at advanced with one of alice's runs shared at basic, carol without grants),
   * and text the page shows exactly to the visitors named in {@code shows}.
   */
  record PageRow(
      String path, int admin, int alice, int bob, int carol, String marker, Set<String> shows) {
    PageRow(String path, int admin, int alice, int bob, int carol) {
      this(path, admin, alice, bob, carol, null, Set.of());
    }

    int status(String who) {
      return switch (who) {
        case "admin" -> admin;
        case "alice" -> alice;
        case "bob" -> bob;
        case "carol" -> carol;
        default -> throw new IllegalArgumentException(who);
      };
    }
  }

  @Test
  @Order(11)
  void everyPageRedirectsLoggedOutVisitorsAndShowsEachRoleWhatItsGrantsAllow() throws Exception {
    String run = "/runs/" + doneFid; // alice's, shared with bob at basic
    String killed = "/runs/" + killedFid; // alice's, shared with no one
    Set<String> managers = Set.of("admin", "alice");
    Set<String> readers = Set.of("admin", "alice", "bob");
    List<PageRow> table =
        List.of(
            new PageRow("/", 200, 200, 200, 200, "Plan approval", readers),
            new PageRow("/runs", 200, 200, 200, 200, doneFid, readers),
            new PageRow("/runs?from=2020-01-01&to=2999-12-31&state=done", 200, 200, 200, 200),
            new PageRow("/runs?from=not-a-day", 400, 400, 400, 400),
            new PageRow("/runs/states?fid=" + doneFid, 200, 200, 200, 200, "done", readers),
            new PageRow("/launch?flow=" + APPROVAL, 200, 200, 200, 404),
            new PageRow(run, 200, 200, 200, 404, "id=\"share-form\"", managers),
            new PageRow(run + "?tab=io", 200, 200, 200, 404, "Plan rejected", readers),
            new PageRow(
                run + "?tab=events", 200, 200, 200, 404, "class=\"type\">action<", managers),
            new PageRow(run + "?tab=events&after=-1", 400, 400, 400, 404),
            new PageRow(run + "/panel", 200, 200, 200, 404),
            new PageRow(
                run + "/events.ndjson", 200, 200, 200, 404, "\"type\":\"action\"", managers),
            new PageRow(run + "/events.ndjson", 200, 200, 200, 404, "\"type\":\"final\"", readers),
            new PageRow(run + "/result", 200, 200, 200, 404, "Plan rejected", readers),
            new PageRow(killed, 200, 200, 404, 404),
            new PageRow(killed + "/stream", 200, 200, 404, 404, "event: kill", managers),
            new PageRow(killed + "/result", 409, 409, 404, 404));
    Map<String, String> sessions = sessions();
    for (PageRow row : table) {
      HttpResponse<String> anonymous =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(base + row.path())).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).as("logged out: %s", row.path()).isEqualTo(302);
      assertThat(anonymous.headers().firstValue("Location").orElse(""))
          .as("logged out: %s", row.path())
          .endsWith("/login");
      for (var session : sessions.entrySet()) {
        String who = session.getKey();
        HttpResponse<String> r =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(base + row.path()))
                    .header("Cookie", "kodo_session=" + session.getValue())
                    .timeout(Duration.ofSeconds(20))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s: %s", who, row.path()).isEqualTo(row.status(who));
        if (row.marker() != null) {
          assertThat(r.body().contains(row.marker()))
              .as("%s: %s shows %s", who, row.path(), row.marker())
              .isEqualTo(row.shows().contains(who));
        }
      }
    }
  }

  @Test
  @Order(140)
  void theRunsListSearchesFiltersByFlowPagesAndActsOnTheSelection() throws Exception {
    browser.manage().deleteAllCookies();
    logIn("alice", ALICE);
    wait.until(ExpectedConditions.urlToBe(base + "/"));
    String alice = login("alice", ALICE);
    List<String> mine = new java.util.ArrayList<>();
    for (int i = 0; i < 21; i++) {
      mine.add(launch(alice, APPROVAL, Map.of("goal", "bulk " + i)));
    }
    for (String fid : mine.subList(0, 3)) {
      awaitState(alice, fid, "locked");
      send(alice, "/api/runs/" + fid + "/kill", Map.of(), 200);
    }
    // paging: 20 a page, the older ones on the next
    browser.get(base + "/runs");
    Set<String> first = listed();
    assertThat(first).hasSize(20);
    click(By.cssSelector(".pager a[rel=next]"));
    wait.until(ExpectedConditions.urlContains("p=1"));
    Set<String> second = listed();
    assertThat(second).isNotEmpty().doesNotContainAnyElementsOf(first);
    // search by a fid; the flow filter offers every flow alice sees, runs or not
    browser.get(base + "/runs?search=" + mine.get(5));
    assertThat(listed()).containsExactly(mine.get(5));
    browser.get(base + "/runs");
    assertThat(
            new Select(browser.findElement(By.id("flow")))
                .getOptions().stream().map(o -> o.getAttribute("value")).toList())
        .contains("", APPROVAL, RESEARCH);
    browser.get(base + "/runs?flow=" + RESEARCH);
    assertThat(browser.findElements(By.cssSelector(".run-row a")))
        .allSatisfy(a -> assertThat(a.getText()).isEqualTo(RESEARCH));
    // multi-select: delete two killed runs, acknowledge the third
    browser.get(base + "/runs?state=killed");
    browser.findElement(By.id("sel-" + mine.get(0))).click();
    browser.findElement(By.id("sel-" + mine.get(1))).click();
    click(By.cssSelector("button[name=action][value=delete]"));
    wait.until(ExpectedConditions.urlToBe(base + "/runs"));
    assertThat(listed()).doesNotContain(mine.get(0), mine.get(1));
    assertThat(status(alice, "/api/runs/" + mine.get(0))).isEqualTo(404);
    browser.get(base + "/runs?state=killed");
    browser.findElement(By.id("sel-" + mine.get(2))).click();
    click(By.cssSelector("button[name=action][value=ack]"));
    wait.until(ExpectedConditions.urlToBe(base + "/runs"));
    assertThat(run(alice, mine.get(2)).path("acknowledged").asBoolean()).isTrue();
    // a selection with a run alice may not manage: the others change, that one is reported (409)
    String bobs = launch(login("bob", BOB), APPROVAL, Map.of("goal", "b"));
    send(alice, "/api/runs/" + mine.get(3) + "/kill", Map.of(), 200);
    String session = browser.manage().getCookieNamed("kodo_session").getValue();
    HttpResponse<String> mixed =
        form(session, "/runs", "action=ack&fid=" + bobs + "&fid=" + mine.get(3));
    assertThat(mixed.statusCode()).isEqualTo(409);
    assertThat(mixed.body()).contains(bobs).doesNotContain(mine.get(3));
    assertThat(run(alice, mine.get(3)).path("acknowledged").asBoolean()).isTrue();
    assertThat(form(session, "/runs", "action=purge&fid=" + mine.get(4)).statusCode())
        .isEqualTo(400);
    assertThat(run(alice, mine.get(4)).path("state").asString()).isNotEqualTo("killed");
    assertThat(status(login("bob", BOB), "/api/runs/" + bobs)).isEqualTo(200);
    for (String fid : mine.subList(4, mine.size())) {
      send(alice, "/api/runs/" + fid + "/kill", Map.of(), 200);
    }
    send(login("bob", BOB), "/api/runs/" + bobs + "/kill", Map.of(), 200);
  }

  @Test
  @Order(141)
  void aFinishedRunIsAcknowledgedRestartedAndDeletedFromItsPage() throws Exception {
    String alice = login("alice", ALICE);
    String fid = launch(alice, APPROVAL, Map.of("goal", "again"));
    awaitState(alice, fid, "locked");
    send(alice, "/api/runs/" + fid + "/kill", Map.of(), 200);
    browser.get(base + "/runs/" + fid);
    click(By.id("ack"));
    wait.until(d -> d.findElements(By.id("ack")).isEmpty());
    assertThat(run(alice, fid).path("acknowledged").asBoolean()).isTrue();
    click(By.id("restart"));
    wait.until(
        d -> d.getCurrentUrl().startsWith(base + "/runs/") && !d.getCurrentUrl().endsWith(fid));
    String again = browser.getCurrentUrl().substring((base + "/runs/").length());
    assertThat(run(alice, again).path("inputs").path("goal").asString()).isEqualTo("again");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("lock-form")));
    click(By.id("kill"));
    wait.until(ExpectedConditions.textToBe(By.id("state"), "KILLED"));
    browser.get(base + "/runs/" + fid);
    click(By.id("delete"));
    wait.until(ExpectedConditions.urlToBe(base + "/runs"));
    assertThat(status(alice, "/api/runs/" + fid)).isEqualTo(404);
  }

  @Test
  @Order(142)
  void everyActionRefusesWhoMayNotTakeItAndChangesNothing() throws Exception {
    String alice = login("alice", ALICE);
    String locked = launch(alice, APPROVAL, Map.of("goal", "guarded"));
    awaitState(alice, locked, "locked");
    String lid = run(alice, locked).path("lock").path("lid").asString();
    String done = "/runs/" + doneFid; // alice's, shared with bob at basic (read only)
    // path, form, bob's status, carol's status
    List<List<Object>> actions =
        List.of(
            List.of(done + "/kill", "", 403, 404),
            List.of(done + "/ack", "", 403, 404),
            List.of(done + "/restart", "", 403, 404),
            List.of(done + "/delete", "", 403, 404),
            List.of(done + "/share", "subject=user:carol&level=full&mode=x", 403, 404),
            List.of("/runs/" + locked + "/kill", "", 404, 404),
            List.of("/runs/" + locked + "/locks/" + lid, "approve=true", 404, 404),
            List.of("/runs", "action=delete&fid=" + doneFid, 409, 409));
    Map<String, String> sessions = sessions();
    for (List<Object> a : actions) {
      String path = (String) a.get(0);
      String body = (String) a.get(1);
      HttpResponse<String> anonymous = form(null, path, body);
      assertThat(anonymous.statusCode()).as("logged out: POST %s", path).isIn(302, 403);
      assertThat(form(sessions.get("bob"), path, body).statusCode())
          .as("bob: POST %s", path)
          .isEqualTo(a.get(2));
      assertThat(form(sessions.get("carol"), path, body).statusCode())
          .as("carol: POST %s", path)
          .isEqualTo(a.get(3));
    }
    JsonNode stillDone = run(alice, doneFid);
    assertThat(stillDone.path("state").asString()).isEqualTo("done");
    assertThat(stillDone.path("acknowledged").asBoolean()).isFalse();
    assertThat(run(alice, locked).path("state").asString()).isEqualTo("locked");
    send(alice, "/api/runs/" + locked + "/kill", Map.of(), 200);
  }

  @Test
  @Order(143)
  void theKeyboardFocusIsVisible() {
    switchTo("alice", ALICE);
    browser.get(base + "/launch?flow=" + APPROVAL);
    var keys = new org.openqa.selenium.interactions.Actions(browser);
    for (int i = 0; i < 40; i++) {
      keys.sendKeys(Keys.TAB).perform();
      if ("goal".equals(browser.switchTo().activeElement().getAttribute("name"))) break;
    }
    WebElement goal = browser.switchTo().activeElement();
    assertThat(goal.getAttribute("name")).isEqualTo("goal");
    assertThat(goal.getCssValue("outline-style")).isNotEqualTo("none");
  }

  /** The fids the runs list shows. */
  private static Set<String> listed() {
    Set<String> fids = new java.util.LinkedHashSet<>();
    for (WebElement box : browser.findElements(By.cssSelector(".run-row input[name=fid]"))) {
      fids.add(box.getAttribute("value"));
    }
    return fids;
  }

  /** A session cookie for each of admin, alice, bob and carol, logged in through the page. */
  private static Map<String, String> sessions() {
    Map<String, String> sessions = new LinkedHashMap<>();
    for (var user :
        Map.of("admin", PASSWORD, "alice", ALICE, "bob", BOB, "carol", CAROL).entrySet()) {
      browser.manage().deleteAllCookies();
      logIn(user.getKey(), user.getValue());
      wait.until(ExpectedConditions.urlToBe(base + "/"));
      sessions.put(user.getKey(), browser.manage().getCookieNamed("kodo_session").getValue());
    }
    return sessions;
  }

  /**
   * Posts a form as the session (logged out if null) with the session's CSRF token, as the page's
   * own forms do; redirects are not followed.
   */
  private static HttpResponse<String> form(String session, String path, String body)
      throws Exception {
    String token = "";
    if (session != null) {
      HttpResponse<String> page =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(base + "/"))
                  .header("Cookie", "kodo_session=" + session)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      var m =
          java.util.regex.Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page.body());
      assertThat(m.find()).as("a CSRF token on the catalogue page").isTrue();
      token = m.group(1);
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .timeout(Duration.ofSeconds(20))
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    (body.isEmpty() ? "" : body + "&") + "_csrf=" + token));
    if (session != null) b.header("Cookie", "kodo_session=" + session);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode run(String token, String fid) throws Exception {
    return get(token, "/api/runs/" + fid);
  }

  private static int status(String token, String path) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static void awaitState(String token, String fid, String state) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!run(token, fid).path("state").asString().equals(state)) {
      assertThat(System.nanoTime()).as("run %s to be %s", fid, state).isLessThan(end);
      Thread.sleep(50);
    }
  }

  @Test
  @Order(120)
  void aDroppedStreamResumesAfterItsLastEventWithoutDuplicates() throws Exception {
    switchTo("alice", ALICE);
    String token = login("alice", ALICE);
    String fid = launch(token, TICKER, Map.of("count", 60, "pause", 100));
    try (DroppingProxy proxy =
        new DroppingProxy(
            Integer.parseInt(node.getEnvironment().getProperty("local.server.port")))) {
      // the page reaches the node through a proxy that loses every connection mid-stream
      browser.get("http://127.0.0.1:" + proxy.port() + "/runs/" + fid);
      wait.until(d -> d.findElements(By.cssSelector("#timeline li.ev-progress")).size() >= 10);
      proxy.drop();
      wait.until(d -> d.findElements(By.cssSelector("#timeline li.ev-final")).size() == 1);
      long last = get(token, "/api/runs/" + fid).path("events").asLong();
      // the timeline holds each event once, in order: 1..N
      assertThat(seqs()).isEqualTo(LongStream.rangeClosed(1, last).boxed().toList());
      // the stream was asked for again after the drop, to resume after an event before the end,
      // and the node resumed right after it
      List<long[]> streams = streamRequests(proxy, fid);
      System.out.printf(
          "dropped stream: requests (after, first seq sent) %s, last seq %d%n",
          streams.stream().map(Arrays::toString).toList(), last);
      assertThat(streams).as("stream requests").hasSizeGreaterThan(1);
      assertThat(streams.getFirst()).containsExactly(0, 1);
      long[] resumed = streams.get(1);
      assertThat(resumed[0]).isBetween(10L, last - 1);
      assertThat(resumed[1]).isEqualTo(resumed[0] + 1);
    }
    assertThat(get(token, "/api/runs/" + fid).path("state").asString()).isEqualTo("done");
  }

  @Test
  @Order(121)
  void aRunOfTenThousandEventsRendersProgressivelyAndItsRawEventsComeInPages() throws Exception {
    switchTo("alice", ALICE);
    String token = login("alice", ALICE);
    String fid = launch(token, TICKER, Map.of("count", 10_000));
    JsonNode run = awaitEnd(token, fid);
    assertThat(run.path("state").asString()).isEqualTo("done");
    long total = run.path("events").asLong();
    assertThat(total).isGreaterThan(10_000);
    browser.get(base + "/runs/" + fid); // the whole run is replayed at once
    JavascriptExecutor js = (JavascriptExecutor) browser;
    long[] midway = {0};
    long[] slowest = {0};
    new WebDriverWait(browser, Duration.ofSeconds(120), Duration.ofMillis(20))
        .until(
            d -> {
              long t0 = System.nanoTime();
              List<?> r =
                  (List<?>)
                      js.executeScript(
                          "var l = document.getElementById('timeline');"
                              + " return [l.children.length, l.getAttribute('aria-busy')];");
              slowest[0] = Math.max(slowest[0], (System.nanoTime() - t0) / 1_000_000);
              long n = ((Number) r.get(0)).longValue();
              if (n > 0 && n < total) midway[0]++;
              return n >= total && "false".equals(r.get(1));
            });
    // the page answered script between its frames while it drew, and never froze for long
    System.out.printf(
        "10,000 events: %d answers while drawing, slowest %d ms%n", midway[0], slowest[0]);
    assertThat(midway[0]).as("answers while the timeline was drawn").isGreaterThan(1);
    Object gap =
        js.executeScript(
            "var l = document.querySelectorAll('#timeline li');"
                + " for (var i = 0; i < l.length; i++)"
                + "   if (Number(l[i].getAttribute('data-seq')) !== i + 1) return i;"
                + " return l.length === arguments[0] ? -1 : l.length;",
            total);
    assertThat(((Number) gap).longValue()).as("first misplaced timeline entry").isEqualTo(-1);
    shot("run-10000");
    // the raw events: 200 a page, and a link to the next
    browser.get(base + "/runs/" + fid + "?tab=events");
    List<WebElement> raw = browser.findElements(By.cssSelector("#events .raw-events li"));
    assertThat(raw).hasSize(200);
    assertThat(raw.get(199).getAttribute("data-seq")).isEqualTo("200");
    WebElement next = browser.findElement(By.id("events-next"));
    assertThat(next.getAttribute("href")).endsWith("tab=events&after=200");
    next.click();
    wait.until(ExpectedConditions.urlContains("after=200"));
    raw = browser.findElements(By.cssSelector("#events .raw-events li"));
    assertThat(raw).hasSize(200);
    assertThat(raw.getFirst().getAttribute("data-seq")).isEqualTo("201");
  }

  @Test
  @Order(122)
  void aRunsModelUsageAndCostShowAtFullOnly() throws Exception {
    models.expect(
        ModelStep.containing("verifiable facts about tides")
            .reply(ModelReply.text("1. The moon pulls.\n2. Two highs a day.").usage(40, 12)));
    models.expect(
        ModelStep.containing("1. The moon pulls.")
            .reply(ModelReply.text("# Tides\n\nThe moon pulls the sea.").usage(60, 30)));
    String token = login("alice", ALICE);
    String fid = launch(token, AGENTIC, Map.of("topic", "tides"));
    assertThat(awaitEnd(token, fid).path("state").asString()).isEqualTo("done");
    models.verify();
    send(
        token,
        "/api/runs/" + fid + "/share",
        Map.of("subjects", List.of("user:bob"), "level", "advanced", "mode", "r"),
        200);
    // alice launched it at full: 2 calls, 40+60 in, 12+30 out; at 1000 and 2000 per million
    // tokens: (100·1000 + 42·2000) / 10⁶ = 0.184
    switchTo("alice", ALICE);
    browser.get(base + "/runs/" + fid);
    assertThat(browser.findElement(By.id("usage")).getText())
        .isEqualTo("2 calls, 100 in / 42 out tokens");
    assertThat(browser.findElement(By.id("cost")).getText()).isEqualTo("0.1840");
    wait.until(d -> d.findElements(By.cssSelector("#timeline li.ev-final")).size() == 1);
    assertThat(browser.findElements(By.cssSelector("#timeline li.ev-action"))).hasSize(2);
    shot("run-usage");
    // bob sees the run at advanced: its result, but no usage, no cost, no model calls
    switchTo("bob", BOB);
    browser.get(base + "/runs/" + fid);
    assertThat(browser.findElement(By.cssSelector(".meta")).getText()).contains("advanced");
    assertThat(browser.findElement(By.cssSelector("#result .markdown")).getText())
        .contains("The moon pulls the sea.");
    assertThat(browser.findElements(By.id("usage"))).isEmpty();
    assertThat(browser.findElements(By.id("cost"))).isEmpty();
    assertThat(browser.findElement(By.id("panel")).getText()).doesNotContain("Model calls");
    wait.until(d -> d.findElements(By.cssSelector("#timeline li.ev-final")).size() == 1);
    assertThat(browser.findElements(By.cssSelector("#timeline li.ev-action"))).isEmpty();
  }

  /** The seqs of the timeline's entries, in the page's order. */
  private static List<Long> seqs() {
    List<?> seqs =
        (List<?>)
            ((JavascriptExecutor) browser)
                .executeScript(
                    "return Array.from(document.querySelectorAll('#timeline li'),"
                        + " function (li) { return Number(li.getAttribute('data-seq')); });");
    return seqs.stream().map(n -> ((Number) n).longValue()).toList();
  }

  /**
   * The page's requests for the run's stream through the proxy, in order: the seq each asked to
   * resume after ({@code Last-Event-ID}, else {@code ?after=}, else 0) and the first seq the node
   * sent back (0 for none).
   */
  private static List<long[]> streamRequests(DroppingProxy proxy, String fid) {
    Pattern request =
        Pattern.compile(
            "GET /runs/"
                + Pattern.quote(fid)
                + "/stream(\\?after=(\\d+))? HTTP/1\\.1\r\n"
                + "((?:[^\r\n]+\r\n)*)\r\n");
    Pattern lastEventId = Pattern.compile("(?i)(?:^|\n)Last-Event-ID: *(\\d+)");
    Pattern firstId = Pattern.compile("text/event-stream[\\s\\S]*?\nid: *(\\d+)");
    List<long[]> streams = new ArrayList<>();
    for (DroppingProxy.Exchange x : proxy.exchanges()) {
      Matcher m = request.matcher(x.sent());
      if (!m.find()) continue;
      Matcher id = lastEventId.matcher(m.group(3));
      long after =
          id.find()
              ? Long.parseLong(id.group(1))
              : m.group(2) != null ? Long.parseLong(m.group(2)) : 0L;
      Matcher first = firstId.matcher(x.received());
      streams.add(new long[] {after, first.find() ? Long.parseLong(first.group(1)) : 0L});
    }
    return streams;
  }

  static final By TREE_TOOL =
      By.cssSelector(
          "#timeline > li.ev-task > details > ol.steps > li.ev-agent > details > ol.steps"
              + " > li.ev-tool");

  @Test
  @Order(100)
  void aCrewsStepsAreATreeAndItsIntermediateResultShowsUntilFinal() {
    switchTo("alice", ALICE);
    launchWith(CREW, Map.of("company", "Initech"));
    // the crew locks after its research task: its output is the run's intermediate result
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("lock-form")));
    wait.until(d -> d.findElements(By.cssSelector("#timeline li.ev-lock")).size() == 1);
    WebElement intermediate =
        wait.until(
            ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#intermediate-result .markdown")));
    assertThat(browser.findElement(By.cssSelector("#intermediate-result h2")).getText())
        .isEqualTo("Intermediate result");
    assertThat(intermediate.getText()).contains("Initech facts").contains(XSS).contains("42");
    assertThat(intermediate.findElements(By.tagName("img"))).isEmpty();
    assertThat(intermediate.findElements(By.tagName("script"))).isEmpty();
    assertThat(browser.findElements(By.id("result"))).isEmpty();
    // in the timeline: a readable summary, as text
    WebElement result = browser.findElement(By.cssSelector("#timeline > li.ev-result .text"));
    assertThat(result.getText()).startsWith("intermediate result: Initech facts").contains(XSS);

    // the steps as a tree: the task holds its agent, the agent its tool and model calls
    List<WebElement> tools = browser.findElements(TREE_TOOL);
    assertThat(tools).hasSize(1);
    assertThat(tools.get(0).getAttribute("textContent")).contains("calculator");
    assertThat(
            browser.findElements(
                By.cssSelector("#timeline li.ev-agent > details > ol.steps > li.ev-action")))
        .hasSize(2);
    assertThat(browser.findElements(By.cssSelector("#timeline > li.ev-task"))).hasSize(1);
    assertThat(browser.findElements(By.cssSelector("#timeline > li.ev-agent"))).isEmpty();
    assertThat(browser.findElements(By.cssSelector("#timeline > li.ev-tool"))).isEmpty();
    assertThat(browser.findElements(By.cssSelector("#timeline > li.ev-action"))).isEmpty();
    // a finish goes last into its start's list
    assertThat(
            browser.findElement(
                By.cssSelector("#timeline > li.ev-task > details > ol.steps > li:last-child")))
        .satisfies(li -> assertThat(li.getAttribute("class")).contains("ev-task"));
    // collapsed by default: the tool call is there but not shown
    for (WebElement d : browser.findElements(By.cssSelector("#timeline li.step > details"))) {
      assertThat(d.getAttribute("open")).isNull();
    }
    assertThat(tools.get(0).isDisplayed()).isFalse();
    click(By.cssSelector("#timeline > li.ev-task > details > summary"));
    click(By.cssSelector("#timeline li.ev-agent > details > summary"));
    wait.until(ExpectedConditions.visibilityOfElementLocated(TREE_TOOL));
    ((JavascriptExecutor) browser)
        .executeScript(
            "arguments[0].scrollIntoView()",
            browser.findElement(By.cssSelector("#timeline > li.ev-task")));
    assertThat(((JavascriptExecutor) browser).executeScript("return window.kodoXss === undefined"))
        .isEqualTo(true);
    shot("run-tree");
    // the opened tree still fits a phone
    browser.manage().window().setSize(new Dimension(360, 800));
    try {
      Object width =
          ((JavascriptExecutor) browser)
              .executeScript("return document.documentElement.scrollWidth");
      assertThat(((Number) width).intValue()).isLessThanOrEqualTo(360);
    } finally {
      browser.manage().window().setSize(new Dimension(1280, 1000));
    }

    // approved: the writer's report is the final result, which replaces the intermediate one
    WebElement approve = browser.findElement(APPROVE);
    if (!approve.isSelected()) approve.click();
    click(By.cssSelector("#lock-form button[type=submit]"));
    wait.until(ExpectedConditions.textToBe(By.id("state"), "DONE"));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.cssSelector("#result .markdown"), "Initech report"));
    assertThat(browser.findElements(By.id("intermediate-result"))).isEmpty();
    wait.until(d -> d.findElements(By.cssSelector("#timeline li.ev-final")).size() == 1);
    assertThat(browser.findElements(By.cssSelector("#timeline > li.ev-task"))).hasSize(2);
    assertThat(browser.findElement(By.id("usage")).getText()).startsWith("3 calls");
    // the flow's own output (stdout) and actions, at full
    launchWith(RESEARCH, Map.of("topic", "tides", "steps", "1", "pause", "0"));
    wait.until(ExpectedConditions.textToBe(By.id("state"), "DONE"));
    wait.until(d -> d.findElements(By.cssSelector("#timeline li.ev-final")).size() == 1);
    assertThat(browser.findElement(By.cssSelector("#timeline > li.ev-stdout")).getText())
        .contains("researching 'tides' in 1 steps");
    assertThat(browser.findElements(By.cssSelector("#timeline > li.ev-action"))).hasSize(1);
    assertThat(browser.findElement(By.cssSelector("#timeline > li.ev-result .text")).getText())
        .startsWith("intermediate result: {\"step\":\"Frame the question\"");
  }

  @Test
  @Order(101)
  void aUserAtAdvancedSeesIntermediateResultsButNoStepsToolCallsOrLogs() {
    switchTo("bob", BOB);
    launchWith(CREW, Map.of("company", "Globex"));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("lock-form")));
    wait.until(d -> d.findElements(By.cssSelector("#timeline li.ev-lock")).size() == 1);
    assertThat(
            wait.until(
                    ExpectedConditions.visibilityOfElementLocated(
                        By.cssSelector("#intermediate-result .markdown")))
                .getText())
        .contains("Globex facts")
        .contains(XSS);
    assertThat(browser.findElement(By.cssSelector("#timeline li.ev-result .text")).getText())
        .startsWith("intermediate result: Globex facts");
    assertNoStepsOrLogs();
    assertThat(browser.findElements(By.id("usage"))).isEmpty();
    String url = browser.getCurrentUrl();
    // the events tab, filtered on the server the same way
    browser.get(url + "?tab=events");
    String events = browser.findElement(By.id("events")).getAttribute("textContent");
    assertThat(events).contains("result").contains("lock").doesNotContain("calculator");
    for (WebElement type : browser.findElements(By.cssSelector("#events .type"))) {
      assertThat(type.getText()).isNotIn("agent", "task", "tool", "action", "stdout");
    }
    browser.get(url);
    click(By.id("kill"));
    wait.until(ExpectedConditions.textToBe(By.id("state"), "KILLED"));
    launchWith(RESEARCH, Map.of("topic", "tides", "steps", "1", "pause", "0"));
    wait.until(ExpectedConditions.textToBe(By.id("state"), "DONE"));
    wait.until(d -> d.findElements(By.cssSelector("#timeline li.ev-final")).size() == 1);
    assertThat(browser.findElements(By.cssSelector("#timeline li.ev-result"))).hasSize(1);
    assertNoStepsOrLogs();
    shot("run-advanced-crew");
    models.verify();
  }

  private static void assertNoStepsOrLogs() {
    for (String type : List.of("agent", "task", "tool", "action", "stdout", "stderr")) {
      assertThat(browser.findElements(By.cssSelector("#timeline li.ev-" + type)))
          .as("%s events", type)
          .isEmpty();
    }
    assertThat(browser.findElements(By.cssSelector("#timeline li.step"))).isEmpty();
  }

  /** Logs the browser in afresh as {@code user}. */
  private static void switchTo(String user, String password) {
    browser.manage().deleteAllCookies();
    logIn(user, password);
    wait.until(ExpectedConditions.urlToBe(base + "/"));
  }

  private static String launch(String token, String flow, Map<String, Object> inputs)
      throws Exception {
    return send(token, "/api/runs", Map.of("flow", flow, "inputs", inputs), 201)
        .get("fid")
        .asString();
  }

  private static JsonNode awaitEnd(String token, String fid) throws Exception {
    while (true) {
      JsonNode run = get(token, "/api/runs/" + fid);
      if (Set.of("done", "error", "killed").contains(run.path("state").asString())) return run;
      Thread.sleep(200);
    }
  }

  private static JsonNode get(String token, String path) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("%s %s", path, r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  /** Launches {@code flow} through its form with these values; waits for its run page. */
  private static void launchWith(String flow, Map<String, String> values) {
    browser.get(base + "/launch?flow=" + flow);
    for (var v : values.entrySet()) {
      WebElement field = browser.findElement(By.name(v.getKey()));
      field.clear();
      field.sendKeys(v.getValue());
    }
    browser.findElement(By.cssSelector("#launch button[type=submit]")).click();
    wait.until(ExpectedConditions.urlContains("/runs/"));
  }

  /** Clicks what the selector finds, again if the live page redrew it meanwhile. */
  private static void click(By selector) {
    for (int i = 0; ; i++) {
      try {
        wait.until(ExpectedConditions.elementToBeClickable(selector)).click();
        return;
      } catch (org.openqa.selenium.WebDriverException e) {
        if (i == 5 || !HeadlessChromium.detached(e)) throw e;
      }
    }
  }

  private static void launch(String goal) {
    browser.get(base + "/launch?flow=" + APPROVAL);
    browser.findElement(By.name("goal")).sendKeys(goal);
    browser.findElement(By.cssSelector("#launch button[type=submit]")).click();
    wait.until(ExpectedConditions.urlContains("/runs/"));
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

  private static String login(String user, String password) throws Exception {
    JsonNode body = send(null, "/auth/login", Map.of("username", user, "password", password), 200);
    return body.get("access_token").asString();
  }

  private static void post(String token, String path, Map<String, Object> body) throws Exception {
    send(token, path, body, 201);
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
