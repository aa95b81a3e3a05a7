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

/**
 * {@code /admin/grants} (docs/ui.md#administration): the provider's grants (by subject if asked), a
 * form to add one (subject, resource glob, permission, level) and revoking; through the provider's
 * {@code /auth/grants}. Nodes read grants every {@code kodo.auth.grants-refresh}.
 */
@Controller
class GrantsPageController {
  static final List<String> MODES = List.of("x", "r");
  static final List<String> LEVELS = List.of("basic", "advanced", "full");

  private final AdminGuard guard;
  private final AuthProviderClient provider;

  GrantsPageController(AdminGuard guard, AuthProviderClient provider) {
    this.guard = guard;
    this.provider = provider;
  }

  @GetMapping("/admin/grants")
  String list(
      @RequestParam(required = false) String subject,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    guard.operator("grants", model, response);
    return page(request, model, subject);
  }

  @PostMapping("/admin/grants")
  String create(
      @RequestParam(defaultValue = "") String subject,
      @RequestParam(defaultValue = "") String resource,
      @RequestParam(defaultValue = "") String mode,
      @RequestParam(defaultValue = "") String level,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    guard.operator("grants", model, response);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("subject", subject.strip());
    body.put("resource", resource.strip());
    body.put("mode", mode);
    if (!level.isEmpty()) body.put("level", level);
    try {
      provider.send(request, "POST", "/grants", body);
      model.addAttribute(
          "done", "Granted " + subject.strip() + " " + mode + " on " + resource.strip() + ".");
    } catch (ProviderRefusal r) {
      AdminGuard.refused(r, model, response);
      model.addAttribute(
          "form", Map.of("subject", subject, "resource", resource, "mode", mode, "level", level));
    }
    return page(request, model, null);
  }

  @PostMapping("/admin/grants/{id}/delete")
  String revoke(
      @PathVariable String id,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    guard.operator("grants", model, response);
    try {
      provider.send(request, "DELETE", "/grants/" + segment(id), null);
      model.addAttribute("done", "Revoked the grant.");
    } catch (ProviderRefusal r) {
      AdminGuard.refused(r, model, response);
    }
    return page(request, model, null);
  }

  private String page(HttpServletRequest request, Model model, String subject) {
    model.addAttribute("modes", MODES);
    model.addAttribute("levels", LEVELS);
    model.addAttribute("subject", subject == null ? "" : subject);
    if (!model.containsAttribute("form")) {
      model.addAttribute("form", Map.of("mode", "x", "level", "basic"));
    }
    if (provider.where() != AuthProviderClient.Where.HERE) return "ui/admin/grants";
    String q = "/grants?pp=100";
    if (subject != null && !subject.isBlank()) q += "&subject=" + segment(subject);
    try {
      model.addAttribute("grants", AdminRows.listing(provider.get(request, q), AdminRows::grant));
    } catch (ProviderRefusal r) {
      model.addAttribute("problem", r.getMessage());
      model.addAttribute("grants", new AdminRows.Listing<>(0, 0, 0, 100, List.of()));
    }
    return "ui/admin/grants";
  }
}
