package dev.kodo.web.security;

import dev.kodo.client.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * This service's own access token (docs/security.md#tokens-on-every-request): client credentials
 * {@code kodo.auth.client-id}/{@code client-secret} exchanged at {@code {issuer}/oauth2/token},
 * cached and fetched again shortly before it expires. Used by a node to read grants and announce
 * itself, by a registry to push to a peer. Thread-safe. Never logs the secret or the token.
 */
public final class ClientToken {
  private static final Duration EARLY = Duration.ofSeconds(30);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final String tokenUri;
  private final String clientId;
  private final String clientSecret;
  private final Clock clock;
  private final HttpClient http;
  private String token;
  private Instant renewAt = Instant.MIN;

  public ClientToken(AuthProperties p) {
    this(p.issuerBase() + "/oauth2/token", p.getClientId(), p.getClientSecret(), Clock.systemUTC());
  }

  ClientToken(String tokenUri, String clientId, String clientSecret, Clock clock) {
    this.tokenUri = tokenUri;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  /** Whether a client is configured at all. */
  public boolean configured() {
    return !clientId.isEmpty() && !clientSecret.isEmpty() && tokenUri.startsWith("http");
  }

  /**
   * A valid access token for this service's client, or empty when no client is configured.
   *
   * @throws IllegalStateException when the provider refuses or cannot be reached (the message names
   *     the address and status, never the secret)
   */
  public synchronized Optional<String> bearer() {
    if (!configured()) return Optional.empty();
    Instant now = clock.instant();
    if (token != null && now.isBefore(renewAt)) return Optional.of(token);
    fetch(now);
    return Optional.of(token);
  }

  /** Forgets the cached token (e.g. after a 401 from the provider). */
  public synchronized void forget() {
    token = null;
    renewAt = Instant.MIN;
  }

  private void fetch(Instant now) {
    String basic =
        Base64.getEncoder()
            .encodeToString(
                (URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                        + ":"
                        + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8));
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(tokenUri))
            .timeout(TIMEOUT)
            .header("Authorization", "Basic " + basic)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
            .build();
    HttpResponse<String> res;
    try {
      res = http.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach " + tokenUri + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking " + tokenUri + " for a token", e);
    }
    if (res.statusCode() != 200) {
      throw new IllegalStateException(
          tokenUri + " refused client '" + clientId + "': HTTP " + res.statusCode());
    }
    JsonNode body = Json.read(res.body());
    String access = body.path("access_token").asString("");
    if (access.isEmpty()) {
      throw new IllegalStateException(tokenUri + " answered without an access_token");
    }
    long expiresIn = body.path("expires_in").asLong(300);
    Duration life = Duration.ofSeconds(Math.max(1, expiresIn));
    Duration early = life.compareTo(EARLY.multipliedBy(2)) > 0 ? EARLY : life.dividedBy(2);
    token = access;
    renewAt = now.plus(life).minus(early);
  }

  @Override
  public String toString() {
    return "ClientToken[" + clientId + " at " + tokenUri + "]";
  }
}
