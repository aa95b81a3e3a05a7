package dev.kodo.registry;

import dev.kodo.client.Constraints;
import dev.kodo.client.FlowUsage;
import dev.kodo.registry.internal.Texts;

/**
 * The registry's checks of the shared wire records ({@link Constraints}, {@link FlowUsage}) that
 * come from outside: the records themselves live in kodo-client, which both the registry and its
 * client use, and carry no rules; the rules are the registry's and apply where it takes them in.
 * Stateless; thread-safe.
 */
public final class Checks {
  private Checks() {}

  /**
   * Checks and normalises an admin's constraints: tags are trimmed and de-duplicated ignoring
   * case; blank notes become null.
   *
   * @throws InvalidRequestException naming {@code tags} or {@code notes}
   */
  public static Constraints constraints(Constraints c) {
    String notes = c.notes() == null || c.notes().isBlank()
        ? null : Texts.text(c.notes().strip(), "notes", Texts.MAX_NOTES_LENGTH, true);
    return new Constraints(Texts.tags(c.tags(), "tags"), c.hidden(), notes);
  }

  /**
   * Checks a flow's usage figures.
   *
   * @throws InvalidRequestException ({@code usage}) for negative or non-finite figures
   */
  public static FlowUsage usage(FlowUsage u) {
    double started = u.runsStarted();
    double finished = u.runsFinished();
    if (!(started >= 0 && finished >= 0 && Double.isFinite(started) && Double.isFinite(finished))) {
      throw new InvalidRequestException("usage", "runs started and finished per hour must be finite and not negative, not "
          + started + " and " + finished);
    }
    return u;
  }
}
