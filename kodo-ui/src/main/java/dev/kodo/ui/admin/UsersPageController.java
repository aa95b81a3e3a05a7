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
 * {@code /admin/users} (docs/ui.md#administration): the provider's users, a form to add one (with
 * the password the operator types, or a generated one shown once), and per user its roles, a new
 * password and removal. Every change goes to the provider's {@code /auth/users}.
 */
@Controller
class UsersPageController {
  static final List<String> ROLES = List.of("operator", "developer", "user");

  private final AdminGuard guard;
  private final AuthProviderClient provider;

  UsersPageController(AdminGuard guard, AuthProviderClient provider) {
    this.guard = guard;
    this.provider = provider;
  }

  @GetMapping("/admin")
  String home(Model model, HttpServletResponse response) {
    guard.operator("home", model, response);
    return provider.where() == AuthProviderClient.Where.HERE
        ? "redirect:/admin/users"
        : "redirect:/admin/cleanup";
  }

  @GetMapping("/admin/users")
  String list(
      @RequestParam(required = false) String search,
      @RequestParam(required = false) String p,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    guard.operator("users", model, response);
    return page(request, model, search, p);
  }

  @PostMapping("/admin/users")
  String create(
      @RequestParam(defaultValue = "") String username,
      @RequestParam(defaultValue = "") String password,
      @RequestParam(required = false) List<String> roles,
      @RequestParam(defaultValue = "") String groups,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    guard.operator("users", model, response);
    boolean generated = password.isEmpty();
    String secret = generated ? AdminRows.password() : password;
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("username", username.strip());
    body.put("password", secret);
    body.put("roles", roles == null ? List.of() : roles);
    body.put("groups", AdminRows.names(groups));
    try {
      provider.send(request, "POST", "/users", body);
    } catch (ProviderRefusal r) {
      AdminGuard.refused(r, model, response);
      model.addAttribute("form", Map.of("username", username, "groups", groups));
      model.addAttribute("formRoles", roles == null ? List.of() : roles);
      return page(request, model, null, null);
    }
    model.addAttribute("done", "Added the user " + username.strip() + ".");
    if (generated) once(model, username.strip(), secret);
    return page(request, model, null, null);
  }

  @PostMapping("/admin/users/{username}/roles")
  String roles(
      @PathVariable String username,
      @RequestParam(required = false) List<String> roles,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    guard.operator("users", model, response);
    Map<String, Object> body = Map.of("roles", roles == null ? List.of() : roles);
    return change(
        request,
        response,
        model,
        username,
        "PUT",
        "/users/" + segment(username),
        body,
        "Changed the roles of " + username + ".");
  }

  @PostMapping("/admin/users/{username}/password")
  String password(
      @PathVariable String username,
      @RequestParam(defaultValue = "") String password,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    guard.operator("users", model, response);
    boolean generated = password.isEmpty();
    String secret = generated ? AdminRows.password() : password;
    String path = "/users/" + segment(username) + "/password";
    String page =
        change(
            request,
            response,
            model,
            username,
            "PUT",
            path,
            Map.of("new", secret),
            "Set a new password for " + username + ".");
    if (generated && !model.containsAttribute("problem")) once(model, username, secret);
    return page;
  }

  @PostMapping("/admin/users/{username}/delete")
  String delete(
      @PathVariable String username,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    guard.operator("users", model, response);
    return change(
        request,
        response,
        model,
        username,
        "DELETE",
        "/users/" + segment(username),
        null,
        "Removed the user " + username + ".");
  }

  private String change(
      HttpServletRequest request,
      HttpServletResponse response,
      Model model,
      String username,
      String method,
      String path,
      Object body,
      String done) {
    try {
      provider.send(request, method, path, body);
      model.addAttribute("done", done);
    } catch (ProviderRefusal r) {
      AdminGuard.refused(r, model, response);
      model.addAttribute("failed", username);
    }
    return page(request, model, null, null);
  }

  /** The generated password, on this one answer only (never logged, never stored here). */
  private static void once(Model model, String username, String secret) {
    model.addAttribute("onceFor", username);
    model.addAttribute("once", secret);
  }

  private String page(HttpServletRequest request, Model model, String search, String p) {
    model.addAttribute("allRoles", ROLES);
    model.addAttribute("search", search == null ? "" : search);
    if (!model.containsAttribute("form")) model.addAttribute("form", Map.of());
    if (!model.containsAttribute("formRoles")) model.addAttribute("formRoles", List.of("user"));
    if (provider.where() != AuthProviderClient.Where.HERE) return "ui/admin/users";
    StringBuilder q = new StringBuilder("/users?pp=100");
    if (search != null && !search.isBlank()) q.append("&search=").append(segment(search));
    if (p != null && !p.isBlank()) q.append("&p=").append(segment(p));
    try {
      model.addAttribute(
          "users", AdminRows.listing(provider.get(request, q.toString()), AdminRows::user));
    } catch (ProviderRefusal r) {
      model.addAttribute("problem", r.getMessage());
      model.addAttribute("users", new AdminRows.Listing<>(0, 0, 0, 100, List.of()));
    }
    return "ui/admin/users";
  }
}
