package dev.kodo.ui.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.registry.RegistryApplication;
import dev.kodo.registry.core.Registry;
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
 * The registry's pages in a registry's own process, as {@code koco registry} starts it ({@link
 * RegistryUiAlone}; docs/ui.md#registry-pages): with auth off (loopback) no login, the local
 * operator's admin controls, {@code /} sent to {@code /registry/}, the shared stylesheet and CSP,
 * and CSRF on the forms.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RegistryAlonePagesIT {
  static ConfigurableApplicationContext server;
  static String base;
  static final HttpClient HTTP = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

  @BeforeAll
  static void start() {
    server =
        RegistryApplication.start(
            new Class<?>[] {RegistryUiAlone.class},
            "--server.port=0",
            "--kodo.auth.enabled=false",
            "--kodo.registry.data=" + Path.of("target", "it-data", UUID.randomUUID().toString()));
    base = "http://127.0.0.1:" + server.getEnvironment().getProperty("local.server.port");
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  @Test
  void theHomeIsTheNodesPageWithoutALogin() throws Exception {
    HttpResponse<String> home = get("/");
    assertThat(home.statusCode()).isEqualTo(302);
    assertThat(home.headers().firstValue("Location").orElse("")).endsWith("/registry/");
    HttpResponse<String> nodes = get("/registry/");
    assertThat(nodes.statusCode()).isEqualTo(200);
    assertThat(nodes.body())
        .contains("<h1>Registry")
        .contains("Manage nodes and peers")
        // a registry alone has no flows or runs pages to link to
        .doesNotContain("href=\"/runs\"");
    assertThat(nodes.headers().firstValue("Content-Security-Policy").orElse(""))
        .contains("script-src 'self'")
        .doesNotContain("unsafe-inline");
    assertThat(get("/ui/kodo.css").statusCode()).isEqualTo(200);
    assertThat(get("/registry/ui/flows?query=online%20and").body()).contains("query, column");
  }

  @Test
  void theOperatorsFormsNeedTheirCsrfToken() throws Exception {
    HttpResponse<String> admin = get("/registry/ui/admin");
    assertThat(admin.statusCode()).isEqualTo(200);
    assertThat(post("/registry/ui/register", "node=n1").statusCode()).isEqualTo(403);
    Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(admin.body());
    assertThat(csrf.find()).isTrue();
    HttpResponse<String> done =
        post(
            "/registry/ui/register",
            "node=n1&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8));
    assertThat(done.statusCode()).isEqualTo(302);
    assertThat(server.getBean(Registry.class).index().node("n1", true)).isPresent();
    assertThat(get("/registry/ui/admin").body()).contains("Registered node n1.");
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, String form) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
