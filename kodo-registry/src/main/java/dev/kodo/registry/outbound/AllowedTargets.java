package dev.kodo.registry.outbound;

import dev.kodo.client.Shorten;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Where the registry may send requests ({@code kodo.registry.allowed-targets}): the addresses a
 * node's or peer's URL may resolve to for the registry to probe, pull from or push to it. Entries
 * are IP blocks ({@code 10.0.0.0/8}, {@code 192.0.2.7}, {@code fd00::/8}), host patterns ({@code
 * nodes.example.com}, {@code *.example.com}) and the words {@code public}, {@code private} and
 * {@code loopback} (every address of that {@link AddressKind}). A URL is allowed when every address
 * its host resolves to is: it lies in a listed block, is of a listed kind, or the host matches a
 * listed pattern. Link-local, cloud metadata, multicast, unspecified and reserved addresses are
 * allowed only by a listed block that lies inside their own range (so {@code 0.0.0.0/0} does not
 * open {@code 169.254.169.254}, but {@code 169.254.169.254/32} does).
 *
 * <p>Unset, it allows public addresses, and loopback ones when the registry itself listens on a
 * loopback address. Immutable and thread-safe.
 */
public final class AllowedTargets {
  /** The setting, as messages name it. */
  public static final String SETTING = "kodo.registry.allowed-targets";

  private static final Pattern HOST_PATTERN =
      Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
  private static final Executor LOOKUPS = Executors.newVirtualThreadPerTaskExecutor();

  private final List<Cidr> blocks;
  private final Set<AddressKind> kinds;
  private final List<String> hosts;
  private final String shown;
  private final boolean byDefault;

  private AllowedTargets(
      List<Cidr> blocks,
      Set<AddressKind> kinds,
      List<String> hosts,
      String shown,
      boolean byDefault) {
    this.blocks = List.copyOf(blocks);
    this.kinds = Set.copyOf(kinds);
    this.hosts = List.copyOf(hosts);
    this.shown = shown;
    this.byDefault = byDefault;
  }

  /**
   * The allow-list from the setting's entries; with none, the default for a registry listening on
   * {@code bindAddress} (null or blank: every interface).
   *
   * @throws IllegalArgumentException naming an entry that is neither a block, a kind nor a host
   *     pattern
   */
  public static AllowedTargets of(List<String> entries, String bindAddress) {
    List<String> given =
        entries == null
            ? List.of()
            : entries.stream().map(String::strip).filter(e -> !e.isEmpty()).toList();
    if (given.isEmpty()) {
      boolean local = bindsLoopback(bindAddress);
      Set<AddressKind> kinds =
          local
              ? EnumSet.of(AddressKind.PUBLIC, AddressKind.LOOPBACK)
              : EnumSet.of(AddressKind.PUBLIC);
      return new AllowedTargets(
          List.of(), kinds, List.of(), local ? "public, loopback" : "public", true);
    }
    List<Cidr> blocks = new ArrayList<>();
    Set<AddressKind> kinds = EnumSet.noneOf(AddressKind.class);
    List<String> hosts = new ArrayList<>();
    for (String e : given) {
      String entry = e.toLowerCase(Locale.ROOT);
      switch (entry) {
        case "public" -> kinds.add(AddressKind.PUBLIC);
        case "private" -> kinds.add(AddressKind.PRIVATE);
        case "loopback" -> kinds.add(AddressKind.LOOPBACK);
        default -> {
          Cidr block = Cidr.parse(entry);
          if (block != null) {
            blocks.add(block);
          } else if (HOST_PATTERN.matcher(entry).matches() && !entry.matches("[0-9.*]+")) {
            hosts.add(entry);
          } else {
            throw new IllegalArgumentException(
                SETTING
                    + ": '"
                    + e
                    + "' is not an IP block (10.0.0.0/8, 192.0.2.7,"
                    + " fd00::/8), a host pattern (nodes.example.com, *.example.com) or one of public, private, loopback");
          }
        }
      }
    }
    return new AllowedTargets(blocks, kinds, hosts, String.join(", ", given), false);
  }

  private static boolean bindsLoopback(String bindAddress) {
    if (bindAddress == null || bindAddress.isBlank()) return false;
    String a = bindAddress.strip();
    if (a.equalsIgnoreCase("localhost")) return true;
    InetAddress literal = Cidr.literal(a);
    return literal != null && literal.isLoopbackAddress();
  }

