package dev.kodo.cli;

import dev.kodo.client.Event;
import dev.kodo.client.EventType;
import dev.kodo.client.Problem.FieldError;
import dev.kodo.engine.LocalRun;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingDeque;
import tools.jackson.databind.JsonNode;

/**
 * Answers the locks of a run {@code koco run} executes in this process, on the CLI's thread while
 * the flow waits on its own: with the {@code --answer} values given up front (each lock takes the
 * names its form asks for), else — on a terminal — by asking for each field like {@code koco lock};
 * a denied answer is asked again on a terminal. A run whose lock cannot be answered (no terminal
 * and no {@code --answer}, or an {@code --answer} the flow denies) is killed.
 */
final class LocalLocks {
  /** Put on the queue once the run's execution has returned. */
  static final Event END = Event.of("end", 0, Instant.EPOCH, EventType.KILL, "{}");

  private final LocalRun run;
  private final BlockingDeque<Event> signals;
  private final Map<String, Object> preset;
  private final boolean answersGiven;
  private final Terminal terminal;
  private final PrintWriter view;
  private final PrintWriter err;
  private final Set<String> used = new LinkedHashSet<>();
  private int locks;

  /**
   * @param signals the run's {@code lock}-kind events, in order, then {@link #END}
   * @param preset the {@code --answer} values
   * @param view where a demand is shown (standard output, or standard error when it carries JSON)
   */
  LocalLocks(
      LocalRun run,
      BlockingDeque<Event> signals,
      Map<String, Object> preset,
      boolean answersGiven,
      Terminal terminal,
      PrintWriter view,
      PrintWriter err) {
    this.run = run;
    this.signals = signals;
    this.preset = preset;
    this.answersGiven = answersGiven;
    this.terminal = terminal;
    this.view = view;
    this.err = err;
  }

  /** Answers each lock the run opens, until its execution has returned. */
  void serve() throws InterruptedException {
    while (true) {
      Event e = signals.take();
      if (e == END) {
        return;
      }
      if (EventType.LOCK.type().equals(e.type())) {
        locks++;
        answer(e.dataNode());
      }
    }
  }

  /** Says which {@code --answer} names no lock asked for. */
  void reportUnused() {
    if (!answersGiven) {
      return;
    }
    List<String> unused = preset.keySet().stream().filter(n -> !used.contains(n)).toList();
    if (locks == 0) {
      err.println("koco: note: the run opened no lock; --answer was not used");
    } else if (!unused.isEmpty()) {
      err.println("koco: note: no lock asked for --answer " + String.join(", ", unused));
    }
    err.flush();
  }

  private void answer(JsonNode lock) throws InterruptedException {
    String lid = LockView.lid(lock);
    List<LockView.FormField> fields = LockView.fields(lock);
    boolean interactive = terminal.interactive();
    if (!answersGiven && !interactive) {
      LockView.print(view, lock, run.fid(), ZoneId.systemDefault());
      err.println(
          "koco: the run waits for an answer, and standard input is not a terminal to ask on; killing it."
              + " Give the answer up front, e.g. --answer"
              + FlowView.example(
                      lock.path("demand").path("schema"),
                      lock.path("demand").path("form"),
                      "--answer")
                  .replaceFirst("^ --answer", ""));
      err.flush();
      run.kill();
      return;
    }
    if (interactive) {
      view.println();
      LockView.print(view, lock, run.fid(), ZoneId.systemDefault());
      view.println();
      view.flush();
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (LockView.FormField f : fields) {
      if (preset.containsKey(f.name())) {
        values.put(f.name(), preset.get(f.name()));
        used.add(f.name());
      }
    }
    boolean accepted;
    try {
      accepted =
          new LockPrompt(terminal).answer(fields, values, !answersGiven, v -> submit(lid, v));
    } catch (CliException noAnswer) {
      err.println("koco: " + noAnswer.getMessage() + "; killing the run");
      err.flush();
      run.kill();
      return;
    } catch (Interrupted e) {
      throw e.cause;
    }
    if (!accepted) {
      err.println(
          "koco: the flow denied the answer given with --answer (see unlock-deny above); killing the run");
      err.flush();
      run.kill();
    }
  }

  /**
   * Hands the answer to the run and waits for the flow's verdict; null if accepted or the run has
   * ended.
   */
  private List<FieldError> submit(String lid, Map<String, Object> values) {
    view.flush();
    String cid = run.answer(lid, values);
    while (true) {
      Event e;
      try {
        e = signals.take();
      } catch (InterruptedException ie) {
        throw new Interrupted(ie);
      }
      if (e == END) {
        signals.addFirst(e);
        return null;
      }
      JsonNode d = e.dataNode();
      if (!cid.equals(EventRenderer.text(d, "cid", null))) {
        continue;
      }
      if (EventType.UNLOCK.type().equals(e.type())) {
        return null;
      }
      if (EventType.UNLOCK_DENY.type().equals(e.type())) {
        List<FieldError> errors = new ArrayList<>();
        for (JsonNode x : d.path("errors")) {
          errors.add(
              new FieldError(
                  EventRenderer.text(x, "field", ""), EventRenderer.text(x, "message", "")));
        }
        return errors.isEmpty() ? List.of(new FieldError("", "denied")) : errors;
      }
    }
  }

  /** Carries an interrupt through {@link LockPrompt.Submit}, which throws no checked exceptions. */
  private static final class Interrupted extends RuntimeException {
    final InterruptedException cause;

    Interrupted(InterruptedException cause) {
      super(null, null, false, false);
      this.cause = cause;
    }
  }
}
