package dev.kodo.cli;

import dev.kodo.auth.AuthProviderProperties;
import dev.kodo.auth.OperatorTokens;
import dev.kodo.client.CredentialStore;
import dev.kodo.client.StoredToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The token of the local operator (docs/security.md#the-command-line-and-its-tokens): when a
 * process runs the auth provider ({@code koco serve}, {@code koco auth}), it writes an operator
 * token for {@code user:admin} to the user's credential store under the process's URL and to {@code
 * <data>/operator.token}, both readable by the owner only, so that {@code koco} on the same
 * machine, as the same user, talks to it without a login step — from any directory, whatever {@code
 * --port} or {@code --data}. The token lives {@link #TTL} and is renewed every half of it while the
 * process runs; it is never printed or logged.
 */
final class LocalOperatorToken implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalOperatorToken.class);

  /** How long one local operator token is valid. */
  static final Duration TTL = Duration.ofHours(12);

  static final String SUBJECT = "user:admin";

  private final ScheduledExecutorService renew;

  private LocalOperatorToken(ScheduledExecutorService renew) {
    this.renew = renew;
  }

  /**
   * Writes the token if {@code context} runs the auth provider and keeps it fresh; a no-op handle
   * otherwise.
   */
  static LocalOperatorToken keep(ConfigurableApplicationContext context, String url) {
    OperatorTokens tokens = context.getBeanProvider(OperatorTokens.class).getIfAvailable();
    AuthProviderProperties provider =
        context.getBeanProvider(AuthProviderProperties.class).getIfAvailable();
    if (tokens == null || provider == null) {
      return new LocalOperatorToken(null);
    }
    Path data = provider.getData();
    Runnable write = () -> write(tokens, url, data);
    write.run();
    ScheduledExecutorService renew =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "kodo-local-operator-token");
              t.setDaemon(true);
              return t;
            });
    long every = TTL.dividedBy(2).toSeconds();
    renew.scheduleAtFixedRate(
        () -> {
          try {
            write.run();
          } catch (RuntimeException e) {
            log.warn("could not renew the local operator token: {}", e.toString());
          }
        },
        every,
        every,
        TimeUnit.SECONDS);
    return new LocalOperatorToken(renew);
  }

  private static void write(OperatorTokens tokens, String url, Path data) {
    String token = tokens.mint(SUBJECT, TTL);
    Instant expires = Instant.now().plus(TTL);
    CredentialStore.standard().save(url, StoredToken.of(token, expires, SUBJECT).asLocal());
    try {
      Files.createDirectories(data);
      Path file = data.resolve("operator.token");
      Path tmp = Files.createTempFile(data, ".operator", ".tmp");
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system: the directory's own permissions apply.
      }
      Files.writeString(tmp, token + "\n", StandardCharsets.US_ASCII);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + data.resolve("operator.token"), e);
    }
  }

  @Override
  public void close() {
    if (renew != null) {
      renew.shutdownNow();
    }
  }
}
