package dev.kodo.client;

import java.time.Instant;
import java.util.List;

/**
 * A registry that another federates with, as that registry shows it ({@code GET /registry/peers}),
 * with how the last exchange went.
 *
 * @param name the peer's registry name (its {@code kodo.registry.name}): the origin of its nodes
 * @param url its base URL; null for a contributor added without one
 * @param role what the peer is to this registry: {@code provider} (this registry pulls its export),
 *     {@code contributor} (it may push its export here) or {@code consumer} (this registry pushes
 *     its export to it)
 * @param added when an admin added it
 * @param lastSync when records last came from it or went to it, or null
 * @param lastError why the last exchange failed or which records it left out, or null
 * @param nodes how many of its nodes this registry holds (provider, contributor), or how many of
 *     this registry's it took (consumer)
 * @param rejected how many records the last exchange left out (the first reason is in {@code
 *     lastError})
 */
public record RegistryPeer(
    String name,
    String url,
    String role,
    Instant added,
    Instant lastSync,
    String lastError,
    int nodes,
    int rejected) {

  /** The roles a peer may have, as the registry spells them. */
  public static final List<String> ROLES = List.of("provider", "contributor", "consumer");

  /**
   * Whether the last exchange failed. An exchange that left records out also says why in {@code
   * lastError}, but took the rest: that is no failure.
   */
  public boolean failed() {
    return lastError != null && !lastError.isBlank() && rejected == 0;
  }
}
