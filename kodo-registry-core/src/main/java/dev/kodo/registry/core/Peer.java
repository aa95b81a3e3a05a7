package dev.kodo.registry.core;

import dev.kodo.registry.core.internal.Texts;
import java.time.Instant;
import java.util.Locale;

/**
 * A registry this one federates with (docs/http-api.md#upkeep-and-federation): a provider merges
 * what contributors push and what other providers export. Which way records flow is the peer's
 * {@link Role}.
 *
 * @param name the peer's registry name, as it calls itself (its {@code GET /registry/state} name):
 *     the origin of its own nodes and the {@code via} of everything taken in from it
 * @param url its base URL; required for {@link Role#PROVIDER} and {@link Role#CONSUMER}, unused for
 *     {@link Role#CONTRIBUTOR}
 * @param role what the peer is to this registry
 * @param added when an admin added it
 * @throws InvalidRequestException naming {@code name}, {@code url} or {@code role}
 */
public record Peer(String name, String url, Role role, Instant added) {

  /** What a peer is to this registry. */
  public enum Role {
    /**
     * Another provider: this registry pulls its export ({@code GET /registry/export}) and merges
     * it.
     */
    PROVIDER,
    /**
     * A contributor: it pushes its export here ({@code PUT /registry/import}) and this registry
     * merges it.
     */
    CONTRIBUTOR,
    /** A provider this registry contributes to: this registry pushes its export there. */
    CONSUMER;

    /** The role's name on the wire: {@code provider}, {@code contributor}, {@code consumer}. */
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws InvalidRequestException ({@code role}) for anything else
     */
    public static Role parse(String s) {
      if (s != null) {
        for (Role r : values()) {
          if (r.wire().equals(s)) return r;
        }
      }
      throw new InvalidRequestException(
          "role",
          "must be provider (pull its export), contributor (accept its pushes)"
              + " or consumer (push the export to it), not "
              + (s == null ? "nothing" : "'" + Texts.echo(s) + "'"));
    }
  }

  public Peer {
    if (name == null || !Texts.isNodeName(name)) {
      throw new InvalidRequestException(
          "name",
          "a peer's name is its registry name: letters, digits, '.', '_'"
              + " or '-', starting with a letter or digit (at most 64)");
    }
    if (role == null) throw new InvalidRequestException("role", "is required");
    if (role == Role.CONTRIBUTOR) {
      if (url != null && !url.isBlank()) url = checkUrl(url);
      else url = null;
    } else {
      if (url == null || url.isBlank()) {
        throw new InvalidRequestException(
            "url", "is required for a " + role.wire() + " (the peer's base URL)");
      }
      url = checkUrl(url);
    }
    if (added == null) throw new InvalidRequestException("added", "is required");
  }

  private static String checkUrl(String url) {
    return Texts.httpUrl(url, "url");
  }
}
