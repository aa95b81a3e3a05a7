package dev.kodo.auth.keys;

import dev.kodo.client.access.KodoClaims;
import dev.kodo.client.access.Role;
import dev.kodo.web.security.LocalIssuer;
import dev.kodo.web.security.LocalTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;

/**
 * Mints the provider's access tokens for people and for the local operator
 * (docs/security.md#tokens): RS256 JWTs signed with the current key of {@link SigningKeys} (its
 * {@code kid} in the header), {@code iss} the provider's issuer, {@code aud} {@code kodo}, {@code
 * roles} and {@code groups}. As {@link LocalTokens} it mints tokens for a subject of this process
 * (the node's own identity, docs/security.md#the-node-calling-other-nodes) with no roles or groups:
 * such a token may do what the subject's grants allow. Thread-safe.
 */
public final class AccessTokens implements LocalTokens {
  private final JwtEncoder encoder;
  private final LocalIssuer issuer;
  private final Clock clock;

  public AccessTokens(JwtEncoder encoder, LocalIssuer issuer, Clock clock) {
    this.encoder = encoder;
    this.issuer = issuer;
    this.clock = clock;
  }

  /** A signed token for {@code subject} with no roles and no groups, valid for {@code ttl}. */
  @Override
  public String mint(String subject, Duration ttl) {
    return mint(subject, List.of(), List.of(), ttl);
  }

  /** A signed token for {@code subject}, valid for {@code ttl}. */
  public String mint(
      String subject, Collection<Role> roles, Collection<String> groups, Duration ttl) {
    Instant now = clock.instant();
    JwtClaimsSet claims =
        JwtClaimsSet.builder()
            .issuer(issuer.issuer())
            .subject(subject)
            .audience(List.of(KodoClaims.AUDIENCE))
            .issuedAt(now)
            .expiresAt(now.plus(ttl))
            .id(UUID.randomUUID().toString())
            .claim(KodoClaims.ROLES, roles.stream().map(Role::wire).sorted().toList())
            .claim(KodoClaims.GROUPS, groups.stream().sorted().toList())
            .build();
    // no kid here: the encoder selects the current key and names it, so a rotation between the two
    // steps cannot leave a token naming a key that did not sign it
    JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).build();
    return encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
  }
}
