package dev.kodo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Timeout;
import java.util.concurrent.TimeUnit;

/** {@code koco serve} itself, and client commands once the node it started is gone. */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ServeIT {
  private static final Pattern READY = Pattern.compile("Kodo ready at (http://127\\.0\\.0\\.1:\\d+) — data (\\S+), (\\d+) flows");

  @Test
  void serveSaysWhereItListensAndAnswersUntilStopped(@TempDir Path dir) throws Exception {
    Path config = Files.writeString(dir.resolve("kodo.yaml"), """
        kodo:
          cluster:
            name: serve-it-%s
          node:
            name: from-config
        """.formatted(UUID.randomUUID()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicInteger exit = new AtomicInteger(-1);
    Thread server = new Thread(() -> exit.set(Koco.execute(new PrintWriter(out), new PrintWriter(err),
        "serve", "--port", "0", "--data", dir.resolve("data").toString(), "--config", config.toString(),
        "--flows", "dev.kodo.examples.MarketReport,dev.kodo.examples.FailingFlow")));
    server.start();

    Matcher ready = awaitReady(out, err, server);
    String url = ready.group(1);
    assertThat(Path.of(ready.group(2))).isEqualTo(dir.resolve("data").toAbsolutePath());
    assertThat(ready.group(3)).isEqualTo("2");

    Cli flows = Cli.run("flows", "--node", url);
    assertThat(flows.out()).contains("dev.kodo.examples.MarketReport").doesNotContain("ResearchSteps");
    assertThat(dev.kodo.client.NodeClient.connect(url).state().get("name").asString()).isEqualTo("from-config");

    server.interrupt();
    server.join(Duration.ofSeconds(30));
    assertThat(server.isAlive()).isFalse();
    assertThat(exit.get()).isEqualTo(Exit.OK);

    Cli down = Cli.run("flows", "--node", url);
    assertThat(down.exitCode()).isEqualTo(Exit.UNREACHABLE);
    assertThat(down.err()).isEqualTo("koco: no node answers at " + url + " (is `koco serve` running?)" + System.lineSeparator());
    Cli follow = Cli.run("follow", "some-fid", "--node", url);
    assertThat(follow.exitCode()).isEqualTo(Exit.UNREACHABLE);
    assertThat(follow.err()).startsWith("koco: no node answers at " + url);
  }

  private static Matcher awaitReady(StringWriter out, StringWriter err, Thread server) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    while (Instant.now().isBefore(deadline)) {
      Matcher m = READY.matcher(out.toString());
      if (m.find()) {
        return m;
      }
      if (!server.isAlive()) {
        throw new AssertionError("koco serve ended before it was ready: " + err);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("koco serve did not say it was ready within 90 s: " + out + err);
  }
}
