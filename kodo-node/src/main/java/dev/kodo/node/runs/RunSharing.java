package dev.kodo.node.runs;

import dev.kodo.client.Level;
import dev.kodo.client.Problem.FieldError;
import dev.kodo.client.RunDocument;
import dev.kodo.client.access.Caller;
import dev.kodo.client.access.Subjects;
import dev.kodo.web.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * Sharing a run (docs/security.md): the one way both {@code POST /api/runs/{fid}/share} and the run
 * page's share form take. Only the run's owner and operators share; with auth on, shares name
 * subjects ({@code user:…}, {@code group:…}) and never give more than the sharer's own level on the
 * run. Stateless.
 */
@Component
public class RunSharing {
  private final RunService runs;
  private final NodeAccess access;

  RunSharing(RunService runs, NodeAccess access) {
    this.runs = runs;
    this.access = access;
  }

  /**
   * Shares run {@code fid} with {@code subjects} at {@code level} in {@code mode} for {@code
   * caller}.
   *
   * @return the run as the caller sees it
   * @throws ApiException 404 for a run the caller may not see, 403 for one it may not manage or a
   *     level above its own, 400 naming each bad field
   */
  public RunDocument share(
      Caller caller, String fid, List<String> subjects, String level, String mode) {
    NodeAccess.RunView v = access.manage(caller, fid);
    if (access.enabled()) {
      check(fid, subjects, level, v.level());
    }
    RunDocument doc = runs.share(fid, subjects, level, mode);
    return RunDocuments.forLevel(doc, v.level());
  }

  private static void check(String fid, List<String> subjects, String level, Level sharer) {
    if (subjects != null) {
      List<FieldError> errors = new ArrayList<>();
      for (int i = 0; i < subjects.size(); i++) {
        String problem = Subjects.problem(subjects.get(i));
        if (problem != null) errors.add(new FieldError("subjects[" + i + "]", problem));
      }
      if (!errors.isEmpty()) {
        throw ApiException.badRequest("the share of run " + fid + " is invalid", errors);
      }
    }
    Level wanted = parseLevel(level);
    if (wanted != null && !sharer.includes(wanted)) {
      throw NodeAccess.forbidden(
          "you see run "
              + fid
              + " at "
              + sharer.name().toLowerCase(Locale.ROOT)
              + " and may share it at that level at most, not "
              + level);
    }
  }

  private static Level parseLevel(String level) {
    if (level == null) return null;
    try {
      return Level.valueOf(level.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
