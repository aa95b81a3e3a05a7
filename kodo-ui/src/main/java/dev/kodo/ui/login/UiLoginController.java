package dev.kodo.ui.login;

import dev.kodo.ui.security.UiLogins;
import dev.kodo.ui.security.UiSession;
import dev.kodo.web.security.AuthProperties;
import dev.kodo.web.security.PasswordLogin;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The login page and logout (docs/ui.md#login): the password goes to the auth provider's {@link
 * PasswordLogin}, in this process or over HTTP ({@link UiLogins}); its tokens stay in the
 * server-side session, and the session id changes at login. A wrong name or password gets one
 * message for both; a throttled login says when to try again. With auth off there is nothing to log
 * in to.
 */
@Controller
class UiLoginController {
  private final boolean enabled;
  private final UiLogins logins;

  UiLoginController(AuthProperties auth, UiLogins logins) {
    this.enabled = auth.isEnabled();
    this.logins = logins;
  }

  @GetMapping("/login")
  String page(Model model) {
    if (!enabled) return "redirect:/";
    model.addAttribute("available", logins.get() != null);
    return "ui/login";
  }

  @PostMapping("/login")
  String login(
      @RequestParam(defaultValue = "") String username,
      @RequestParam(defaultValue = "") String password,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    if (!enabled) return "redirect:/";
    PasswordLogin login = logins.get();
    model.addAttribute("available", login != null);
    model.addAttribute("username", username);
    if (login == null) {
      response.setStatus(503);
      return "ui/login";
    }
    if (username.isBlank() || password.isEmpty()) {
      response.setStatus(400);
      model.addAttribute("error", "Enter your username and password.");
      return "ui/login";
    }
    try {
      PasswordLogin.Tokens tokens = login.login(username, password, request.getRemoteAddr());
      HttpSession session = request.getSession(true);
      request.changeSessionId();
      UiSession.keep(session, tokens);
      session.setAttribute(UiSession.SUBJECT, "user:" + username);
      return "redirect:/";
    } catch (RuntimeException e) {
      if (UiLogins.unavailable(e)) {
        response.setStatus(503);
        response.setHeader("Retry-After", "5");
        model.addAttribute("error", "The auth provider does not answer; try again in a moment.");
        return "ui/login";
      }
      if (!(e instanceof PasswordLogin.RefusedException refused)) throw e;
      response.setStatus(refused.retryAfterSeconds() > 0 ? 429 : 401);
      model.addAttribute(
          "error",
          refused.retryAfterSeconds() > 0
              ? "Too many failed logins; try again in " + refused.retryAfterSeconds() + " s."
              : "Wrong username or password.");
      return "ui/login";
    }
  }

  @PostMapping("/logout")
  String logout(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    if (session != null) session.invalidate();
    return enabled ? "redirect:/login" : "redirect:/";
  }
}
