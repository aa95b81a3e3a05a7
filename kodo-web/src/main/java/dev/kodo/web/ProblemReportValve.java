package dev.kodo.web;

import dev.kodo.client.Json;
import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's error report as problem+json instead of its HTML page: for what Tomcat refuses before a
 * request reaches Spring MVC (a malformed request line, path or header, headers over the size
 * limit, an unknown Transfer-Encoding, an unsupported HTTP version). {@link #install} puts it in
 * place of the report valve Spring Boot adds to the host. Stateless and thread-safe.
 */
final class ProblemReportValve extends ErrorReportValve {
  private static final Logger log = LoggerFactory.getLogger(ProblemReportValve.class);

  /** Replaces the host's error report valve(s) with this one; a Tomcat context customizer. */
  static void install(Context context) {
    Container host = context.getParent();
    for (Valve v : host.getPipeline().getValves()) {
      if (v instanceof ErrorReportValve && !(v instanceof ProblemReportValve)) {
        host.getPipeline().removeValve(v);
      }
    }
    if (host instanceof StandardHost standard) {
      standard.setErrorReportValveClass(ProblemReportValve.class.getName());
    }
    host.getPipeline().addValve(new ProblemReportValve());
  }

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    if (status >= 500 && throwable != null) {
      log.error("request failed before reaching the service's handlers", throwable);
    }
    HttpStatus known = HttpStatus.resolve(status);
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("type", ProblemAdvice.TYPE.toString());
    p.put("title", known == null ? "Error" : known.getReasonPhrase());
    p.put("status", status);
    p.put("detail", ProblemAdvice.containerDetail(status, response.getMessage()));
    try {
      response.setContentType("application/problem+json");
      response.setCharacterEncoding("UTF-8");
      Writer writer = response.getReporter();
      if (writer != null) {
        writer.write(Json.write(p));
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      log.debug("could not write the problem report", e);
    }
  }
}
