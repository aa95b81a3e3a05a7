package dev.kodo.web;

import dev.kodo.client.BusyException;
import dev.kodo.client.Deadline;
import dev.kodo.client.Json;
import dev.kodo.client.KodoException;
import dev.kodo.client.Problem.FieldError;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * The one place where errors become RFC 9457 problem+json. Bad input gets 4xx with a message that
 * points at the field, parameter, line or column; only the service's own faults become 500, and
 * those never show a stack trace. Every problem carries {@code type}, {@code title}, {@code status}
 * and {@code detail}, and is written as problem+json whatever the request's {@code Accept} says.
 * Errors that never reach Spring MVC are written with {@link #write} by {@link ProblemReportValve}
 * (Tomcat's own rejections) and {@link ProblemErrorController} (the servlet container's error
 * dispatches).
 */
@RestControllerAdvice
final class ProblemAdvice extends ResponseEntityExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);
  static final URI TYPE = URI.create("about:blank");

  /** What every 503 tells the caller: try again in a second. */
  private static final String RETRY_AFTER_SECONDS = "1";

  private static final Pattern DUPLICATE = Pattern.compile("^Duplicate Object property \"(.*)\"");
  private static final Pattern TOMCAT_PARAMETER =
      Pattern.compile("Parameter \\[([^\\]]{0,100})\\]");

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ProblemDetail> api(ApiException e) {
    HttpHeaders out = new HttpHeaders();
    if (e.retryAfter().isPresent()) {
      long seconds = Math.max(1, (e.retryAfter().get().toMillis() + 999) / 1000);
      out.set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
    } else if (e.status().value() == HttpStatus.SERVICE_UNAVAILABLE.value()) {
      out.set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS); // every 503 says when to come back
    }
    ResponseEntity<ProblemDetail> r =
        problem(e.status(), e.title(), e.getMessage(), e.errors(), out);
    ProblemDetail p = r.getBody();
    for (Map.Entry<String, Object> m : e.members().entrySet()) {
      if (!STANDARD_MEMBERS.contains(m.getKey())) {
        p.setProperty(m.getKey(), m.getValue());
      }
    }
    return r;
  }

  /** Members every problem has, which an {@link ApiException}'s own members cannot replace. */
  private static final Set<String> STANDARD_MEMBERS =
      Set.of("type", "title", "status", "detail", "instance", "errors");

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<ProblemDetail> parameter(MethodArgumentTypeMismatchException e) {
    String message =
        "must be "
            + expected(e.getRequiredType())
            + ", not '"
            + echo(String.valueOf(e.getValue()))
            + "'";
    return problem(
        HttpStatus.BAD_REQUEST,
        "Invalid request",
        "invalid parameter '" + e.getName() + "': " + message,
        List.of(new FieldError(e.getName(), message)));
  }

  /** Tomcat could not decode the query string (a bad %-escape, not UTF-8, too many parameters). */
  @ExceptionHandler(InvalidParameterException.class)
  ResponseEntity<ProblemDetail> query(InvalidParameterException e) {
    if (e.getErrorCode() == HttpStatus.CONTENT_TOO_LARGE.value()) {
      return problem(
          HttpStatus.BAD_REQUEST,
          "Invalid request",
          "the query string has too many parameters",
          null);
    }
    Matcher m = e.getMessage() == null ? null : TOMCAT_PARAMETER.matcher(e.getMessage());
    String name = m != null && m.find() ? m.group(1) : null;
    String message = "is not valid %-encoded UTF-8";
    if (name == null || name.isEmpty()) {
      return problem(
          HttpStatus.BAD_REQUEST, "Invalid request", "the query string " + message, null);
    }
    return problem(
        HttpStatus.BAD_REQUEST,
        "Invalid request",
        "invalid parameter '" + name + "': " + message,
        List.of(new FieldError(name, message)));
  }

  /**
   * A body a controller parsed itself (for speed) that is not the JSON it wants: 400, as if Spring
   * had read it.
   */
  @ExceptionHandler(JacksonException.class)
  ResponseEntity<ProblemDetail> jsonBody(JacksonException e) {
    return malformed(e);
  }

  /**
   * A request's work went past {@code kodo.http.request-timeout} and was stopped ({@link
   * DeadlineFilter}).
   */
  @ExceptionHandler(Deadline.ExceededException.class)
  ResponseEntity<ProblemDetail> deadline(Deadline.ExceededException e) {
    HttpHeaders out = new HttpHeaders();
    out.set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
    return problem(
        HttpStatus.SERVICE_UNAVAILABLE,
        "Request took too long",
        e.getMessage()
            + " (kodo.http.request-timeout); narrow it (a shorter search, a smaller page) or try again later",
        null,
        out);
  }

  /**
   * A failure that may go away by itself — the store busy or restarting, the cluster member
   * stopping: 503 with {@code Retry-After}, never the cause's internals (addresses, SQL).
   */
  @ExceptionHandler(KodoException.class)
  ResponseEntity<ProblemDetail> kodo(KodoException e) {
    if (!e.retryable()) {
      return unexpected(e);
    }
    log.warn("request refused for now: {}", e.getMessage());
    if (e instanceof BusyException busy) {
      HttpHeaders out = new HttpHeaders();
      out.set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
      return problem(HttpStatus.SERVICE_UNAVAILABLE, "Service busy", busy.detail(), null, out);
    }
    return unavailable();
  }

  /**
   * 503: the service cannot do this at the moment; the same request may succeed in a little while.
   */
  static ResponseEntity<ProblemDetail> unavailable() {
    HttpHeaders out = new HttpHeaders();
    out.set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
    return problem(
        HttpStatus.SERVICE_UNAVAILABLE,
        "Service unavailable",
        "the service cannot do this right now (its store or cluster is busy, restarting or stopping); try again shortly",
        null,
        out);
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e) {
    log.error("unexpected error", e);
    return problem(
        HttpStatus.INTERNAL_SERVER_ERROR,
        "Internal error",
        "the service failed to handle this request; its log has the details",
        null);
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof PayloadTooLargeException tooLarge) {
        return cast(
            problem(
                HttpStatus.CONTENT_TOO_LARGE,
                "Request body too large",
                tooLarge.getMessage(),
                null));
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof JacksonException je) {
        return cast(malformed(je));
      }
    }
    String detail =
        e.getMessage() != null && e.getMessage().startsWith("Required request body is missing")
            ? "this endpoint needs a JSON object as its request body"
            : "the request body is not valid JSON for this endpoint";
    return cast(problem(HttpStatus.BAD_REQUEST, "Malformed request", detail, null));
  }

  /** Says what is wrong with a JSON body in the caller's words: where, and what was expected. */
  private static ResponseEntity<ProblemDetail> malformed(JacksonException e) {
    String field = field(e);
    String message = clean(e.getOriginalMessage());
    if (e instanceof MismatchedInputException && message.startsWith("Trailing token")) {
      return problem(
          HttpStatus.BAD_REQUEST,
          "Malformed request",
          "malformed JSON"
              + at(e)
              + ": more content follows the JSON value; send exactly one object",
          null);
    }
    if (e instanceof MismatchedInputException mismatch) {
      String got = actual(mismatch.getCurrentToken());
      String wanted =
          "must be " + expected(mismatch.getTargetType()) + (got == null ? "" : ", not " + got);
      if (field.isEmpty()) {
        return problem(
            HttpStatus.BAD_REQUEST, "Malformed request", "the request body " + wanted, null);
      }
      return problem(
          HttpStatus.BAD_REQUEST,
          "Invalid request",
          "the field '" + field + "' " + wanted,
          List.of(new FieldError(field, wanted)));
    }
    if (e instanceof StreamConstraintsException) {
      return problem(
          HttpStatus.BAD_REQUEST,
          "Malformed request",
          "the request body is beyond this service's JSON limits: " + message,
          null);
    }
    Matcher duplicate = DUPLICATE.matcher(message);
    if (e instanceof StreamReadException && duplicate.find()) {
      String name = echo((field.isEmpty() ? "" : field + ".") + duplicate.group(1));
      String twice = "is given more than once";
      return problem(
          HttpStatus.BAD_REQUEST,
          "Invalid request",
          "the field '" + name + "' " + twice,
          List.of(new FieldError(name, twice)));
    }
    String in = field.isEmpty() ? "" : " (in '" + field + "')";
    String hint =
        message.startsWith("Invalid UTF-8")
            ? "; the body must be UTF-8 unless its Content-Type names another charset"
            : "";
    return problem(
        HttpStatus.BAD_REQUEST,
        "Malformed request",
        "malformed JSON" + at(e) + in + ": " + message + hint,
        null);
  }

  private static String at(JacksonException e) {
    TokenStreamLocation at = e.getLocation();
    return at == null || at.getLineNr() < 1
        ? ""
        : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
  }

  /**
   * The JSON path of the failing value as a caller writes it: {@code inputs.topic}, {@code
   * items[2]}.
   */
  private static String field(JacksonException e) {
    StringBuilder path = new StringBuilder();
    for (JacksonException.Reference r : e.getPath()) {
      if (r.getPropertyName() != null) {
        if (!path.isEmpty()) path.append('.');
        path.append(r.getPropertyName());
      } else if (r.getIndex() >= 0) {
        path.append('[').append(r.getIndex()).append(']');
      }
    }
    return echo(path.toString());
  }

  /** Jackson's message without the names of Java classes and Jackson features it likes to add. */
  private static String clean(String message) {
    if (message == null) return "not valid JSON";
    return message
        .replaceAll(": enable `[^`]*` to allow", "")
        .replaceAll(", from `[^`]*`", "")
        .replaceAll(" \\(token `JsonToken\\.[A-Z_]+`\\)", "")
        .replaceAll("\\(bound as `[^`]*`\\)", "")
        .replace("VALUE_STRING", "a string")
        .replaceAll("`", "")
        .lines()
        .findFirst()
        .orElse("");
  }

  private static String expected(Class<?> t) {
    if (t == null) return "another kind of value";
    if (CharSequence.class.isAssignableFrom(t) || t == Character.class || t == char.class)
      return "a string";
    if (t == Boolean.class || t == boolean.class) return "true or false";
    if (t == Integer.class
        || t == int.class
        || t == Long.class
        || t == long.class
        || t == Short.class
        || t == short.class
        || t == BigInteger.class) return "a whole number";
    if (Number.class.isAssignableFrom(t) || t.isPrimitive()) return "a number";
    if (Collection.class.isAssignableFrom(t) || t.isArray()) return "an array";
    if (t.isEnum()) {
      return "one of "
          + Arrays.stream(t.getEnumConstants())
              .map(String::valueOf)
              .collect(Collectors.joining(", "));
    }
    return "an object";
  }

  private static String actual(JsonToken token) {
    if (token == null) return null;
    return switch (token) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> null;
    };
  }

  @Override
  protected ResponseEntity<Object> handleHttpRequestMethodNotSupported(
      HttpRequestMethodNotSupportedException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    Set<String> allowed = new LinkedHashSet<>();
    if (e.getSupportedHttpMethods() != null) {
      e.getSupportedHttpMethods().forEach(m -> allowed.add(m.name()));
    }
    if (allowed.contains(HttpMethod.GET.name())) allowed.add(HttpMethod.HEAD.name());
    if (!allowed.isEmpty()) allowed.add(HttpMethod.OPTIONS.name());
    String detail =
        echo(e.getMethod())
            + " is not allowed on "
            + echo(path(request))
            + (allowed.isEmpty() ? "" : "; it allows " + String.join(", ", allowed));
    HttpHeaders out = new HttpHeaders();
    out.set(HttpHeaders.ALLOW, String.join(", ", allowed));
    return cast(problem(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed", detail, null, out));
  }

  @Override
  protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(
      HttpMediaTypeNotSupportedException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    String takes = types(e.getSupportedMediaTypes());
    String sent = request.getHeader(HttpHeaders.CONTENT_TYPE);
    String detail;
    if (sent == null || sent.isBlank()) {
      detail = "the request has no Content-Type; this endpoint takes " + takes;
    } else if (e.getContentType() == null) {
      detail =
          "the Content-Type '"
              + echo(sent)
              + "' cannot be parsed or names an unknown charset; this endpoint takes "
              + takes;
    } else {
      detail = "this endpoint takes " + takes + ", not '" + echo(sent) + "'";
    }
    HttpHeaders out = new HttpHeaders();
    out.addAll(e.getHeaders());
    return cast(
        problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type", detail, null, out));
  }

  @Override
  protected ResponseEntity<Object> handleHttpMediaTypeNotAcceptable(
      HttpMediaTypeNotAcceptableException e,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    String accept = String.valueOf(request.getHeader(HttpHeaders.ACCEPT));
    if (e.getSupportedMediaTypes().isEmpty()) {
      return cast(
          problem(
              HttpStatus.BAD_REQUEST,
              "Invalid request",
              "the Accept header '" + echo(accept) + "' cannot be parsed",
              List.of(new FieldError("Accept", "is not a media range list"))));
    }
    String detail =
        "this endpoint answers "
            + types(e.getSupportedMediaTypes())
            + ", which the Accept header '"
            + echo(accept)
            + "' does not allow";
    HttpHeaders out = new HttpHeaders();
    out.addAll(e.getHeaders());
    return cast(problem(HttpStatus.NOT_ACCEPTABLE, "Not acceptable", detail, null, out));
  }

  @Override
  protected ResponseEntity<Object> handleNoResourceFoundException(
      NoResourceFoundException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    return cast(
        problem(
            HttpStatus.NOT_FOUND,
            "Not found",
            "there is nothing at " + echo(path(request)) + WebConfig.apiHint(),
            null));
  }

  /**
   * Every other problem Spring MVC makes itself: a type, and problem+json whatever was accepted.
   */
  @Override
  protected ResponseEntity<Object> handleExceptionInternal(
      Exception e, Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    if (status.is5xxServerError()) {
      log.error("request failed", e);
    }
    ResponseEntity<Object> r = super.handleExceptionInternal(e, body, headers, status, request);
    if (r == null || !(r.getBody() instanceof ProblemDetail p)) return r;
    if (p.getType() == null) p.setType(TYPE);
    HttpHeaders out = new HttpHeaders();
    out.addAll(r.getHeaders());
    out.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    return new ResponseEntity<>(p, out, r.getStatusCode());
  }

  private static String path(WebRequest request) {
    String d = request.getDescription(false);
    return d.startsWith("uri=") ? d.substring(4) : d;
  }

  private static String types(List<MediaType> types) {
    return types.isEmpty()
        ? "application/json"
        : types.stream().map(MediaType::toString).distinct().collect(Collectors.joining(", "));
  }

  /**
   * What an error the servlet container answered itself means for the caller; never its internals.
   */
  static String containerDetail(int status, String message) {
    String m = message == null || message.isBlank() || status >= 500 ? null : echo(message.strip());
    String said = m == null ? "" : " (" + m + ")";
    return switch (status) {
      case 400 ->
          m == null
              ? "the request is not valid HTTP: its request line, path, headers or chunked body are malformed, or its"
                  + " headers are over the size limit"
              : "the request is not valid HTTP: " + m;
      case 404 -> "there is nothing at this path" + WebConfig.apiHint();
      case 405 -> "this method is not allowed here" + said;
      case 408 -> "the request was not received in time" + said;
      case 413 -> "the request is too large" + said;
      case 414 -> "the request's path and query are too long" + said;
      case 417 -> "only 'Expect: 100-continue' is supported" + said;
      case 431 -> "the request's headers are too large" + said;
      case 501 ->
          "this service does not implement what the request asks for (an unknown method or Transfer-Encoding);"
              + " send the body as is or chunked";
      case 505 -> "this service speaks HTTP/1.1 and HTTP/1.0 only";
      default ->
          status >= 500
              ? "the service failed to handle this request; its log has the details"
              : "the request was refused" + said;
    };
  }

  /** A caller's value, shortened so that an error never echoes kilobytes back. */
  static String echo(String s) {
    return ApiException.shorten(s);
  }

  @SuppressWarnings("unchecked")
  private static ResponseEntity<Object> cast(ResponseEntity<?> r) {
    return (ResponseEntity<Object>) r;
  }

  static ResponseEntity<ProblemDetail> problem(
      HttpStatusCode status, String title, String detail, List<FieldError> errors) {
    return problem(status, title, detail, errors, new HttpHeaders());
  }

  private static ResponseEntity<ProblemDetail> problem(
      HttpStatusCode status,
      String title,
      String detail,
      List<FieldError> errors,
      HttpHeaders headers) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setType(TYPE);
    p.setTitle(title);
    if (errors != null && !errors.isEmpty()) {
      p.setProperty("errors", errors);
    }
    return ResponseEntity.status(status)
        .headers(headers)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(p);
  }

  /**
   * Writes a problem straight to a response and closes the connection, for filters that refuse a
   * request's body.
   */
  static void write(HttpServletResponse response, int status, String title, String detail)
      throws IOException {
    response.setHeader("Connection", "close");
    write(response, status, title, detail, null);
  }

  /** Writes a problem straight to a response, for code that answers outside Spring MVC. */
  static void write(
      HttpServletResponse response, int status, String title, String detail, String instance)
      throws IOException {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("type", TYPE.toString());
    p.put("title", title);
    p.put("status", status);
    p.put("detail", detail);
    if (instance != null) {
      p.put("instance", echo(instance));
    }
    response.setStatus(status);
    response.setContentType("application/problem+json");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.getOutputStream().write(Json.write(p).getBytes(StandardCharsets.UTF_8));
  }
}
