package dev.kodo.registry.federation;

import dev.kodo.registry.core.Peer;
import dev.kodo.registry.core.Registry;
import dev.kodo.registry.outbound.AllowedTargets;
import dev.kodo.registry.web.RegistryAccess;
import dev.kodo.web.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * What an admin does with peers (docs/http-api.md#upkeep-and-federation), the one way for the API
 * ({@code /registry/peers}) and the registry's pages (docs/ui.md#registry-pages): list, add (its
 * URL checked against {@code kodo.registry.allowed-targets}, the first exchange started at once)
 * and remove. Operators only ({@link RegistryAccess}). Thread-safe.
 */
@Component
public class PeerAdmin {
  /** How long adding a peer may wait for its host name to resolve. */
  private static final Duration LOOKUP = Duration.ofSeconds(5);

  private final Registry registry;
  private final Federation federation;
  private final AllowedTargets targets;
  private final Clock clock = Clock.systemUTC();

  PeerAdmin(Registry registry, Federation federation, AllowedTargets targets) {
    this.registry = registry;
    this.federation = federation;
    this.targets = targets;
  }

  /** A peer with how the exchange with it last went. */
  public record PeerView(Peer peer, Federation.PeerStatus status) {}

  /** The peers with their last exchanges. */
  public List<PeerView> list() {
    RegistryAccess.operator("list peers");
    List<PeerView> out = new ArrayList<>();
    for (Peer p : registry.peers()) out.add(view(p));
    return out;
  }

  /**
   * Adds a peer (or changes the one of that name) and starts its first exchange.
   *
   * @param role {@code provider}, {@code contributor} or {@code consumer}
   * @throws dev.kodo.registry.core.InvalidRequestException if a value is not valid, the URL is not
   *     one the registry may send requests to, or the registry has its most peers
   */
  public PeerView add(String name, String url, String role) {
    RegistryAccess.operator("add peers");
    Peer given = new Peer(name, url, Peer.Role.parse(role), clock.instant());
    // A peer with this registry's own name is refused by addPeer, without a lookup.
    if (given.role() != Peer.Role.CONTRIBUTOR && !given.name().equals(registry.name())) {
      targets.check(given.url(), "url", LOOKUP);
    }
    Peer peer = registry.addPeer(given);
    federation.syncSoon(peer);
    return view(peer);
  }

  /** Removes a peer and every node taken in from it; 404 if unknown. */
  public void remove(String name) {
    RegistryAccess.operator("remove peers");
    if (!registry.removePeer(name)) throw ApiException.notFound("peer", name);
    federation.forget(name);
  }

  PeerView view(Peer p) {
    return new PeerView(p, federation.status(p.name()));
  }
}
