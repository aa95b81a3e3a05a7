package dev.kodo.ui.admin;

import dev.kodo.client.access.Caller;
import dev.kodo.node.runs.NodeAccess;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

/**
 * The one rule of the administrators' pages (docs/ui.md#administration): operators only; anyone
 * else gets the 403 page (the UI chain has already sent logged-out visitors to the login and
 * refused posts without a CSRF token). Also what every admin page's model holds.
 */
@Component
class AdminGuard {
  private final NodeAccess access;
  private final AuthProviderClient provider;

  AdminGuard(NodeAccess access, AuthProviderClient provider) {
    this.access = access;
    this.provider = provider;
  }

  /**
   * The operator calling, with the section's common model; refuses anyone else.
   *
   * @throws dev.kodo.web.ApiException 403 for a caller that is not an operator
   */
  Caller operator(String section, Model model, HttpServletResponse response) {
    Caller c = access.caller();
    access.operator(c, "administer this node");
    // pages that may show a secret once are never kept by the browser or a proxy
    response.setHeader("Cache-Control", "no-store");
    model.addAttribute("section", section);
    model.addAttribute("where", provider.where().name());
    model.addAttribute("errors", Map.of());
    return c;
  }

  /** Shows a refusal: its detail at the top, its field messages next to their fields. */
  static void refused(ProviderRefusal r, Model model, HttpServletResponse response) {
    response.setStatus(r.status() == 404 || r.status() == 409 ? r.status() : 422);
    model.addAttribute("problem", r.getMessage());
    model.addAttribute("errors", r.fields());
  }
}
