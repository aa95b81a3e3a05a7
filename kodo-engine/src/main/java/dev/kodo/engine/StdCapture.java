package dev.kodo.engine;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Routes what flows write to {@code System.out} and {@code System.err} into their runs' event logs.
 * Installed once per JVM; a thread bound with {@link #bind} (and every thread it starts afterwards)
 * writes into that run, every other thread writes where it always did. Lines longer than 16 KiB are
 * split.
 */
public final class StdCapture {
  private static final int MAX_LINE = 16 * 1024;
  private static final InheritableThreadLocal<Binding> CURRENT = new InheritableThreadLocal<>();
  private static volatile boolean installed;

  private StdCapture() {}

  /** Replaces System.out and System.err with routing streams, once. */
  public static synchronized void install() {
    if (installed) return;
    System.setOut(new PrintStream(new Router(System.out, false), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new Router(System.err, true), true, StandardCharsets.UTF_8));
    installed = true;
  }

  /**
   * Binds the calling thread to a run until the returned handle is closed; lines go to {@code out}
   * and {@code err}.
   */
  public static Binding bind(Consumer<String> out, Consumer<String> err) {
    install();
    Binding b = new Binding(out, err, CURRENT.get());
    CURRENT.set(b);
    return b;
  }

  /** One run's capture; closing it flushes partial lines and unbinds the thread. */
  public static final class Binding implements AutoCloseable {
    private final Consumer<String> out;
    private final Consumer<String> err;
    private final Binding previous;
    // Made on the first write (guarded by this): most runs print nothing, and a parked run's
    // binding lives as long as it waits (docs/performance.md#parked-runs).
    private ByteArrayOutputStream outLine;
    private ByteArrayOutputStream errLine;
    private volatile boolean closed;

    private Binding(Consumer<String> out, Consumer<String> err, Binding previous) {
      this.out = out;
      this.err = err;
      this.previous = previous;
    }

    /**
     * Takes the bytes unless the binding was closed meanwhile; then the caller writes them
     * elsewhere.
     */
    private synchronized boolean write(boolean isErr, byte[] b, int off, int len) {
      if (closed) {
        return false;
      }
      ByteArrayOutputStream line = isErr ? errLine : outLine;
      if (line == null) {
        line = new ByteArrayOutputStream();
        if (isErr) {
          errLine = line;
        } else {
          outLine = line;
        }
      }
      for (int i = off; i < off + len; i++) {
        byte c = b[i];
        if (c == '\n') {
          emit(isErr, line);
        } else if (c != '\r') {
          // Split an over-long line only where a character starts, never inside a UTF-8 sequence.
          if (line.size() >= MAX_LINE && (c & 0xC0) != 0x80) {
            emit(isErr, line);
          }
          line.write(c);
        }
      }
      return true;
    }

    private void emit(boolean isErr, ByteArrayOutputStream line) {
      String s = line.toString(StandardCharsets.UTF_8);
      line.reset();
      (isErr ? err : out).accept(s);
    }

    @Override
    public synchronized void close() {
      if (closed) return;
      closed = true;
      if (outLine != null && outLine.size() > 0) emit(false, outLine);
      if (errLine != null && errLine.size() > 0) emit(true, errLine);
      CURRENT.set(previous);
    }
  }

  private static final class Router extends OutputStream {
    private final PrintStream original;
    private final boolean isErr;

    Router(PrintStream original, boolean isErr) {
      this.original = original;
      this.isErr = isErr;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      Binding binding = CURRENT.get();
      if (binding == null || binding.closed || !binding.write(isErr, b, off, len)) {
        original.write(b, off, len);
      }
    }

    @Override
    public void flush() {
      original.flush();
    }
  }
}
