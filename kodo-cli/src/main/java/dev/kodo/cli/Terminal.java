package dev.kodo.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.util.Locale;

/**
 * Where {@code koco} asks a person something: the terminal its standard input is attached to, if
 * there is one. Commands that would ask ({@code lock}, {@code run} of a flow that locks, {@code
 * delete}) ask only when {@link #interactive()}; otherwise they need their answers as options.
 * Tests install a scripted terminal with {@link #install}.
 */
abstract class Terminal {
  private static volatile Terminal installed;

  /** The terminal commands ask on: the installed one, else the process's console (if any). */
  static Terminal current() {
    Terminal t = installed;
    return t != null ? t : new SystemTerminal(System.console());
  }

  /**
   * Makes {@link #current()} answer {@code terminal} until the returned handle is closed. For
   * tests, which run commands one at a time.
   */
  static AutoCloseable install(Terminal terminal) {
    installed = terminal;
    return () -> installed = null;
  }

  /**
   * A terminal that reads the lines of {@code input} as a person's answers and echoes prompts and
   * answers to {@code echo}; with {@code interactive} false it never asks.
   */
  static Terminal scripted(boolean interactive, String input, PrintWriter echo) {
    return new Scripted(interactive, new BufferedReader(new StringReader(input)), echo);
  }

  /** Whether a person can be asked: standard input (and output) is a terminal. */
  abstract boolean interactive();

  /** Shows one line of explanation to the person. */
  abstract void say(String line);

  /** Shows {@code prompt} and reads one line; null when the input has ended (Ctrl-D). */
  abstract String ask(String prompt);

  /**
   * Shows {@code prompt} and reads one line without echoing it (a password); null when the input
   * has ended.
   */
  abstract String askSecret(String prompt);

  /**
   * One line of standard input, without its line end, for {@code --password-stdin}; null if there
   * is none. Reads even when no person can be asked: a script pipes it.
   */
  abstract String readStandardInput();

  /** Asks a yes/no question whose answer defaults to no. */
  boolean confirm(String question) {
    String a = ask(question + " [y/N] ");
    return a != null
        && switch (a.strip().toLowerCase(Locale.ROOT)) {
          case "y", "yes" -> true;
          default -> false;
        };
  }

  /** The process's console; interactive when there is one and it is a terminal. */
  private static final class SystemTerminal extends Terminal {
    private final Console console;

    SystemTerminal(Console console) {
      this.console = console;
    }

    @Override
    boolean interactive() {
      return console != null && isTerminal(console);
    }

    @Override
    void say(String line) {
      console.writer().println(line);
      console.flush();
    }

    @Override
    String ask(String prompt) {
      return console.readLine("%s", prompt);
    }

    @Override
    String askSecret(String prompt) {
      char[] secret = console.readPassword("%s", prompt);
      if (secret == null) return null;
      String s = new String(secret);
      java.util.Arrays.fill(secret, ' ');
      return s;
    }

    /** Byte by byte, so that nothing after the line is consumed for a later read. */
    @Override
    String readStandardInput() {
      try {
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        int b;
        while ((b = System.in.read()) != -1 && b != '\n') {
          line.write(b);
        }
        if (b == -1 && line.size() == 0) return null;
        String s = line.toString(java.nio.charset.StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * Java 22+ may hand out a console although standard input or output is redirected, and says so
     * with {@code Console.isTerminal()}; Java 21 has no such method and hands out a console only
     * for a terminal.
     */
    private static boolean isTerminal(Console console) {
      try {
        Method m = Console.class.getMethod("isTerminal");
        return (Boolean) m.invoke(console);
      } catch (NoSuchMethodException java21) {
        return true;
      } catch (ReflectiveOperationException | RuntimeException e) {
        return false;
      }
    }
  }

  private static final class Scripted extends Terminal {
    private final boolean interactive;
    private final BufferedReader input;
    private final PrintWriter echo;

    Scripted(boolean interactive, BufferedReader input, PrintWriter echo) {
      this.interactive = interactive;
      this.input = input;
      this.echo = echo;
    }

    @Override
    boolean interactive() {
      return interactive;
    }

    @Override
    synchronized void say(String line) {
      echo.println(line);
      echo.flush();
    }

    @Override
    synchronized String askSecret(String prompt) {
      if (!interactive) {
        throw new IllegalStateException("a non-interactive terminal was asked: " + prompt);
      }
      try {
        String line = input.readLine();
        echo.println(prompt + (line == null ? "^D" : ""));
        echo.flush();
        return line;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    synchronized String readStandardInput() {
      try {
        return input.readLine();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    synchronized String ask(String prompt) {
      if (!interactive) {
        throw new IllegalStateException("a non-interactive terminal was asked: " + prompt);
      }
      try {
        String line = input.readLine();
        echo.println(prompt + (line == null ? "^D" : line));
        echo.flush();
        return line;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
