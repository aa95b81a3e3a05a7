package dev.kodo.auth.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.kodo.auth.store.AuthStore;
import dev.kodo.auth.store.StoredKey;
import dev.kodo.client.KodoException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * The provider's RSA signing keys (docs/security.md#keys-and-rotation), persisted in the {@link
 * AuthStore}: one current key signs; {@link #rotate} makes a new one current and keeps the old one
 * published for {@code retention} (the access-token TTL, so tokens it signed verify until they
 * expire), after which it is dropped. The first use creates a key when the store holds none.
 * Thread-safe.
 */
public final class SigningKeys {
  private final AuthStore store;
  private final Duration retention;
  private final Clock clock;
  private volatile List<Loaded> keys;

  private record Loaded(RSAKey key, Long expires) {}

  public SigningKeys(AuthStore store, Duration retention, Clock clock) {
    this.store = store;
    this.retention = retention;
    this.clock = clock;
    this.keys = load();
    if (keys.isEmpty() || keys.get(0).expires() != null) rotate();
  }

  /** Makes a new key current; the previous one stays published for the retention. */
  public synchronized String rotate() {
    KeyPair pair = generate();
    String kid = UUID.randomUUID().toString();
    long now = clock.millis();
    Base64.Encoder b64 = Base64.getEncoder();
    store.rotate(
        new StoredKey(
            kid,
            b64.encodeToString(pair.getPrivate().getEncoded()),
            b64.encodeToString(pair.getPublic().getEncoded()),
            now,
            null,
            null),
        now,
        now + retention.toMillis());
    keys = load();
    return kid;
  }

  /** The current key, private part included: only the provider's own signers use it. */
  public RSAKey current() {
    return keys.get(0).key();
  }

  /** The public keys tokens may carry: the current one and the retired ones not yet expired. */
  public List<JWK> published() {
    long now = clock.millis();
    List<JWK> out = new ArrayList<>();
    for (Loaded k : keys) {
      if (k.expires() == null || k.expires() > now) out.add(k.key().toPublicJWK());
    }
    return out;
  }

  /** {@link #published()} as a Nimbus key source (JWKS endpoint, in-process verification). */
  public JWKSource<SecurityContext> publishedSource() {
    return (selector, context) -> selector.select(new JWKSet(published()));
  }

  /** The current key alone as a Nimbus key source: what a signer selects from. */
  public JWKSource<SecurityContext> signingSource() {
    return (selector, context) -> selector.select(new JWKSet(current()));
  }

  private List<Loaded> load() {
    List<Loaded> out = new ArrayList<>();
    long now = clock.millis();
    for (StoredKey k : store.keys()) {
      if (k.expires() != null && k.expires() <= now) continue;
      out.add(new Loaded(parse(k), k.expires()));
    }
    // the current key (not retired) first
    out.sort(java.util.Comparator.comparing((Loaded k) -> k.expires() != null));
    return List.copyOf(out);
  }

  private static RSAKey parse(StoredKey k) {
    try {
      KeyFactory rsa = KeyFactory.getInstance("RSA");
      Base64.Decoder b64 = Base64.getDecoder();
      RSAPublicKey pub =
          (RSAPublicKey) rsa.generatePublic(new X509EncodedKeySpec(b64.decode(k.publicKey())));
      RSAPrivateKey priv =
          (RSAPrivateKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(b64.decode(k.privateKey())));
      return new RSAKey.Builder(pub)
          .privateKey(priv)
          .keyID(k.kid())
          .keyUse(KeyUse.SIGNATURE)
          .algorithm(JWSAlgorithm.RS256)
          .build();
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new KodoException("the signing key " + k.kid() + " in the auth store is unreadable", e);
    }
  }

  private static KeyPair generate() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA is not available", e);
    }
  }
}
