package dev.kodo.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/**
 * The log levels of {@code koco worker}, which runs without Spring (whose {@code logging.level.*}
 * the servers use): Kodo's own lines at INFO, everything else, Hazelcast included, at WARN.
 */
final class WorkerLogging {
  private WorkerLogging() {}

  static void quiet() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
      context.getLogger("com.hazelcast").setLevel(Level.WARN);
      context.getLogger("dev.kodo").setLevel(Level.INFO);
    }
  }
}
