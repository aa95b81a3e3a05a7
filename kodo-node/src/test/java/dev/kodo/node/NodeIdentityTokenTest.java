package dev.kodo.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.kodo.client.KodoException;
import dev.kodo.web.security.AuthProperties;
import dev.kodo.web.security.ClientToken;
import dev.kodo.web.security.LocalTokens;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The node's own identity in its three modes (docs/security.md#the-node-calling-other-nodes): auth
 * off, a node client's client-credentials token from a token endpoint on loopback, and tokens
 * minted by an auth provider in the process, with their renewal.
 */
@Timeout(30)
class NodeIdentityTokenTest {
  private HttpServer provider;

  @AfterEach
  void stop() {
    if (provider != null) provider.stop(0);
  }

  /** Mints {@code minted-<n>} and remembers each request's subject and lifetime. */
  private static final class CountingTokens implements LocalTokens {
    final List<String> subjects = new CopyOnWriteArrayList<>();
    final List<Duration> lifetimes = new CopyOnWriteArrayList<>();

    @Override
    public String mint(String subject, Duration ttl) {
      subjects.add(subject);
      lifetimes.add(ttl);
      return "minted-" + subjects.size();
    }
  }

  /** A clock the test moves. */
  private static final class MovingClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static AuthProperties auth(boolean enabled) {
    AuthProperties p = new AuthProperties();
    p.setEnabled(enabled);
    return p;
  }

  @Test
  void withAuthOffThereIsNoTokenEvenWithAProviderInTheProcess() {
    CountingTokens local = new CountingTokens();
    NodeIdentityToken identity =
        new NodeIdentityToken(
            false,
            new ClientToken(auth(false)),
            () -> Optional.of(local),
            "alpha",
            Clock.systemUTC());

    assertThat(identity.token()).isEmpty();
    assertThat(identity.renew("x")).isEmpty();
    assertThat(local.subjects).isEmpty();
  }

  @Test
  void withNeitherClientNorLocalProviderThereIsNoToken() {
    NodeIdentityToken identity =
        new NodeIdentityToken(
            true, new ClientToken(auth(true)), Optional::empty, "alpha", Clock.systemUTC());

    assertThat(identity.token()).isEmpty();
  }

  @Test
  void aProviderInTheProcessMintsForTheNodeTenMinutesAndRenewsTwoMinutesEarly() {
    CountingTokens local = new CountingTokens();
    MovingClock clock = new MovingClock();
    NodeIdentityToken identity =
        new NodeIdentityToken(
            true, new ClientToken(auth(true)), () -> Optional.of(local), "alpha", clock);

    assertThat(identity.token()).contains("minted-1");
    assertThat(local.subjects).containsExactly("node:alpha");
    assertThat(local.lifetimes).containsExactly(Duration.ofMinutes(10));
    assertThat(identity.expiresAt()).contains(clock.instant().plus(Duration.ofMinutes(10)));

    clock.advance(Duration.ofMinutes(7).plusSeconds(59));
    assertThat(identity.token()).as("cached until 2 min before expiry").contains("minted-1");

    clock.advance(Duration.ofSeconds(1));
    assertThat(identity.token()).as("8 min in: renewed").contains("minted-2");
    assertThat(identity.token()).contains("minted-2");

    assertThat(identity.renew("minted-2")).as("after a 401: a fresh one").contains("minted-3");
    assertThat(local.subjects).containsOnly("node:alpha").hasSize(3);
    assertThat(identity.toString()).doesNotContain("minted");
  }

  private String startProvider(AtomicInteger issued, List<String> basics, int status)
      throws IOException {
    provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    provider.createContext(
        "/auth/oauth2/token",
        x -> {
          basics.add(String.valueOf(x.getRequestHeaders().getFirst("Authorization")));
          x.getRequestBody().readAllBytes();
          byte[] body =
              status == 200
                  ? ("{\"access_token\":\"client-"
                          + issued.incrementAndGet()
                          + "\",\"token_type\":\"Bearer\",\"expires_in\":300}")
                      .getBytes(StandardCharsets.UTF_8)
                  : "{\"error\":\"invalid_client\"}".getBytes(StandardCharsets.UTF_8);
          x.getResponseHeaders().set("Content-Type", "application/json");
          x.sendResponseHeaders(status, body.length);
          x.getResponseBody().write(body);
          x.close();
        });
    provider.start();
    return "http://127.0.0.1:" + provider.getAddress().getPort() + "/auth";
  }

  @Test
  void aConfiguredClientGetsClientCredentialsTokensBeforeAnyLocalProvider() throws IOException {
    AtomicInteger issued = new AtomicInteger();
    List<String> basics = new CopyOnWriteArrayList<>();
    AuthProperties p = auth(true);
    p.setIssuer(startProvider(issued, basics, 200));
    p.setClientId("alpha");
    p.setClientSecret("s3cret-of-alpha");
    CountingTokens local = new CountingTokens();
    NodeIdentityToken identity =
        new NodeIdentityToken(
            true, new ClientToken(p), () -> Optional.of(local), "alpha", Clock.systemUTC());

    assertThat(identity.token()).contains("client-1");
    assertThat(identity.token()).as("cached").contains("client-1");
    assertThat(issued).hasValue(1);
    assertThat(basics.getFirst()).startsWith("Basic ");

    assertThat(identity.renew("client-1")).as("after a 401: fetched again").contains("client-2");
    assertThat(issued).hasValue(2);
    assertThat(local.subjects).as("the local provider is not asked").isEmpty();
  }

  @Test
  void aRefusedClientIsAClearErrorWithoutTheSecret() throws IOException {
    AuthProperties p = auth(true);
    p.setIssuer(startProvider(new AtomicInteger(), new CopyOnWriteArrayList<>(), 401));
    p.setClientId("alpha");
    p.setClientSecret("s3cret-of-alpha");
    NodeIdentityToken identity =
        new NodeIdentityToken(
            true, new ClientToken(p), Optional::empty, "alpha", Clock.systemUTC());

    assertThatThrownBy(identity::token)
        .isInstanceOf(KodoException.class)
        .hasMessageContaining("this node could not get its own token (node:alpha")
        .hasMessageContaining("HTTP 401")
        .hasMessageNotContaining("s3cret-of-alpha");
  }
}
