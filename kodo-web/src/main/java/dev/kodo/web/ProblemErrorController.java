package dev.kodo.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page as problem+json, in place of Spring Boot's {@code
 * BasicErrorController}: the container sends here what fails outside Spring MVC's handlers (a TRACE
 * request, a malformed chunked body, a body that never arrives). Asked for directly, {@code /error}
 * does not exist.
 */
@RestController
final class ProblemErrorController implements ErrorController {
  private static final Logger log = LoggerFactory.getLogger(ProblemErrorController.class);

  @RequestMapping("${server.error.path:${error.path:/error}}")
  ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
    if (!(request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer status)) {
      return ProblemAdvice.problem(
          HttpStatus.NOT_FOUND,
          "Not found",
          "there is nothing at " + request.getRequestURI() + WebConfig.apiHint(),
          null);
    }
    if (status >= 500
        && request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable t) {
      log.error(
          "request to {} failed", request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI), t);
    }
    HttpStatus known = HttpStatus.resolve(status);
    String message =
        request.getAttribute(RequestDispatcher.ERROR_MESSAGE) instanceof String s ? s : null;
    ResponseEntity<ProblemDetail> r =
        ProblemAdvice.problem(
            HttpStatusCode.valueOf(status < 400 ? 500 : status),
            known == null ? "Error" : known.getReasonPhrase(),
            ProblemAdvice.containerDetail(status, message),
            null);
    if (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri
        && r.getBody() != null) {
      r.getBody().setInstance(URI.create(uri));
    }
    return r;
  }
}
