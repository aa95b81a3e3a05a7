package dev.kodo.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The scrape token (docs/operations.md#the-scrape-token): with {@code kodo.auth.scrape-token} set,
 * Prometheus scrapes {@code /api/actuator/prometheus} with it and nothing else; operators' tokens
 * scrape too; a wrong token is 401, a user's token 403; the token is never logged.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(OutputCaptureExtension.class)
class ScrapeTokenIT {
  static final String SCRAPE_TOKEN = "scrape-" + UUID.randomUUID();
  static StrangerIssuer issuer;
  static ConfigurableApplicationContext node;
  static String base;

  @BeforeAll
  static void start() throws Exception {
    issuer = new StrangerIssuer();
    List<String> args = new ArrayList<>(TokenRulesIT.nodeArgs());
    args.addAll(issuer.nodeArguments());
    args.add("--kodo.auth.scrape-token=" + SCRAPE_TOKEN);
    node = NodeApplication.start(args.toArray(String[]::new));
    base = "http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port");
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
    if (issuer != null) issuer.close();
  }

  @Test
  void theScrapeTokenScrapesAndOpensNothingElse(CapturedOutput output) {
    HttpResponse<byte[]> r = Scrape.fetch(base, SCRAPE_TOKEN);
    assertThat(r.statusCode()).isEqualTo(200);
    Scrape.parse(r.body()).family("kodo_runs");
    assertThat(get("/api/actuator/metrics", SCRAPE_TOKEN).statusCode()).isEqualTo(401);
    assertThat(get("/api/state", SCRAPE_TOKEN).statusCode()).isEqualTo(401);
    assertThat(get("/api/runs", SCRAPE_TOKEN).statusCode()).isEqualTo(401);
    assertThat(output.getAll()).doesNotContain(SCRAPE_TOKEN);
  }

  @Test
  void operatorsScrapeUsersAreForbiddenAndOtherTokensUnauthorized() {
    String operator = issuer.token("user:ops", List.of("operator"), List.of());
    String user = issuer.token("user:alice", List.of("user"), List.of());
    assertThat(Scrape.fetch(base, operator).statusCode()).isEqualTo(200);
    assertThat(Scrape.fetch(base, user).statusCode()).isEqualTo(403);
    assertThat(Scrape.fetch(base, SCRAPE_TOKEN + "x").statusCode()).isEqualTo(401);
    assertThat(Scrape.fetch(base, SCRAPE_TOKEN.substring(1)).statusCode()).isEqualTo(401);
    assertThat(Scrape.fetch(base, null).statusCode()).isEqualTo(401);
  }

  private static HttpResponse<String> get(String path, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
    if (token != null) b.header("Authorization", "Bearer " + token);
    return NodeTestSupport.send(b.build());
  }
}
