package dev.kodo.web;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The host names a service answers for ({@code kodo.http.allowed-hosts}), checked against each
 * request's {@code Host} header by {@link BrowserGuard}. Always allowed: every IP literal (DNS
 * rebinding needs a name; a page that uses an IP directly is held off by the same-origin policy),
 * {@code localhost} and names under {@code .localhost} (browsers resolve them to loopback
 * themselves), the bind address ({@code server.address}) and the host of the node's own URL ({@code
 * kodo.node.url}). {@code *} allows any name — for a service behind a proxy that checks names
 * itself. Immutable; thread-safe.
 */
@Component
final class AllowedHosts {
  private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

  private final Set<String> names;
  private final boolean any;

  @Autowired
  AllowedHosts(Environment env) {
    this(
        Binder.get(env)
            .bind("kodo.http.allowed-hosts", Bindable.listOf(String.class))
            .orElse(List.of()),
        env.getProperty("server.address", ""),
        env.getProperty("kodo.node.url", ""));
  }

  AllowedHosts(List<String> configured, String bindAddress, String nodeUrl) {
    Set<String> n = new LinkedHashSet<>();
    boolean star = false;
    for (String c : configured) {
      String h = c == null ? "" : c.strip();
      if (h.equals("*")) star = true;
      else if (!h.isEmpty()) n.add(hostOf(h));
    }
    if (bindAddress != null && !bindAddress.isBlank()) n.add(hostOf(bindAddress));
    if (nodeUrl != null && !nodeUrl.isBlank()) {
      try {
        String h = URI.create(nodeUrl.strip()).getHost();
        if (h != null) n.add(hostOf(h));
      } catch (IllegalArgumentException e) {
        // not a URL: the announcer says so; it names no host to allow
      }
    }
    this.names = Set.copyOf(n);
    this.any = star;
  }

  /** Whether a request's {@code Host} (without its port, lower case) may be answered. */
  boolean allows(String host) {
    if (any || host.isEmpty()) return true;
    return host.equals("localhost")
        || host.endsWith(".localhost")
        || isIpLiteral(host)
        || names.contains(host);
  }

  /**
   * The host of a {@code Host} header or configured name: lower case, without port and trailing
   * dot.
   */
  static String hostOf(String hostHeader) {
    String h = hostHeader.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(0, end + 1);
    }
    int colon = h.indexOf(':');
    if (colon >= 0 && colon == h.lastIndexOf(':')) h = h.substring(0, colon);
    else if (colon >= 0) return "[" + h + "]"; // a bare IPv6 address
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  private static boolean isIpLiteral(String host) {
    return (host.startsWith("[") && host.endsWith("]")) || IPV4.matcher(host).matches();
  }
}
