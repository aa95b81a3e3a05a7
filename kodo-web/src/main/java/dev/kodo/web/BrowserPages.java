package dev.kodo.web;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The paths a service serves as browser pages (docs/ui.md): HTML forms protected by a session and a
 * CSRF token instead of JSON bodies and the {@code X-Kodo-Client} header. A bean of this type (the
 * web UI's) makes {@link BrowserGuard} skip only its client-header rule and {@link RequestGuard}
 * its JSON rules for those paths; the host, origin and {@code Sec-Fetch-Site} checks stay.
 * Implementations are stateless.
 */
public interface BrowserPages {
  /** Whether the request is for a page (or a page's form or asset) rather than the API. */
  boolean serves(HttpServletRequest request);
}
