package dev.kodo.ui.security;

import dev.kodo.web.BrowserPages;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The paths of the web UI (docs/ui.md#pages): {@code /}, the login, launch, run and administration
 * pages, and their assets, and the registry's pages ({@code /registry/} and {@code /registry/ui/…},
 * docs/ui.md#registry-pages). Everything else ({@code /api}, the registry's API under {@code
 * /registry}, {@code /auth}) is not the UI's. Stateless.
 */
@Component
final class UiPages implements BrowserPages {
  private static final List<String> EXACT =
      List.of("/", "/login", "/logout", "/launch", "/runs", "/admin", "/registry/");
  private static final List<String> PREFIXES =
      List.of("/runs/", "/ui/", "/webjars/", "/admin/", "/registry/ui/");

  @Override
  public boolean serves(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    return matches(path);
  }

  static boolean matches(String path) {
    if (EXACT.contains(path)) return true;
    for (String p : PREFIXES) {
      if (path.startsWith(p)) return true;
    }
    return false;
  }
}
