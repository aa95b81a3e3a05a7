package dev.kodo.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.cluster.ClusterSecret;
import dev.kodo.cluster.KodoCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The node's cluster secret: made in its data directory on the first start, kept from everyone but
 * its owner and out of the log, the same on every later start. Hazelcast logs at INFO here, so that
 * its start-up banner (which names the cluster) is part of what is checked.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@ExtendWith(OutputCaptureExtension.class)
class ClusterSecretIT {
  private static final String CONFIGURED = "configured-" + UUID.randomUUID();

  private static ConfigurableApplicationContext start(Path data, String cluster, String... extra) {
    String[] args = new String[4 + extra.length];
    args[0] = "--server.port=0";
    args[1] = "--kodo.data=" + data;
    args[2] = "--kodo.cluster.name=" + cluster;
    args[3] = "--logging.level.com.hazelcast=INFO";
    System.arraycopy(extra, 0, args, 4, extra.length);
    return NodeApplication.start(args);
  }

  private static String joinName(ConfigurableApplicationContext node) {
    return node.getBean(KodoCluster.class).hazelcast().getConfig().getClusterName();
  }

  @Test
  void theSecretIsMadeOnTheFirstStartForItsOwnerOnlyNeverLoggedAndReusedOnRestart(
      CapturedOutput output) throws IOException {
    Path data = Path.of("target", "it-data", UUID.randomUUID().toString());
    Path file = data.resolve(ClusterSecret.FILE);
    String firstJoinName;
    String secret;
    String cluster = "it-" + UUID.randomUUID();
    try (ConfigurableApplicationContext node = start(data, cluster)) {
      secret = Files.readString(file).strip();
      firstJoinName = joinName(node);
    }
    String firstStart = output.getAll();

    assertThat(secret).matches("[0-9a-f]{64}");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(firstJoinName).startsWith(cluster + "-");
    String token = firstJoinName.substring(cluster.length() + 1);
    assertThat(token).hasSizeGreaterThan(40);
    assertThat(firstStart)
        .as("Hazelcast's start-up lines are in the captured output")
        .contains("Members {size:1")
        .contains("Cluster name: " + cluster + "-");
    assertThat(firstStart)
        .doesNotContain(secret)
        .doesNotContain(token)
        .contains("Cluster name: " + cluster + "-[hidden]");

    try (ConfigurableApplicationContext node = start(data, cluster)) {
      assertThat(Files.readString(file).strip()).isEqualTo(secret);
      assertThat(joinName(node)).isEqualTo(firstJoinName);
    }
    assertThat(output.getAll()).doesNotContain(secret).doesNotContain(token);
  }

  @Test
  void aConfiguredSecretIsUsedInsteadOfAFileAndNeverLogged(CapturedOutput output) {
    Path data = Path.of("target", "it-data", UUID.randomUUID().toString());

    try (ConfigurableApplicationContext node =
        start(data, "it-" + UUID.randomUUID(), "--kodo.cluster.secret=" + CONFIGURED)) {
      assertThat(node.getBean(KodoCluster.class).memberCount()).isEqualTo(1);
    }

    assertThat(data.resolve(ClusterSecret.FILE)).doesNotExist();
    assertThat(output.getAll()).contains("Members {size:1").doesNotContain(CONFIGURED);
  }

  @Test
  void aNodeWithATooShortSecretDoesNotStartAndSaysWhy(CapturedOutput output) {
    Path data = Path.of("target", "it-data", UUID.randomUUID().toString());

    assertThatThrownBy(
            () -> start(data, "it-" + UUID.randomUUID(), "--kodo.cluster.secret=hunter2").close())
        .rootCause()
        .hasMessageContaining("the cluster secret has 7 characters; it needs 32");
    assertThat(output.getAll()).doesNotContain("hunter2");
  }
}
