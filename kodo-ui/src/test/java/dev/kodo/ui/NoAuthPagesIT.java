package dev.kodo.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.node.NodeApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * With auth off ({@code --no-auth}, loopback) the pages need no login and act for the local
 * operator (docs/ui.md#login); the API stays as it was (a form post to it is still refused).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class NoAuthPagesIT {
  static final HttpClient HTTP = HttpClient.newHttpClient();
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
            "--kodo.cluster.name=ui-" + UUID.randomUUID(),
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

  @Test
  void pagesAnswerWithoutALogin() throws Exception {
    HttpResponse<String> flows = get("/");
    assertThat(flows.statusCode()).isEqualTo(200);
    assertThat(flows.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(flows.body()).contains("Plan approval").doesNotContain("Log out");
    assertThat(get("/runs").statusCode()).isEqualTo(200);
    HttpResponse<String> form = get("/launch?flow=dev.kodo.examples.PlanApproval");
    assertThat(form.body()).contains("name=\"goal\"").contains("name=\"_csrf\"");
    // the login page has nothing to do
    HttpResponse<String> login = get("/login");
    assertThat(login.statusCode()).isEqualTo(302);
    // a run that does not exist is a page saying so, not a stack trace
    HttpResponse<String> missing = get("/runs/01a00000-0000-7000-8000-000000000000");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("404");
    // the API keeps its own rules: a form post to it is refused
    HttpResponse<String> api =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/api/runs"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("flow=x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(api.statusCode()).isIn(403, 415);
  }
}
