package dev.kodo.ui.security;

import dev.kodo.client.access.Caller;
import dev.kodo.web.security.PasswordLogin;
import dev.kodo.web.security.TokenVerifier;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Makes a page request act for the person logged in to its session (docs/ui.md#login): the session
 * (cookie {@code kodo_session}) keeps the access and refresh tokens on the server; each request
 * verifies the access token by the API's rules and, once it has expired, redeems the refresh token
 * for new ones. A session whose tokens fail is a logged-out one. With auth off every request acts
 * for {@link Caller#NO_AUTH}. Stateless itself; thread-safe.
 */
public final class UiSession extends OncePerRequestFilter {
  /** Session attribute: the access token. */
  public static final String ACCESS = "kodo.ui.access";

  /** Session attribute: the refresh token. */
  public static final String REFRESH = "kodo.ui.refresh";

  /** Session attribute: the subject, shown in the page header. */
  public static final String SUBJECT = "kodo.ui.subject";

  private final boolean enabled;
  private final ObjectProvider<TokenVerifier> verifier;
  private final UiLogins logins;

  UiSession(boolean enabled, ObjectProvider<TokenVerifier> verifier, UiLogins logins) {
    this.enabled = enabled;
    this.verifier = verifier;
    this.logins = logins;
  }

  @Override
  protected boolean shouldNotFilterAsyncDispatch() {
    return false;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Caller caller = enabled ? sessionCaller(request) : Caller.NO_AUTH;
    if (caller != null) {
      SecurityContext context = SecurityContextHolder.createEmptyContext();
      context.setAuthentication(TokenVerifier.authentication(caller));
      SecurityContextHolder.setContext(context);
    }
    chain.doFilter(request, response);
  }

  private Caller sessionCaller(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    if (session == null) return null;
    TokenVerifier v = verifier.getIfAvailable();
    if (v == null) return null;
    Optional<Caller> caller = v.verify((String) session.getAttribute(ACCESS));
    if (caller.isPresent()) return caller.get();
    String refresh = (String) session.getAttribute(REFRESH);
    PasswordLogin login = logins.get();
    if (refresh == null || login == null) return null;
    synchronized (session.getId().intern()) {
      // another request of the same session may have refreshed meanwhile
      caller = v.verify((String) session.getAttribute(ACCESS));
      if (caller.isPresent()) return caller.get();
      Optional<PasswordLogin.Tokens> fresh = login.refresh(refresh);
      if (fresh.isEmpty()) {
        session.removeAttribute(ACCESS);
        session.removeAttribute(REFRESH);
        return null;
      }
      keep(session, fresh.get());
      return v.verify(fresh.get().accessToken()).orElse(null);
    }
  }

  /** Keeps a login's tokens in the session. */
  public static void keep(HttpSession session, PasswordLogin.Tokens tokens) {
    session.setAttribute(ACCESS, tokens.accessToken());
    session.setAttribute(REFRESH, tokens.refreshToken());
  }
}
