package dev.kodo.web.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/** Real RS256 tokens checked by Spring's real decoder, behind the cache. */
class CachingJwtDecoderTest {
  private static RSAKey key;
  private static RSAKey stranger;
  private static JwtDecoder real;

  private final AtomicInteger checks = new AtomicInteger();
  private final MovableClock clock = new MovableClock(Instant.now());
  private final CachingJwtDecoder cache =
      new CachingJwtDecoder(
          token -> {
            checks.incrementAndGet();
            return real.decode(token);
          },
          clock);

  @BeforeAll
  static void keys() throws JOSEException {
    key = new RSAKeyGenerator(2048).keyID("k1").generate();
    stranger = new RSAKeyGenerator(2048).keyID("k1").generate();
    real = NimbusJwtDecoder.withPublicKey(key.toRSAPublicKey()).build();
  }

  private static String token(RSAKey signer, String subject, Instant expires) throws JOSEException {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signer.getKeyID()).build(),
            new JWTClaimsSet.Builder()
                .subject(subject)
                .issueTime(new Date())
                .expirationTime(Date.from(expires))
                .build());
    jwt.sign(new RSASSASigner(signer));
    return jwt.serialize();
  }

  @Test
  void aTokenAcceptedOnceIsNotCheckedAgainUntilItExpires() throws Exception {
    Instant expires = clock.instant().plus(Duration.ofMinutes(10));
    String t = token(key, "user:ada", expires);

    assertThat(cache.decode(t).getSubject()).isEqualTo("user:ada");
    assertThat(cache.decode(t).getSubject()).isEqualTo("user:ada");
    assertThat(checks).as("checked once").hasValue(1);

    clock.set(expires);
    cache.decode(t); // the real decoder (on the real clock) still accepts it
    assertThat(checks).as("checked again once it has expired by the cache's clock").hasValue(2);
  }

  @Test
  void aRejectedTokenIsCheckedEveryTimeAndNeverRemembered() throws Exception {
    String forged = token(stranger, "user:mallory", clock.instant().plus(Duration.ofMinutes(10)));

    assertThatThrownBy(() -> cache.decode(forged)).isInstanceOf(JwtException.class);
    assertThatThrownBy(() -> cache.decode(forged)).isInstanceOf(JwtException.class);
    assertThat(checks).hasValue(2);
    assertThat(cache.size()).isZero();
  }

  @Test
  void anExpiredTokenIsNotRememberedAndTheCacheStaysBounded() throws Exception {
    Instant soon = clock.instant().plus(Duration.ofMinutes(10));
    String t = token(key, "user:bob", soon);
    clock.set(soon.plusSeconds(1)); // expired by the cache's clock, still fine by the real one
    cache.decode(t);
    cache.decode(t);
    assertThat(checks).hasValue(2);
    assertThat(cache.size()).isZero();

    clock.set(Instant.now());
    for (int i = 0; i < CachingJwtDecoder.MAX_TOKENS + 5; i++) {
      cache.decode(token(key, "user:" + i, soon));
    }
    assertThat(cache.size()).isBetween(1, CachingJwtDecoder.MAX_TOKENS);
  }
}
