package dev.kodo.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodo.client.Deadline;
import jakarta.servlet.FilterChain;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;

/**
 * The body limit refuses what is too large, declared or streamed; the deadline holds only while a
 * request is handled.
 */
class LimitFiltersTest {
  private final BodyLimitFilter limit =
      new BodyLimitFilter(DataSize.ofBytes(10), DataSize.ofBytes(100));

  @Test
  void aDeclaredBodyOverTheLimitIs413BeforeTheHandler() throws Exception {
    MockHttpServletRequest r = new MockHttpServletRequest("POST", "/api/flows/x/launch");
    r.setContent(new byte[11]);
    MockHttpServletResponse response = new MockHttpServletResponse();
    MockFilterChain chain = new MockFilterChain();
    limit.doFilter(r, response, chain);
    assertThat(chain.getRequest()).as("the handler never saw it").isNull();
    assertThat(response.getStatus()).isEqualTo(413);
    assertThat(response.getContentAsString()).contains("11 bytes").contains("at most 10");
  }

  @Test
  void aStreamedBodyOverTheLimitFailsTheReadAndRegistryPathsMayCarryMore() throws Exception {
    MockHttpServletRequest chunked =
        new MockHttpServletRequest("POST", "/api/flows/x/launch") {
          @Override
          public long getContentLengthLong() {
            return -1; // chunked: no declared length
          }
        };
    chunked.setContent(new byte[50]);
    FilterChain reads = (req, res) -> req.getInputStream().readAllBytes();
    assertThatThrownBy(() -> limit.doFilter(chunked, new MockHttpServletResponse(), reads))
        .isInstanceOf(PayloadTooLargeException.class);

    MockHttpServletRequest registry = new MockHttpServletRequest("POST", "/registry/connect");
    registry.setContent(new byte[50]);
    MockFilterChain chain = new MockFilterChain();
    MockHttpServletResponse response = new MockHttpServletResponse();
    limit.doFilter(registry, response, chain);
    assertThat(chain.getRequest()).isNotNull();
    assertThat(chain.getRequest().getInputStream().readAllBytes()).hasSize(50);
  }

  @Test
  void theDeadlineRunsOutDuringTheRequestAndIsGoneAfterIt() throws Exception {
    DeadlineFilter filter = new DeadlineFilter(Duration.ofMillis(1));
    AtomicReference<Throwable> inside = new AtomicReference<>();
    filter.doFilter(
        new MockHttpServletRequest("GET", "/api/runs"),
        new MockHttpServletResponse(),
        (req, res) -> {
          try {
            Thread.sleep(20);
            Deadline.check();
          } catch (Throwable t) {
            inside.set(t);
          }
        });
    assertThat(inside.get()).isInstanceOf(Deadline.ExceededException.class);
    Deadline.check(); // the thread serves the next request without it
  }
}
