package dev.kodo.auth.store;

/**
 * A signing key as stored: PKCS#8 private and X.509 public key, Base64; {@code retired} and {@code
 * expires} are null for the current key (docs/security.md#keys-and-rotation).
 */
public record StoredKey(
    String kid, String privateKey, String publicKey, long created, Long retired, Long expires) {

  @Override
  public String toString() {
    return "StoredKey[" + kid + "]"; // never the private key
  }
}
