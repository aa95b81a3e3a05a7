package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.client.RegistryClient;
import dev.kodo.client.RegistryState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code koco registry} itself: it starts, says where it listens, answers, and stops when
 * interrupted.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RegistryServeIT {
  private static final Pattern READY =
      Pattern.compile(
          "Kodo registry ready at (http://127\\.0\\.0\\.1:\\d+) — data (\\S+), (\\d+) nodes?, (\\d+) flows? \\(started in");

  @Test
  void registrySaysWhereItListensAndAnswersUntilStopped(@TempDir Path dir) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicInteger exit = new AtomicInteger(-1);
    Thread server =
        new Thread(
            () ->
                exit.set(
                    Koco.execute(
                        new PrintWriter(out),
                        new PrintWriter(err),
                        "registry",
                        "--port",
                        "0",
                        "--data",
                        dir.resolve("data").toString(),
                        "--name",
                        "from-cli",
                        "--no-auth")));
    server.start();

    Matcher ready = awaitReady(out, err, server);
    String url = ready.group(1);
    assertThat(Path.of(ready.group(2))).isEqualTo(dir.resolve("data").toAbsolutePath());
    assertThat(ready.group(3)).isEqualTo("0");
    assertThat(Files.exists(dir.resolve("data").resolve("registry.db"))).isTrue();

    RegistryState state = RegistryClient.connect(url).state();
    assertThat(state.name()).isEqualTo("from-cli");
    assertThat(state.status()).isEqualTo("ok");
    assertThat(Cli.run("register", "alpha", "--registry", url).exitCode()).isEqualTo(Exit.OK);
    assertThat(Cli.run("nodes", "--registry", url).out()).contains("alpha").contains("1 node");

    server.interrupt();
    server.join(Duration.ofSeconds(30));
    assertThat(server.isAlive()).isFalse();
    assertThat(exit.get()).isEqualTo(Exit.OK);

    Cli down = Cli.run("nodes", "--registry", url);
    assertThat(down.exitCode()).isEqualTo(Exit.UNREACHABLE);
    assertThat(down.err())
        .isEqualTo(
            "koco: no registry answers at "
                + url
                + " (is `koco registry` running?)"
                + System.lineSeparator());
  }

  private static Matcher awaitReady(StringWriter out, StringWriter err, Thread server)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    while (Instant.now().isBefore(deadline)) {
      Matcher m = READY.matcher(out.toString());
      if (m.find()) {
        return m;
      }
      if (!server.isAlive()) {
        throw new AssertionError("koco registry ended before it was ready: " + out + err);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("koco registry did not say it was ready within 90 s: " + out + err);
  }
}
