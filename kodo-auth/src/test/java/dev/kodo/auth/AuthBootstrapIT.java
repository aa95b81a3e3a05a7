package dev.kodo.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.kodo.auth.ProviderFixture.Answer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The provider's first start and its keys over time (docs/security.md#bootstrap,
 * docs/security.md#keys-and-rotation): a generated admin password appears once on the console and
 * nowhere else, not again on the next start; a rotated key signs new tokens while the old one stays
 * in the JWKS for the access-token TTL (3 s here) and then leaves it; one address failing for many
 * users is throttled.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(OutputCaptureExtension.class)
class AuthBootstrapIT {
  private static final Pattern SHOWN =
      Pattern.compile(Pattern.quote(AdminBootstrap.SHOWN_ONCE) + "(\\S+)");

  @TempDir Path data;

  @Test
  void theGeneratedPasswordIsPrintedOnceAndNeverLogged(CapturedOutput output) throws Exception {
    String password;
    try (ProviderFixture p = new ProviderFixture(data, "--logging.level.dev.kodo=DEBUG")) {
      Matcher m = SHOWN.matcher(output.getOut());
      assertThat(m.find()).as("the password line on stdout").isTrue();
      password = m.group(1);
      assertThat(m.find()).isFalse();
      assertThat(password).hasSizeGreaterThanOrEqualTo(20);
      // once in everything printed (stdout and stderr, where the log goes)
      assertThat(output.getAll().split(Pattern.quote(password), -1)).hasSize(2);
      assertThat(p.login("admin", password)).isNotBlank();
      // the file with the private keys is its owner's alone
      assertThat(
              java.nio.file.Files.getPosixFilePermissions(data.resolve("auth.db")).stream()
                  .map(Object::toString))
          .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
      // nor does Spring Boot print a password of its own default user
      assertThat(output.getAll()).doesNotContain("generated security password");
      assertThat(output.getAll().split(Pattern.quote(password), -1)).hasSize(2);
    }
    int before = output.getAll().length();
    try (ProviderFixture again = new ProviderFixture(data)) {
      assertThat(output.getAll().substring(before)).doesNotContain(AdminBootstrap.SHOWN_ONCE);
      assertThat(again.login("admin", password)).isNotBlank();
    }
  }

  @Test
  void theConfiguredPasswordIsUsedAndNotPrinted(CapturedOutput output) {
    try (ProviderFixture p =
        new ProviderFixture(data, "--kodo.auth.provider.admin-password=configured-secret-1")) {
      assertThat(output.getAll()).doesNotContain(AdminBootstrap.SHOWN_ONCE);
      assertThat(output.getAll()).doesNotContain("configured-secret-1");
      assertThat(p.login("admin", "configured-secret-1")).isNotBlank();
    }
  }

  @Test
  void aRotatedKeyStaysPublishedForTheTokenTtlThenLeaves() throws Exception {
    try (ProviderFixture p =
        new ProviderFixture(
            data,
            "--kodo.auth.provider.admin-password=rotation-password",
            "--kodo.auth.provider.access-token-ttl=PT3S")) {
      String before = p.login("admin", "rotation-password");
      String oldKid = SignedJWT.parse(before).getHeader().getKeyID();
      Answer rotated = p.post("/auth/keys/rotate", before, "");
      assertThat(rotated.status()).as(rotated.text()).isEqualTo(200);
      String newKid = rotated.json().get("kid").asString();
      assertThat(newKid).isNotEqualTo(oldKid);

      String after = p.login("admin", "rotation-password");
      SignedJWT jwt = SignedJWT.parse(after);
      assertThat(jwt.getHeader().getKeyID()).isEqualTo(newKid);
      JWKSet keys = JWKSet.parse(p.get("/auth/oauth2/jwks", null).text());
      assertThat(keys.getKeyByKeyId(oldKid)).isNotNull();
      assertThat(jwt.verify(new RSASSAVerifier(keys.getKeyByKeyId(newKid).toRSAKey()))).isTrue();
      // the old key still verifies the tokens it signed
      assertThat(
              SignedJWT.parse(before)
                  .verify(new RSASSAVerifier(keys.getKeyByKeyId(oldKid).toRSAKey())))
          .isTrue();

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      JWKSet later;
      do {
        Thread.sleep(500);
        later = JWKSet.parse(p.get("/auth/oauth2/jwks", null).text());
      } while (later.getKeyByKeyId(oldKid) != null && System.nanoTime() < deadline);
      assertThat(later.getKeyByKeyId(oldKid)).as("the retired key after the TTL").isNull();
      assertThat(later.getKeyByKeyId(newKid)).isNotNull();
      // its tokens are refused now (expired, and signed by a key no longer published)
      assertThat(p.get("/auth/me", before).status()).isEqualTo(401);
    }
  }

  @Test
  void oneAddressFailingForManyUsersIsThrottled() {
    try (ProviderFixture p =
        new ProviderFixture(
            data,
            "--kodo.auth.provider.admin-password=address-password",
            "--kodo.auth.provider.login.max-failures-per-address=3")) {
      for (int i = 0; i < 3; i++) {
        Answer a =
            p.post(
                "/auth/login", null, "{\"username\":\"u" + i + "\",\"password\":\"wrong-pass\"}");
        assertThat(a.status()).isEqualTo(401);
      }
      Answer blocked =
          p.post("/auth/login", null, "{\"username\":\"admin\",\"password\":\"address-password\"}");
      assertThat(blocked.status()).isEqualTo(429);
      assertThat(blocked.header("Retry-After")).isNotBlank();
      assertThat(blocked.text()).doesNotContain("address-password");
    }
  }
}
