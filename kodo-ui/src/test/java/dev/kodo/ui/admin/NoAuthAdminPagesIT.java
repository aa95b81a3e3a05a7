package dev.kodo.ui.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.node.NodeApplication;
import dev.kodo.ui.UiModule;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
 * With auth off ({@code --no-auth}) the administrators' pages act for the local operator
 * (docs/ui.md#administration): the auth pages say auth is off, the cleanup works, and a post
 * without the session's CSRF token is still refused.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class NoAuthAdminPagesIT {
  static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
  static final HttpClient HTTP = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
  static ConfigurableApplicationContext node;
  static String base;

  @BeforeAll
  static void start() {
    node =
        NodeApplication.start(
            new Class<?>[] {UiModule.class},
            "--server.port=0",
            "--server.address=127.0.0.1",
            "--kodo.auth.enabled=false",
            "--kodo.data=" + Path.of("target", "it-data", UUID.randomUUID().toString()),
            "--kodo.cluster.name=admin-noauth-" + UUID.randomUUID(),
            "--kodo.flows=dev.kodo.examples.PlanApproval");
    base = "http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port");
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(String path, String form) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void authPagesSayAuthIsOffAndTheCleanupWorks() throws Exception {
    HttpResponse<String> home = get("/admin");
    assertThat(home.statusCode()).isEqualTo(302);
    assertThat(home.headers().firstValue("Location").orElse("")).endsWith("/admin/cleanup");
    for (String page : new String[] {"/admin/users", "/admin/groups", "/admin/grants"}) {
      HttpResponse<String> r = get(page);
      assertThat(r.statusCode()).as(page).isEqualTo(200);
      assertThat(r.body()).as(page).contains("id=\"auth-off\"").doesNotContain("name=\"username\"");
    }
    HttpResponse<String> cleanup = get("/admin/cleanup");
    assertThat(cleanup.statusCode()).isEqualTo(200);
    assertThat(cleanup.body()).contains("No finished run is past its retention");
    assertThat(cleanup.body()).contains("id=\"nav-admin\"");
    // the session's CSRF token, from a page with a post form
    Matcher csrf = CSRF.matcher(get("/launch?flow=dev.kodo.examples.PlanApproval").body());
    assertThat(csrf.find()).as("a CSRF token in the page").isTrue();
    // without the token: refused; with it: the cleanup runs (nothing is due)
    assertThat(post("/admin/cleanup", "confirm=true").statusCode()).isEqualTo(403);
    HttpResponse<String> ran =
        post(
            "/admin/cleanup",
            "confirm=true&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8));
    assertThat(ran.statusCode()).isEqualTo(200);
    assertThat(ran.body()).contains("Removed 0 runs");
  }
}
