package dev.kodo.store.internal;

import dev.kodo.store.StoreDatabase;
import dev.kodo.store.StoreOptions;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * A real backend whose writer fails while told to: every commit, and every attempt to open a new
 * writer connection, throws the exception {@link #failWith} supplies, until {@link #recover()}.
 * Stands in for a database that restarts or is busy. Thread-safe.
 */
final class FlakyBackend implements Backend {
  private final Backend real;
  private volatile Supplier<SQLException> failure;
  private final AtomicInteger failed = new AtomicInteger();

  FlakyBackend(Backend real) {
    this.real = real;
  }

  static FlakyBackend sqlite(StoreOptions options) {
    return new FlakyBackend(Backend.of(options, Backend.EVENTS));
  }

  /** From now on, writes fail with what {@code failure} makes. */
  void failWith(Supplier<SQLException> failure) {
    this.failure = failure;
  }

  void recover() {
    this.failure = null;
  }

  /** How many commits or connection attempts failed on purpose. */
  int failures() {
    return failed.get();
  }

  private void maybeFail() throws SQLException {
    Supplier<SQLException> f = failure;
    if (f != null) {
      failed.incrementAndGet();
      throw f.get();
    }
  }

  @Override
  public Connection openWriter() throws SQLException {
    maybeFail();
    Connection c = real.openWriter();
    InvocationHandler h =
        (proxy, method, args) -> {
          if (method.getName().equals("commit")) {
            maybeFail();
          }
          try {
            return method.invoke(c, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
  }

  @Override
  public StoreOptions options() {
    return real.options();
  }

  @Override
  public StoreDatabase.Layout layout() {
    return real.layout();
  }

  @Override
  public String describe() {
    return "flaky " + real.describe();
  }

  @Override
  public void prepare() {
    real.prepare();
  }

  @Override
  public void configure(FluentConfiguration flyway) {
    real.configure(flyway);
  }

  @Override
  public Connection openReader() throws SQLException {
    return real.openReader();
  }

  @Override
  public AutoCloseable startMaintenance() throws SQLException {
    return real.startMaintenance();
  }

  @Override
  public int readers() {
    return real.readers();
  }

  @Override
  public void interrupt(Connection c) throws SQLException {
    real.interrupt(c);
  }
}
