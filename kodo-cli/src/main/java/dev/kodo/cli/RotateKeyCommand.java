package dev.kodo.cli;

import dev.kodo.client.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code koco auth rotate-key}: asks an auth provider for a new signing key ({@code POST
 * /auth/keys/rotate}, operators only; docs/security.md#keys-and-rotation). The old key stays in the
 * JWKS for the access-token TTL, so tokens it signed keep working until they expire. The bearer
 * token is read from {@code KODO_TOKEN} for now.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "rotate-key",
    description = {
      "Make the auth provider sign with a new key; the old one stays published until its tokens expire.",
      "Needs an operator's token in $KODO_TOKEN."
    })
final class RotateKeyCommand implements Callable<Integer> {
  /** Where the token comes from: the environment (tests read it from elsewhere). */
  static java.util.function.Function<String, String> environment = System::getenv;

  @Spec CommandSpec spec;

  @Option(
      names = "--url",
      paramLabel = "URL",
      description =
          "The auth provider (a node under koco serve, or koco auth) (default: ${DEFAULT-VALUE}).",
      defaultValue = "http://127.0.0.1:3370")
  String url;

  @Override
  public Integer call() {
    String token = environment.apply("KODO_TOKEN");
    if (token == null || token.isBlank()) {
      throw CliException.usage("no token: set KODO_TOKEN to an operator's access token");
    }
    String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    URI uri;
    try {
      uri = URI.create(base + "/auth/keys/rotate");
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--url '" + url + "' is not a URL");
    }
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token.strip())
            .header("Accept", "application/json")
            .header("X-Kodo-Client", "koco")
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    HttpResponse<String> response;
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException | HttpTimeoutException e) {
      throw new CliException(Exit.UNREACHABLE, "no auth provider answers at " + base);
    } catch (IOException e) {
      throw new CliException(Exit.UNREACHABLE, "the connection to " + base + " broke: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(Exit.FAILED, "interrupted");
    }
    PrintWriter out = spec.commandLine().getOut();
    JsonNode body;
    try {
      body = Json.read(response.body());
    } catch (RuntimeException e) {
      body = null;
    }
    if (response.statusCode() != 200) {
      String detail =
          body != null && body.hasNonNull("detail")
              ? body.get("detail").asString()
              : "HTTP " + response.statusCode();
      throw new CliException(Exit.NODE, "the auth provider refused to rotate its key: " + detail);
    }
    out.println(
        "new signing key "
            + (body == null ? "?" : body.path("kid").asString(""))
            + " at "
            + base
            + "; the previous key stays published until the tokens it signed expire");
    return Exit.OK;
  }
}
