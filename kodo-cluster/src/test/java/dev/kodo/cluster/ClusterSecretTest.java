package dev.kodo.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.client.KodoException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterSecretTest {
  private static final String CONFIGURED = "a-configured-secret-of-forty-two-characters";

  @TempDir Path data;

  private String fileText() throws IOException {
    return Files.readString(data.resolve(ClusterSecret.FILE)).strip();
  }

  @Test
  void aNodeMakesA256BitSecretOnlyItsOwnerCanReadOnItsFirstStart() throws IOException {
    Path dir = data.resolve("not-yet-there");

    ClusterSecret secret = ClusterSecret.forNode("", dir);

    Path file = dir.resolve(ClusterSecret.FILE);
    assertThat(Files.readString(file)).matches("[0-9a-f]{64}\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(secret).isEqualTo(ClusterSecret.of(Files.readString(file)));
    try (var left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString()).toList())
          .as("no temporary file left")
          .containsExactly(ClusterSecret.FILE);
    }
  }

  @Test
  void aNodeReusesItsSecretOnEveryLaterStartAndItsWorkersReadTheSameOne() throws IOException {
    ClusterSecret first = ClusterSecret.forNode(null, data);
    String text = fileText();

    ClusterSecret again = ClusterSecret.forNode(" ", data);

    assertThat(again).isEqualTo(first);
    assertThat(fileText()).isEqualTo(text);
    assertThat(ClusterSecret.forWorker(null, data)).isEqualTo(first);
    assertThat(ClusterSecret.forNode("", Files.createDirectories(data.resolve("other"))))
        .isNotEqualTo(first);
  }

  @Test
  void aConfiguredSecretWinsAndNoFileIsMade() throws IOException {
    ClusterSecret secret = ClusterSecret.forNode(CONFIGURED, data);

    assertThat(secret).isEqualTo(ClusterSecret.of("  " + CONFIGURED + "\n"));
    assertThat(ClusterSecret.forWorker(CONFIGURED, data.resolve("no-node-here"))).isEqualTo(secret);
    try (var files = Files.list(data)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void aShortSecretIsRefusedWithoutRepeatingIt() {
    assertThatThrownBy(() -> ClusterSecret.forNode("kodo-kodo-kodo", data))
        .isInstanceOf(KodoException.class)
        .hasMessageContaining("14 characters")
        .hasMessageContaining("needs 32")
        .hasMessageNotContaining("kodo-kodo-kodo");
  }

  @Test
  void aWorkerWithoutTheNodesSecretIsToldWhereItLookedAndWhatToDo() {
    assertThatThrownBy(() -> ClusterSecret.forWorker("", data))
        .isInstanceOf(KodoException.class)
        .hasMessageContaining(data.resolve(ClusterSecret.FILE).toString())
        .hasMessageContaining("start the node")
        .hasMessageContaining(ClusterSecret.ENV);
    assertThat(data.resolve(ClusterSecret.FILE)).doesNotExist();
  }

  @Test
  void aSecretFileOthersCouldReadIsRestrictedToItsOwner() throws IOException {
    ClusterSecret secret = ClusterSecret.forNode("", data);
    Path file = data.resolve(ClusterSecret.FILE);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    assertThat(ClusterSecret.forNode("", data)).isEqualTo(secret);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void aDamagedSecretFileIsNamedWithWhatToDo() throws IOException {
    Files.writeString(data.resolve(ClusterSecret.FILE), "");

    assertThatThrownBy(() -> ClusterSecret.forNode("", data))
        .isInstanceOf(KodoException.class)
        .hasMessageContaining(data.resolve(ClusterSecret.FILE).toString())
        .hasMessageContaining("delete it");
  }

  @Test
  void theSecretNeverShowsInItsTextNorInTheOptionsNorInTheDerivedNames() throws IOException {
    ClusterSecret secret = ClusterSecret.forNode("", data);
    String text = fileText();
    ClusterOptions options = new ClusterOptions("kodo", "127.0.0.1", 5710, List.of(), secret);

    assertThat(secret.toString()).doesNotContain(text);
    assertThat(options.toString()).doesNotContain(text);
    assertThat(options.hazelcastName())
        .doesNotContain(text)
        .startsWith("kodo-")
        .hasSizeGreaterThan("kodo-".length() + 40);
  }

  @Test
  void theJoinNameDependsOnBothTheNameAndTheSecret() {
    ClusterSecret s = ClusterSecret.of(CONFIGURED);
    ClusterOptions kodo = ClusterOptions.local("kodo", s);

    assertThat(kodo.hazelcastName())
        .isEqualTo(ClusterOptions.local("kodo", ClusterSecret.of(CONFIGURED)).hazelcastName());
    assertThat(kodo.hazelcastName()).isNotEqualTo(ClusterOptions.local("kodo").hazelcastName());
    assertThat(kodo.joinToken()).isNotEqualTo(ClusterOptions.local("kodo2", s).joinToken());
  }
}
