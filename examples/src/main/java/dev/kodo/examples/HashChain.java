package dev.kodo.examples;

import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.Result;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * CPU-bound work and nothing else: a chain of {@code rounds} SHA-256 hashes, each over a 1 KiB
 * block that starts with the previous digest. The default, 18,000 rounds, is about 20 ms of one
 * core on the 2-core bench machine (JDK 25); the result is the final digest, the same for the same
 * {@code rounds} on every machine. {@code ./koco bench --only workers} runs it on remote workers
 * (README.md#benchmark).
 */
public final class HashChain implements Flow {
  /** The rounds a run hashes unless its inputs say otherwise. */
  public static final int DEFAULT_ROUNDS = 18_000;

  private static final int BLOCK = 1024;

  @Override
  public FlowSpec spec() {
    return FlowSpec.builder("Hash chain")
        .description(
            "CPU-bound work: chains SHA-256 over a 1 KiB block (about 20 ms of CPU by default).")
        .author("Kodo team")
        .organization("Kodo")
        .release("1.0.0")
        .tags("example", "cpu")
        .inputs(
            Form.builder()
                .number(
                    "rounds",
                    f ->
                        f.label("Rounds")
                            .integer()
                            .min(1)
                            .max(10_000_000)
                            .defaultValue(DEFAULT_ROUNDS)))
        .build();
  }

  @Override
  public Result run(FlowContext ctx) {
    long rounds = ctx.inputs().integer("rounds");
    return Result.json(new Digest(rounds, digest(rounds)));
  }

  /** The hex SHA-256 digest after {@code rounds} rounds of the chain. */
  static String digest(long rounds) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
    byte[] block = new byte[BLOCK];
    byte[] digest = new byte[0];
    for (long i = 0; i < rounds; i++) {
      System.arraycopy(digest, 0, block, 0, digest.length);
      digest = sha.digest(block);
    }
    return HexFormat.of().formatHex(digest);
  }

  /** The run's result: how many rounds were hashed and the last digest. */
  public record Digest(long rounds, String sha256) {}
}
