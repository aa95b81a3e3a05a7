package dev.kodo.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.RunState;
import dev.kodo.testing.FlowTester;
import dev.kodo.testing.TestRun;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HashChainTest {
  private final FlowTester tester = FlowTester.of(HashChain.class);

  @Test
  void returnsTheDigestOfTheChainForTheRoundsAsked() throws Exception {
    TestRun run = tester.run(Map.of("rounds", 2));

    assertThat(run.state()).isEqualTo(RunState.DONE);
    // Round one hashes a block of zeros; round two the same block starting with that digest.
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] block = new byte[1024];
    byte[] first = sha.digest(block);
    System.arraycopy(first, 0, block, 0, first.length);
    String expected = HexFormat.of().formatHex(sha.digest(block));
    assertThat(run.finalResult().body().toString()).contains("\"rounds\":2").contains(expected);
  }

  @Test
  void hashesTheDefaultRoundsWithoutInputs() {
    TestRun run = tester.run();

    assertThat(run.state()).isEqualTo(RunState.DONE);
    assertThat(run.finalResult().body().toString())
        .contains("\"rounds\":" + HashChain.DEFAULT_ROUNDS)
        .contains(HashChain.digest(HashChain.DEFAULT_ROUNDS));
  }
}
