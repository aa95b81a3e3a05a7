package dev.kodo.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies over {@code kodo.http.max-body} with 413: at once when the declared length
 * is too large, and while reading when a chunked body grows too large. Paths under {@code
 * /registry/} may carry up to {@code kodo.http.max-registry-body} (16MB: a node announcing
 * thousands of flows, a peer's export), also when a node serves the registry ({@code koco serve}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10) // after BrowserGuard
final class BodyLimitFilter extends OncePerRequestFilter {
  private final long defaultLimit;
  private final long registryLimit;

  BodyLimitFilter(
      @Value("${kodo.http.max-body:1MB}") DataSize maxBody,
      @Value("${kodo.http.max-registry-body:16MB}") DataSize maxRegistryBody) {
    this.defaultLimit = maxBody.toBytes();
    this.registryLimit = Math.max(defaultLimit, maxRegistryBody.toBytes());
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long limit = request.getRequestURI().startsWith("/registry/") ? registryLimit : defaultLimit;
    if (request.getContentLengthLong() > limit) {
      ProblemAdvice.write(
          response,
          413,
          "Request body too large",
          "the request body has "
              + request.getContentLengthLong()
              + " bytes; this service accepts at most "
              + limit);
      return;
    }
    chain.doFilter(new Limited(request, limit), response);
  }

  private static final class Limited extends HttpServletRequestWrapper {
    private final long limit;
    private ServletInputStream stream;

    Limited(HttpServletRequest request, long limit) {
      super(request);
      this.limit = limit;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        stream = new Counting(super.getInputStream(), limit);
      }
      return stream;
    }
  }

  private static final class Counting extends ServletInputStream {
    private final ServletInputStream in;
    private final long limit;
    private long count;

    Counting(ServletInputStream in, long limit) {
      this.in = in;
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) add(1);
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) add(n);
      return n;
    }

    private void add(int n) throws PayloadTooLargeException {
      count += n;
      if (count > limit) throw new PayloadTooLargeException(limit);
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
