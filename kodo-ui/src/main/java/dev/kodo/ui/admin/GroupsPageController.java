package dev.kodo.ui.admin;

import static dev.kodo.ui.admin.AuthProviderClient.segment;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /admin/groups} (docs/ui.md#administration): the provider's groups, a form to add one, and
 * per group its members and removal; through the provider's {@code /auth/groups}.
 */
@Controller
class GroupsPageController {
  private final AdminGuard guard;
  private final AuthProviderClient provider;

  GroupsPageController(AdminGuard guard, AuthProviderClient provider) {
    this.guard = guard;
    this.provider = provider;
  }

  @GetMapping("/admin/groups")
  String list(HttpServletRequest request, HttpServletResponse response, Model model) {
    guard.operator("groups", model, response);
    return page(request, model);
  }

  @PostMapping("/admin/groups")
  String create(
      @RequestParam(defaultValue = "") String name,
      @RequestParam(defaultValue = "") String members,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    guard.operator("groups", model, response);
    try {
      provider.send(
          request,
          "POST",
          "/groups",
          Map.of("name", name.strip(), "members", AdminRows.names(members)));
      model.addAttribute("done", "Added the group " + name.strip() + ".");
    } catch (ProviderRefusal r) {
      AdminGuard.refused(r, model, response);
      model.addAttribute("form", Map.of("name", name, "members", members));
    }
    return page(request, model);
  }

  @PostMapping("/admin/groups/{name}/members")
  String members(
      @PathVariable String name,
      @RequestParam(defaultValue = "") String members,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    guard.operator("groups", model, response);
    try {
      provider.send(
          request, "PUT", "/groups/" + segment(name), Map.of("members", AdminRows.names(members)));
      model.addAttribute("done", "Changed the members of " + name + ".");
    } catch (ProviderRefusal r) {
      AdminGuard.refused(r, model, response);
      model.addAttribute("failed", name);
      model.addAttribute("failedMembers", members);
    }
    return page(request, model);
  }

  @PostMapping("/admin/groups/{name}/delete")
  String delete(
      @PathVariable String name,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    guard.operator("groups", model, response);
    try {
      provider.send(request, "DELETE", "/groups/" + segment(name), null);
      model.addAttribute("done", "Removed the group " + name + ".");
    } catch (ProviderRefusal r) {
      AdminGuard.refused(r, model, response);
      model.addAttribute("failed", name);
    }
    return page(request, model);
  }

  private String page(HttpServletRequest request, Model model) {
    if (!model.containsAttribute("form")) model.addAttribute("form", Map.of());
    if (provider.where() != AuthProviderClient.Where.HERE) return "ui/admin/groups";
    try {
      model.addAttribute(
          "groups", AdminRows.listing(provider.get(request, "/groups?pp=100"), AdminRows::group));
    } catch (ProviderRefusal r) {
      model.addAttribute("problem", r.getMessage());
      model.addAttribute("groups", new AdminRows.Listing<>(0, 0, 0, 100, List.of()));
    }
    return "ui/admin/groups";
  }
}
