package dev.kodo.web.security;

import dev.kodo.client.Json;
import dev.kodo.client.access.Grant;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The grants of a remote auth provider: {@code GET {issuer}/grants?p=&pp=1000}, page after page,
 * with this service's {@link ClientToken} (docs/security.md#node-who-sees-what). Thread-safe.
 */
public final class HttpGrantSource implements GrantSource {
  private static final int PER_PAGE = 1000;
  private static final int MAX_PAGES = 1000;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final String grantsUri;
  private final ClientToken token;
  private final HttpClient http;

  public HttpGrantSource(AuthProperties p, ClientToken token) {
    this(p.issuerBase() + "/grants", token);
  }

  HttpGrantSource(String grantsUri, ClientToken token) {
    this.grantsUri = grantsUri;
    this.token = token;
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  @Override
  public List<Grant> grants() {
    List<Grant> all = new ArrayList<>();
    for (int page = 0; page < MAX_PAGES; page++) {
      JsonNode body = page(page);
      JsonNode items = body.path("items");
      for (JsonNode g : items) {
        all.add(
            new Grant(
                g.path("id").asString(""),
                g.path("subject").asString(""),
                g.path("resource").asString(""),
                g.path("mode").asString(""),
                g.path("level").asString("basic")));
      }
      long total = body.path("filtered").asLong(body.path("total").asLong(0));
      if (items.isEmpty() || all.size() >= total) break;
    }
    return List.copyOf(all);
  }

  private JsonNode page(int page) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(grantsUri + "?p=" + page + "&pp=" + PER_PAGE))
            .timeout(TIMEOUT)
            .header("Accept", "application/json")
            .GET();
    token.bearer().ifPresent(t -> b.header("Authorization", "Bearer " + t));
    HttpResponse<String> res;
    try {
      res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read grants from " + grantsUri + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading grants from " + grantsUri, e);
    }
    if (res.statusCode() == 401) token.forget();
    if (res.statusCode() != 200) {
      throw new IllegalStateException(
          grantsUri
              + " answered HTTP "
              + res.statusCode()
              + " (is kodo.auth.client-id a node client?)");
    }
    return Json.read(res.body());
  }

  @Override
  public String toString() {
    return "HttpGrantSource[" + grantsUri + "]";
  }
}
