package dev.kodo.web.security;

import dev.kodo.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * 401 and 403 of the filter chain as problem+json (docs/http-api.md): a 401 carries {@code
 * WWW-Authenticate: Bearer} and says why the token was refused, never repeating the token.
 */
final class AuthProblems implements AuthenticationEntryPoint, AccessDeniedHandler {
  @Override
  public void commence(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    boolean sent = header != null && !header.isBlank();
    String detail;
    if (!sent) {
      detail = "this request needs a bearer token (Authorization: Bearer …); koco login gets one";
      response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    } else {
      detail = "the bearer token was refused: " + reason(e, header);
      response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
    }
    Problems.write(response, 401, "Authentication required", detail);
  }

  @Override
  public void handle(
      HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
      throws IOException {
    Problems.write(response, 403, "Forbidden", "only operators may use this");
  }

  /** Why a token was refused, without the token (nor any part of it). */
  static String reason(AuthenticationException e, String header) {
    String m = e.getMessage() == null ? "" : e.getMessage();
    String token = header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
    if (m.isEmpty() || (!token.isEmpty() && containsPart(m, token))) {
      return "not a valid token of the configured issuer (kodo.auth.issuer)";
    }
    return Problems.echo(m);
  }

  private static boolean containsPart(String message, String token) {
    for (String part : token.split("\\.")) {
      if (part.length() >= 8 && message.contains(part)) return true;
    }
    return message.contains(token);
  }
}
