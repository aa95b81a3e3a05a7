package dev.kodo.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.cluster.impl.MemberImpl;
import com.hazelcast.logging.AbstractLogger;
import com.hazelcast.logging.ILogger;
import com.hazelcast.logging.LogEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class RedactingLoggerFactoryTest {
  private final List<String> lines = new ArrayList<>();

  private final class Recording extends AbstractLogger {
    @Override
    public void log(Level level, String message) {
      lines.add(message);
    }

    @Override
    public void log(Level level, String message, Throwable thrown) {
      lines.add(message);
    }

    @Override
    public void log(LogEvent event) {
      lines.add(event.getLogRecord().getMessage());
    }

    @Override
    public Level getLevel() {
      return Level.ALL;
    }

    @Override
    public boolean isLoggable(Level level) {
      return true;
    }
  }

  @Test
  void hazelcastsLinesNeverShowAJoinNameWhateverWayTheyAreLogged() {
    ClusterOptions options = ClusterOptions.local("kodo");
    RedactingLoggerFactory.hide(options.joinToken());
    ILogger logger =
        new RedactingLoggerFactory(name -> new Recording()).getLogger("com.hazelcast.system");

    logger.info("Cluster name: " + options.hazelcastName());
    logger.warning(
        "[127.0.0.1]:5710 [" + options.hazelcastName() + "] [5.7.0] a warning",
        new IllegalStateException());
    logger.log(Level.SEVERE, options.hazelcastName() + " twice " + options.hazelcastName());
    logger.log(
        new LogEvent(
            new LogRecord(Level.INFO, "event of " + options.hazelcastName()), new MemberImpl()));

    assertThat(lines)
        .containsExactly(
            "Cluster name: kodo-[hidden]",
            "[127.0.0.1]:5710 [kodo-[hidden]] [5.7.0] a warning",
            "kodo-[hidden] twice kodo-[hidden]",
            "event of kodo-[hidden]");
  }

  @Test
  void otherLinesAreLoggedUnchanged() {
    ILogger logger =
        new RedactingLoggerFactory(name -> new Recording()).getLogger("com.hazelcast.system");

    logger.info("Members {size:1, ver:1}");

    assertThat(lines).containsExactly("Members {size:1, ver:1}");
  }
}
