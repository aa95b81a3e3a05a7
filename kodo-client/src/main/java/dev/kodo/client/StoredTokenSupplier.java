package dev.kodo.client;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The token kept in a {@link CredentialStore} for one service URL
 * (docs/security.md#the-command-line-and-its-tokens), renewed with its refresh token ({@code POST
 * /auth/refresh} at the provider that issued it) when it has expired or the service refuses it; the
 * renewed pair is saved back, so the next command starts with it. When another process renewed it
 * first (refresh tokens are used once), the token it saved is taken instead. Thread-safe.
 *
 * <pre>{@code
 * NodeClient node = NodeClient.connect(url, StoredTokenSupplier.of(CredentialStore.standard(), url));
 * }</pre>
 */
public final class StoredTokenSupplier implements TokenSupplier {
  private final CredentialStore store;
  private final String url;
  private final Clock clock;
  private volatile String renewalProblem;

  private StoredTokenSupplier(CredentialStore store, String url, Clock clock) {
    this.store = store;
    this.url = url;
    this.clock = clock;
  }

  /** The token {@code store} keeps for {@code url}; none if it keeps none. */
  public static StoredTokenSupplier of(CredentialStore store, String url) {
    return of(store, url, Clock.systemUTC());
  }

  static StoredTokenSupplier of(CredentialStore store, String url, Clock clock) {
    CredentialStore.key(url); // a URL the store cannot key is refused here, not on first use
    return new StoredTokenSupplier(Check.notNull(store, "store"), url, clock);
  }

  private Optional<StoredToken> current() {
    return store.find(url);
  }

  @Override
  public synchronized Optional<String> token() {
    Optional<StoredToken> t = current();
    if (t.isPresent() && t.get().expired(clock.instant()) && t.get().refreshToken() != null) {
      // Renewed before it is sent: saves the service a 401 and this client a round trip.
      Optional<StoredToken> renewed = refresh(t.get());
      if (renewed.isPresent()) return renewed.map(StoredToken::accessToken);
    }
    return t.map(StoredToken::accessToken);
  }

  @Override
  public synchronized Optional<String> renew(String refused) {
    Optional<StoredToken> t = current();
    if (t.isEmpty()) return Optional.empty();
    if (!t.get().accessToken().equals(refused)) {
      return Optional.of(t.get().accessToken()); // another process renewed it meanwhile
    }
    return refresh(t.get()).map(StoredToken::accessToken);
  }

  @Override
  public Optional<Instant> expiresAt() {
    return current().map(StoredToken::expiresAt);
  }

  @Override
  public boolean expired() {
    return current()
        .map(t -> t.expiresAt() != null && !clock.instant().isBefore(t.expiresAt()))
        .orElse(false);
  }

  @Override
  public Optional<String> renewalProblem() {
    return Optional.ofNullable(renewalProblem);
  }

  @Override
  public String origin() {
    Optional<StoredToken> t = current();
    if (t.isPresent() && t.get().local()) {
      return "the local operator's token (written by `koco serve`)";
    }
    return "the token `koco login` stored"
        + t.map(StoredToken::subject).map(s -> " for " + s).orElse("");
  }

  @Override
  public String remedy(String url) {
    Optional<StoredToken> t = current();
    if (t.isPresent() && t.get().local()) {
      return "restart `koco serve` to write a new one, or log in with `koco login --url "
          + url
          + "`";
    }
    return TokenSupplier.super.remedy(url);
  }

  /** Refreshes {@code t} at its provider and saves the new pair; empty if that failed. */
  private Optional<StoredToken> refresh(StoredToken t) {
    if (t.refreshToken() == null) {
      renewalProblem = "it has no refresh token";
      return Optional.empty();
    }
    String provider = t.authUrl() != null ? t.authUrl() : url;
    try {
      AuthClient.Tokens answer = AuthClient.connect(provider).refresh(t.refreshToken());
      StoredToken renewed = answer.toStored(t.subject(), clock.instant(), t.local(), t.authUrl());
      if (renewed.refreshToken() == null) {
        renewed =
            new StoredToken(
                renewed.accessToken(),
                t.refreshToken(),
                renewed.expiresAt(),
                renewed.subject(),
                renewed.local(),
                renewed.authUrl());
      }
      store.save(url, renewed);
      renewalProblem = null;
      return Optional.of(renewed);
    } catch (NodeException e) {
      // Refresh tokens are used once: another process may have renewed it a moment ago.
      Optional<StoredToken> now = current();
      if (now.isPresent() && !now.get().accessToken().equals(t.accessToken())) {
        renewalProblem = null;
        return now;
      }
      renewalProblem =
          e.status() == 401 || e.status() == 400
              ? "the auth provider at " + provider + " refused its refresh token"
              : "refreshing it at " + provider + " failed: " + e.getMessage();
      return Optional.empty();
    } catch (KodoException e) {
      renewalProblem = "refreshing it failed: " + e.getMessage();
      return Optional.empty();
    }
  }
}
