package dev.kodo.ui;

import dev.kodo.web.ApiException;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/**
 * The UI's refusals as pages rather than problem+json: the status and the service's own message (a
 * run the caller may not see is "not found", as in the API). Only for the UI's controllers.
 */
@ControllerAdvice(basePackages = "dev.kodo.ui")
@Order(Ordered.HIGHEST_PRECEDENCE)
class UiErrors {
  @ExceptionHandler(ApiException.class)
  String refused(ApiException e, HttpServletResponse response, Model model) {
    response.setStatus(e.status().value());
    model.addAttribute("status", e.status().value());
    model.addAttribute("title", e.title());
    model.addAttribute("detail", e.getMessage());
    return "ui/error";
  }
}
