package dev.kodo.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps web pages of other sites from using a Kodo service through a visitor's browser, which can
 * reach a service on loopback that the attacker cannot:
 *
 * <ul>
 *   <li><b>DNS rebinding</b>: a {@code Host} that is neither an IP literal nor one of {@link
 *       AllowedHosts} gets 421 — a rebound name always arrives as the attacker's host name;
 *   <li><b>cross-site requests</b>: a request whose {@code Origin} is not the service's own, or
 *       that {@code Sec-Fetch-Site} marks as coming from another site (other than a top-level
 *       navigation), gets 403;
 *   <li><b>cross-site form posts</b>: a {@code POST}, {@code PUT}, {@code PATCH} or {@code DELETE}
 *       without a JSON {@code Content-Type} must carry {@value #CLIENT_HEADER} (any value), which a
 *       page can only send after a CORS preflight that this service never grants (it sends no
 *       {@code Access-Control-Allow-*} headers): 403 otherwise. A body of another type goes on to
 *       {@link RequestGuard}, which refuses it with 415 before any handler runs.
 * </ul>
 *
 * Runs before everything else, so nothing (not even a body limit or an error page) answers such a
 * request. Stateless; thread-safe.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
final class BrowserGuard extends OncePerRequestFilter {
  /** The header every Kodo client sends with requests that change something. */
  static final String CLIENT_HEADER = "X-Kodo-Client";

  private static final Set<String> CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");
  private static final MediaType ANY_JSON = MediaType.valueOf("application/*+json");

  private final AllowedHosts hosts;
  private final ObjectProvider<BrowserPages> pages;

  BrowserGuard(AllowedHosts hosts, ObjectProvider<BrowserPages> pages) {
    this.hosts = hosts;
    this.pages = pages;
  }

  @Override
  protected boolean shouldNotFilterErrorDispatch() {
    return true;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (request.getDispatcherType() == DispatcherType.REQUEST && refused(request, response)) {
      return;
    }
    chain.doFilter(request, response);
  }

  private boolean refused(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String host = request.getHeader("Host");
    if (host != null && !hosts.allows(AllowedHosts.hostOf(host))) {
      ProblemAdvice.write(
          response,
          421,
          "Unknown host",
          "this service does not answer for host '"
              + ProblemAdvice.echo(host)
              + "'; an operator who means to reach it by"
              + " this name adds it to kodo.http.allowed-hosts");
      return true;
    }
    String origin = request.getHeader("Origin");
    if (origin != null && !sameOrigin(origin, host, request.getScheme())) {
      ProblemAdvice.write(
          response,
          403,
          "Cross-origin request refused",
          "this service answers no requests from web pages of other origins ('"
              + ProblemAdvice.echo(origin)
              + "')");
      return true;
    }
    String site = request.getHeader("Sec-Fetch-Site");
    boolean navigation =
        "navigate".equalsIgnoreCase(request.getHeader("Sec-Fetch-Mode"))
            && !CHANGING.contains(request.getMethod());
    if (site != null
        && !navigation
        && (site.equalsIgnoreCase("cross-site") || site.equalsIgnoreCase("same-site"))) {
      ProblemAdvice.write(
          response,
          403,
          "Cross-site request refused",
          "this service answers no requests that web pages of other sites make (Sec-Fetch-Site: "
              + ProblemAdvice.echo(site)
              + ")");
      return true;
    }
    if (CHANGING.contains(request.getMethod())
        && request.getHeader(CLIENT_HEADER) == null
        && !page(request)
        && !json(request)
        && !hasBody(request)) {
      ProblemAdvice.write(
          response,
          403,
          "Client header required",
          request.getMethod()
              + " requests without a JSON body must carry the header '"
              + CLIENT_HEADER
              + "' (any value),"
              + " so that no web page can send them through a browser; koco and the Kodo clients send it");
      return true;
    }
    return false;
  }

  /** A page's form post carries a CSRF token instead (docs/ui.md#security). */
  private boolean page(HttpServletRequest request) {
    BrowserPages p = pages.getIfAvailable();
    return p != null && p.serves(request);
  }

  private static boolean json(HttpServletRequest request) {
    String type = request.getContentType();
    if (type == null || type.isBlank()) return false;
    try {
      MediaType m = MediaType.parseMediaType(type);
      return MediaType.APPLICATION_JSON.isCompatibleWith(m) || ANY_JSON.includes(m);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static boolean hasBody(HttpServletRequest request) {
    return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
  }

  /**
   * Whether {@code origin} names the host and port the request was sent to (its scheme's default
   * port if none).
   */
  static boolean sameOrigin(String origin, String host, String scheme) {
    if (host == null) return false;
    try {
      URI o = URI.create(origin.strip());
      if (o.getScheme() == null || o.getHost() == null) return false;
      URI self = URI.create(scheme + "://" + host.strip());
      return norm(o.getHost()).equals(norm(self.getHost())) && port(o) == port(self);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String norm(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  private static int port(URI u) {
    if (u.getPort() >= 0) return u.getPort();
    return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }
}
