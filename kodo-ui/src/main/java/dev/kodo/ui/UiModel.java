package dev.kodo.ui;

import dev.kodo.client.access.Caller;
import dev.kodo.ui.security.UiSession;
import dev.kodo.web.security.AuthProperties;
import dev.kodo.web.security.Callers;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every page's header shows: who is logged in, and whether logging out means anything. */
@ControllerAdvice(basePackages = "dev.kodo.ui")
class UiModel {
  private final boolean auth;

  UiModel(AuthProperties properties) {
    this.auth = properties.isEnabled();
  }

  @ModelAttribute("who")
  String who(HttpServletRequest request) {
    Caller c = Callers.orNull();
    if (c == null) return null;
    HttpSession s = request.getSession(false);
    Object subject = s == null ? null : s.getAttribute(UiSession.SUBJECT);
    return subject != null ? subject.toString() : c.subject();
  }

  /** Whether the caller is an operator, who sees the administration (docs/ui.md#administration). */
  @ModelAttribute("operator")
  boolean operator() {
    Caller c = Callers.orNull();
    return c != null && c.operator();
  }

  @ModelAttribute("authOn")
  boolean authOn() {
    return auth;
  }
}
