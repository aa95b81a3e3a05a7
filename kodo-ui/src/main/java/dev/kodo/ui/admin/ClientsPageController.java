package dev.kodo.ui.admin;

import static dev.kodo.ui.admin.AuthProviderClient.segment;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.JsonNode;

/**
 * {@code /admin/clients} (docs/ui.md#administration): the OAuth2 clients of nodes and workers, a
 * form to register one — its secret is shown on that one answer and never again (the provider keeps
 * only its hash; this page neither logs nor keeps it) — and removal; through the provider's {@code
 * /auth/clients}. The provider has no rotation: remove and register again.
 */
@Controller
class ClientsPageController {
  static final List<String> KINDS = List.of("node", "worker");

  private final AdminGuard guard;
  private final AuthProviderClient provider;

  ClientsPageController(AdminGuard guard, AuthProviderClient provider) {
    this.guard = guard;
    this.provider = provider;
  }

  @GetMapping("/admin/clients")
  String list(HttpServletRequest request, HttpServletResponse response, Model model) {
    guard.operator("clients", model, response);
    return page(request, model);
  }

  @PostMapping("/admin/clients")
  String create(
      @RequestParam(name = "client_id", defaultValue = "") String clientId,
      @RequestParam(defaultValue = "") String kind,
      @RequestParam(defaultValue = "") String node,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    guard.operator("clients", model, response);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("client_id", clientId.strip());
    body.put("kind", kind);
    if (!node.isBlank()) body.put("node", node.strip());
    try {
      JsonNode created = provider.send(request, "POST", "/clients", body);
      model.addAttribute("done", "Registered the client " + clientId.strip() + ".");
      model.addAttribute("onceFor", clientId.strip());
      model.addAttribute("once", created.path("client_secret").asString(""));
    } catch (ProviderRefusal r) {
      AdminGuard.refused(r, model, response);
      model.addAttribute("form", Map.of("client_id", clientId, "kind", kind, "node", node));
    }
    return page(request, model);
  }

  @PostMapping("/admin/clients/{id}/delete")
  String delete(
      @PathVariable String id,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    guard.operator("clients", model, response);
    try {
      provider.send(request, "DELETE", "/clients/" + segment(id), null);
      model.addAttribute("done", "Removed the client " + id + ".");
    } catch (ProviderRefusal r) {
      AdminGuard.refused(r, model, response);
    }
    return page(request, model);
  }

  private String page(HttpServletRequest request, Model model) {
    model.addAttribute("kinds", KINDS);
    if (!model.containsAttribute("form")) model.addAttribute("form", Map.of("kind", "node"));
    if (provider.where() != AuthProviderClient.Where.HERE) return "ui/admin/clients";
    try {
      model.addAttribute(
          "clients",
          AdminRows.listing(provider.get(request, "/clients?pp=100"), AdminRows::client));
    } catch (ProviderRefusal r) {
      model.addAttribute("problem", r.getMessage());
      model.addAttribute("clients", new AdminRows.Listing<>(0, 0, 0, 100, List.of()));
    }
    return "ui/admin/clients";
  }
}
