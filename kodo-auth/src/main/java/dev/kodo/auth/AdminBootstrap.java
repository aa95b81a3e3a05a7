package dev.kodo.auth;

import dev.kodo.auth.store.AuthStore;
import dev.kodo.client.access.Role;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The first start (docs/security.md#bootstrap): when the provider knows no user it creates the
 * operator {@code admin} with {@code kodo.auth.provider.admin-password} ({@code
 * KODO_ADMIN_PASSWORD}), or with a generated password printed once to the console — to standard
 * output, never to the log. There is no default password.
 */
public final class AdminBootstrap {
  private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

  /** The operator the first start creates. */
  public static final String ADMIN = "admin";

  /** The line's start on the console, so scripts and tests can find it. */
  public static final String SHOWN_ONCE = "Kodo admin password (shown once): ";

  private static final char[] ALPHABET =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();

  private AdminBootstrap() {}

  /**
   * Creates {@code admin} if the store holds no user; prints a generated password to {@code
   * console}.
   *
   * @return whether this was the first start: this call created {@code admin}
   */
  public static boolean run(
      AuthStore store, PasswordEncoder passwords, String configured, PrintStream console) {
    if (store.countUsers() > 0) return false;
    boolean generate = configured == null || configured.isEmpty();
    String password = generate ? generate() : configured;
    if (!store.addUser(ADMIN, passwords.encode(password), Set.of(Role.OPERATOR), List.of())) {
      return false; // another process created it first
    }
    if (generate) {
      console.println(SHOWN_ONCE + password);
      console.flush();
      log.info(
          "created the operator '{}' with a generated password, shown once on the console", ADMIN);
    } else {
      log.info("created the operator '{}' with the configured password", ADMIN);
    }
    return true;
  }

  private static String generate() {
    SecureRandom random = new SecureRandom();
    StringBuilder b = new StringBuilder(20);
    for (int i = 0; i < 20; i++) b.append(ALPHABET[random.nextInt(ALPHABET.length)]);
    return b.toString();
  }
}
