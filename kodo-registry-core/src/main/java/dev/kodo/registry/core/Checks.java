package dev.kodo.registry.core;

import dev.kodo.client.Connect;
import dev.kodo.client.Constraints;
import dev.kodo.client.FlowUsage;
import dev.kodo.client.Heartbeat;
import dev.kodo.registry.core.internal.Texts;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry's checks of the shared wire records ({@link Connect}, {@link Heartbeat}, {@link
 * Constraints}, {@link FlowUsage}) that come from outside: the records themselves live in
 * kodo-client, which both the registry and its client use, and carry no rules; the rules are the
 * registry's and apply where it takes them in. Stateless; thread-safe.
 */
public final class Checks {
  /** At most this many health figures in one heartbeat. */
  public static final int MAX_FIGURES = 100;

  private Checks() {}

  /**
   * Checks a node's handshake but for its flows (which {@link Announcements} takes one by one): its
   * name, URL and tags; missing tags and flows become empty.
   *
   * @throws InvalidRequestException naming {@code node}, {@code url} or {@code tags}
   */
  public static Connect connect(Connect c) {
    Texts.nodeName(c.node(), "node");
    if (c.url() == null || c.url().isBlank()) {
      throw new InvalidRequestException("url", "the node's URL is required");
    }
    String url = Texts.httpUrl(c.url(), "url");
    List<String> tags = c.tags() == null ? List.of() : Texts.tags(c.tags(), "tags");
    return new Connect(c.node(), url, tags, c.flows() == null ? List.of() : c.flows());
  }

  /**
   * Checks a heartbeat: the node's name, its health figures (finite numbers under short keys, which
   * a query reads as {@code health.KEY}, lower-cased) and its flows' usage.
   *
   * @throws InvalidRequestException naming the bad node name, figure or flow
   */
  public static Heartbeat heartbeat(Heartbeat h) {
    Texts.nodeName(h.node(), "node");
    Map<String, FlowUsage> usage = h.usage();
    if (usage == null) {
      usage = Map.of();
    } else {
      if (usage.size() > Announcements.MAX_FLOWS) {
        throw new InvalidRequestException(
            "usage", "at most " + Announcements.MAX_FLOWS + " flows, not " + usage.size());
      }
      usage.forEach(
          (path, u) -> {
            if (path == null || u == null) {
              throw new InvalidRequestException(
                  "usage", "flow paths and their figures cannot be null");
            }
            usage(u);
          });
      usage = Map.copyOf(usage);
    }
    return new Heartbeat(h.node(), figures(h.health()), usage);
  }

  private static Map<String, Double> figures(Map<String, Double> health) {
    if (health == null || health.isEmpty()) {
      return Map.of();
    }
    if (health.size() > MAX_FIGURES) {
      throw new InvalidRequestException(
          "health", "at most " + MAX_FIGURES + " figures, not " + health.size());
    }
    Map<String, Double> out = new LinkedHashMap<>();
    health.forEach(
        (k, v) -> {
          if (k == null || !k.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new InvalidRequestException(
                "health",
                "'"
                    + (k == null ? "null" : Texts.echo(k))
                    + "' is not a valid figure name: use 1 to 64 letters, digits, '_', '.' or '-'");
          }
          if (v == null || !Double.isFinite(v)) {
            throw new InvalidRequestException("health." + k, "must be a finite number, not " + v);
          }
          out.put(Texts.lower(k), v);
        });
    return Map.copyOf(out);
  }

  /**
   * Checks and normalises an admin's constraints: tags are trimmed and de-duplicated ignoring case;
   * blank notes become null.
   *
   * @throws InvalidRequestException naming {@code tags} or {@code notes}
   */
  public static Constraints constraints(Constraints c) {
    String notes =
        c.notes() == null || c.notes().isBlank()
            ? null
            : Texts.text(c.notes().strip(), "notes", Texts.MAX_NOTES_LENGTH, true);
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
      throw new InvalidRequestException(
          "usage",
          "runs started and finished per hour must be finite and not negative, not "
              + started
              + " and "
              + finished);
    }
    figure(u.modelCalls(), "modelCalls");
    figure(u.inputTokens(), "inputTokens");
    figure(u.outputTokens(), "outputTokens");
    figure(u.cost(), "cost");
    return u;
  }

  private static void figure(double v, String name) {
    if (!(v >= 0 && Double.isFinite(v))) {
      throw new InvalidRequestException(
          "usage", name + " per hour must be finite and not negative, not " + v);
    }
  }
}
