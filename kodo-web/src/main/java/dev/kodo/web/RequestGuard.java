package dev.kodo.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Refuses, before any handler runs (so before a run is launched, killed or answered), what no
 * handler should have to think about:
 *
 * <ul>
 *   <li>a request that changes something ({@code POST}, {@code PUT}, {@code PATCH}) but does not
 *       accept JSON, the only thing Kodo services answer: 406, not the action followed by a 406;
 *   <li>a request body that is not JSON, or has no {@code Content-Type} (a YAML or form body would
 *       otherwise be read by whichever converter happens to be on the class path, and an untyped or
 *       form body is what a web page of another site can send): 415;
 *   <li>a body with a {@code Content-Encoding} (bodies are read as sent): 415;
 *   <li>a query parameter given more than once (which one would count?): 400 — except the list
 *       parameters, whose values add up.
 * </ul>
 *
 * Thread-safe; holds nothing per request.
 */
final class RequestGuard implements HandlerInterceptor {
  /** Parameters whose repeated values are one list, like their comma-separated form. */
  private static final Set<String> LISTS = Set.of("state");

  private static final Set<String> CHANGING =
      Set.of(HttpMethod.POST.name(), HttpMethod.PUT.name(), HttpMethod.PATCH.name());
  private static final MediaType ANY_JSON = MediaType.valueOf("application/*+json");

  private final ObjectProvider<BrowserPages> pages;

  /**
   * The pages, once looked up: at the first request, when the context is complete. Looking them up
   * per request resolved the dependency anew each time — 1.4% of all CPU while locks were answered
   * (docs/performance.md, "Lock release").
   */
  private volatile Optional<BrowserPages> page;

  RequestGuard(ObjectProvider<BrowserPages> pages) {
    this.pages = pages;
  }

  private Optional<BrowserPages> page() {
    Optional<BrowserPages> p = page;
    if (p == null) {
      p = Optional.ofNullable(pages.getIfAvailable());
      page = p;
    }
    return p;
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
      throws HttpMediaTypeNotAcceptableException, HttpMediaTypeNotSupportedException {
    if (request.getDispatcherType() != DispatcherType.REQUEST) {
      return true;
    }
    String coding = request.getHeader("Content-Encoding");
    if (coding != null && !coding.isBlank() && !coding.strip().equalsIgnoreCase("identity")) {
      response.setHeader("Accept-Encoding", "identity");
      throw new ApiException(
          HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          "Unsupported content coding",
          "this service reads request bodies as sent and does not decode Content-Encoding '"
              + ProblemAdvice.echo(coding.strip())
              + "'; send the body uncompressed",
          null);
    }
    // A page's form posts HTML form bodies and accepts HTML (docs/ui.md#security).
    if (CHANGING.contains(request.getMethod())
        && !page().map(p -> p.serves(request)).orElse(false)) {
      acceptsJson(request);
      bodyIsJson(request);
    }
    if (request.getQueryString() != null) {
      for (Map.Entry<String, String[]> p : request.getParameterMap().entrySet()) {
        if (p.getValue().length > 1 && !LISTS.contains(p.getKey())) {
          throw ApiException.badParameter(
              ProblemAdvice.echo(p.getKey()),
              "is given " + p.getValue().length + " times; give it once");
        }
      }
    }
    return true;
  }

  private static void acceptsJson(HttpServletRequest request)
      throws HttpMediaTypeNotAcceptableException {
    String accept = request.getHeader("Accept");
    if (accept == null || accept.isBlank()) return;
    List<MediaType> accepted;
    try {
      accepted = MediaType.parseMediaTypes(accept);
    } catch (InvalidMediaTypeException e) {
      throw new HttpMediaTypeNotAcceptableException(
          "Could not parse 'Accept' header [" + accept + "]: " + e.getMessage());
    }
    for (MediaType m : accepted) {
      if (m.getQualityValue() > 0
          && (m.includes(MediaType.APPLICATION_JSON)
              || m.includes(MediaType.APPLICATION_PROBLEM_JSON))) {
        return;
      }
    }
    throw new HttpMediaTypeNotAcceptableException(List.of(MediaType.APPLICATION_JSON));
  }

  private static void bodyIsJson(HttpServletRequest request)
      throws HttpMediaTypeNotSupportedException {
    String type = request.getContentType();
    boolean body =
        request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    if (!body) return;
    if (type == null || type.isBlank()) {
      // An untyped body is what a page of another site can send without asking: refused like a
      // form.
      throw new HttpMediaTypeNotSupportedException(
          null, List.of(MediaType.APPLICATION_JSON), HttpMethod.valueOf(request.getMethod()));
    }
    MediaType m;
    try {
      m = MediaType.parseMediaType(type);
    } catch (InvalidMediaTypeException e) {
      throw new HttpMediaTypeNotSupportedException(e.getMessage());
    }
    if (!MediaType.APPLICATION_JSON.isCompatibleWith(m) && !ANY_JSON.includes(m)) {
      throw new HttpMediaTypeNotSupportedException(
          m, List.of(MediaType.APPLICATION_JSON), HttpMethod.valueOf(request.getMethod()));
    }
  }
}
