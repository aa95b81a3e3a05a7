package dev.kodo.cluster;

import com.hazelcast.logging.AbstractLogger;
import com.hazelcast.logging.ILogger;
import com.hazelcast.logging.LogEvent;
import com.hazelcast.logging.LoggerFactory;
import com.hazelcast.logging.Slf4jFactory;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Hazelcast's logging, through SLF4J, with every secret-derived cluster name replaced by {@value
 * #HIDDEN}: Hazelcast logs its cluster name ("Cluster name: …" at start-up, and in exceptions), and
 * that name is what a member needs to join (see {@link ClusterOptions}).
 *
 * <p>Public only because Hazelcast makes it by class name, from the JVM-wide system property
 * {@value #PROPERTY}, which {@link #install()} sets unless something else already did. Not part of
 * Kodo's API. Thread-safe; the set of hidden names only grows (one per cluster started in the JVM).
 */
public final class RedactingLoggerFactory implements LoggerFactory {
  static final String PROPERTY = "hazelcast.logging.class";
  static final String HIDDEN = "[hidden]";
  private static final Set<String> hidden = ConcurrentHashMap.newKeySet();

  private final LoggerFactory delegate;
  private final Map<String, ILogger> loggers = new ConcurrentHashMap<>();

  public RedactingLoggerFactory() {
    this(new Slf4jFactory());
  }

  RedactingLoggerFactory(LoggerFactory delegate) {
    this.delegate = delegate;
  }

  /**
   * Makes Hazelcast members started from now on log through this factory, unless the JVM already
   * names another one; returns whether this one is in effect.
   */
  static boolean install() {
    String current = System.getProperty(PROPERTY);
    if (current == null || current.isBlank()) {
      System.setProperty(PROPERTY, RedactingLoggerFactory.class.getName());
      return true;
    }
    return current.equals(RedactingLoggerFactory.class.getName());
  }

  /** Hides {@code text} (at least 16 characters) from every line Hazelcast logs from now on. */
  static void hide(String text) {
    if (text.length() < 16) {
      throw new IllegalArgumentException("only long, secret-derived texts are hidden");
    }
    hidden.add(text);
  }

  static String redact(String message) {
    if (message == null) {
      return null;
    }
    String m = message;
    for (String h : hidden) {
      if (m.contains(h)) {
        m = m.replace(h, HIDDEN);
      }
    }
    return m;
  }

  @Override
  public ILogger getLogger(String name) {
    return loggers.computeIfAbsent(name, n -> new Redacting(delegate.getLogger(n)));
  }

  private static final class Redacting extends AbstractLogger {
    private final ILogger delegate;

    Redacting(ILogger delegate) {
      this.delegate = delegate;
    }

    @Override
    public void log(Level level, String message) {
      delegate.log(level, redact(message));
    }

    @Override
    public void log(Level level, String message, Throwable thrown) {
      delegate.log(level, redact(message), thrown);
    }

    @Override
    public void log(LogEvent event) {
      LogRecord original = event.getLogRecord();
      LogRecord record = new LogRecord(original.getLevel(), redact(original.getMessage()));
      record.setLoggerName(original.getLoggerName());
      record.setSourceClassName(original.getSourceClassName());
      record.setThrown(original.getThrown());
      delegate.log(new LogEvent(record, event.getMember()));
    }

    @Override
    public Level getLevel() {
      return delegate.getLevel();
    }

    @Override
    public boolean isLoggable(Level level) {
      return delegate.isLoggable(level);
    }
  }
}