  /**
   * Checks a URL given to the registry (a node's at connect, a peer's when added): its host is
   * resolved and every address checked.
   *
   * @throws TargetRefusedException naming {@code field} if one is not allowed or the host does not
   *     resolve within {@code within}
   */
  public void check(String url, String field, Duration within) {
    String host = host(URI.create(url), field);
    try {
      addresses(host, field, within);
    } catch (IOException e) {
      throw new TargetRefusedException(field, e.getMessage());
    }
  }

  /**
   * The addresses {@code host} resolves to, each checked; resolved once, so that a connection to
   * one of them goes where it was checked to go.
   *
   * @param host a host name or an IP literal (IPv6 in brackets or not)
   * @throws TargetRefusedException naming {@code field} if one of them is not allowed
   * @throws IOException if the host does not resolve within {@code within}
   */
  List<InetAddress> addresses(String host, String field, Duration within) throws IOException {
    InetAddress literal = Cidr.literal(host);
    List<InetAddress> all = literal != null ? List.of(literal) : resolve(host, within);
    String name = literal != null ? null : normalised(host);
    for (InetAddress a : all) {
      String why = refusal(name, a);
      if (why != null) throw new TargetRefusedException(field, why);
    }
    return all;
  }

  /**
   * Why {@code address} (resolved from host {@code name}, null for a literal) is not allowed, or
   * null if it is.
   */
  String refusal(String name, InetAddress address) {
    AddressKind.Judged j = AddressKind.of(address);
    for (Cidr b : blocks) {
      if (b.contains(j.address()) && (!j.kind().special() || j.range().contains(b))) return null;
    }
    if (kinds.contains(j.kind())) return null;
    if (name != null && !j.kind().special() && hosts.stream().anyMatch(p -> matches(p, name)))
      return null;
    String what =
        name == null
            ? j.address().getHostAddress() + " is a"
            : "the host '" + quoted(name) + "' resolves to a";
    String kind = j.kind().label();
    String article = kind.matches("[aeiou].*") ? "n " : " ";
    StringBuilder why =
        new StringBuilder(what)
            .append(article)
            .append(kind)
            .append(" address, which ")
            .append(SETTING)
            .append(" (")
            .append(shown)
            .append(") does not allow");
    if (j.kind().special()) {
      why.append("; such addresses are reached only when it lists a block inside ")
          .append(j.range());
    } else if (byDefault && j.kind() == AddressKind.LOOPBACK) {
      why.append(
          "; by default loopback addresses are allowed only when the registry listens on one (server.address)");
    } else {
      why.append("; add '")
          .append(j.kind().label())
          .append("', an IP block or a host pattern to it");
    }
    return why.toString();
  }

  /** A host name fit to quote: at most 64 characters. */
  private static String quoted(String host) {
    return Shorten.to(host, 64);
  }

  private static boolean matches(String pattern, String host) {
    if (pattern.startsWith("*."))
      return host.endsWith(pattern.substring(1)) && host.length() > pattern.length() - 1;
    return host.equals(pattern);
  }

  private static String normalised(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  /** The host of an http(s) URL, without the brackets of an IPv6 literal. */
  static String host(URI uri, String field) {
    String h = uri.getHost();
    if (h == null || h.isEmpty()) throw new TargetRefusedException(field, "the URL has no host");
    return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
  }

  private static List<InetAddress> resolve(String host, Duration within) throws IOException {
    CompletableFuture<InetAddress[]> lookup =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return InetAddress.getAllByName(host);
              } catch (UnknownHostException e) {
                throw new UncheckedIOException(e);
              }
            },
            LOOKUPS);
    try {
      return List.of(lookup.get(Math.max(1, within.toMillis()), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      throw new IOException(
          "the host '" + quoted(host) + "' did not resolve within " + within.toMillis() + " ms");
    } catch (ExecutionException e) {
      throw new UnknownHostException("the host '" + quoted(host) + "' does not resolve here");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while resolving '" + quoted(host) + "'");
    }
  }

  @Override
  public String toString() {
    return SETTING + "=" + shown;
  }
}
