package dev.kodo.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * Requests a web page of another site could make through a browser are refused before anything else
 * answers.
 */
class BrowserGuardTest {
  private final BrowserGuard guard =
      new BrowserGuard(
          new AllowedHosts(List.of(), "", ""),
          new org.springframework.beans.factory.support.StaticListableBeanFactory()
              .getBeanProvider(BrowserPages.class));

  private static MockHttpServletRequest request(String method, String host) {
    MockHttpServletRequest r = new MockHttpServletRequest(method, "/api/runs");
    r.addHeader("Host", host);
    return r;
  }

  /** The response, and whether the request went on to the rest of the chain. */
  private record Outcome(MockHttpServletResponse response, boolean passed) {}

  private Outcome filter(MockHttpServletRequest request) throws Exception {
    MockHttpServletResponse response = new MockHttpServletResponse();
    MockFilterChain chain = new MockFilterChain();
    guard.doFilter(request, response, chain);
    return new Outcome(response, chain.getRequest() != null);
  }

  @Test
  void aRequestForAnUnknownHostNameIs421ProblemJson() throws Exception {
    Outcome o = filter(request("GET", "rebound.attacker.example:8080"));
    assertThat(o.passed()).isFalse();
    assertThat(o.response().getStatus()).isEqualTo(421);
    assertThat(o.response().getContentType()).startsWith("application/problem+json");
    assertThat(o.response().getContentAsString())
        .contains("rebound.attacker.example")
        .contains("kodo.http.allowed-hosts");
  }

  @Test
  void aRequestFromAPageOfAnotherOriginIs403() throws Exception {
    MockHttpServletRequest r = request("GET", "127.0.0.1:8080");
    r.addHeader("Origin", "http://evil.example");
    Outcome o = filter(r);
    assertThat(o.passed()).isFalse();
    assertThat(o.response().getStatus()).isEqualTo(403);
    assertThat(o.response().getContentAsString()).contains("other origins");
  }

  @Test
  void aCrossSiteFetchIs403ButATopLevelNavigationPasses() throws Exception {
    MockHttpServletRequest fetch = request("GET", "127.0.0.1:8080");
    fetch.addHeader("Sec-Fetch-Site", "cross-site");
    assertThat(filter(fetch).response().getStatus()).isEqualTo(403);

    MockHttpServletRequest navigation = request("GET", "127.0.0.1:8080");
    navigation.addHeader("Sec-Fetch-Site", "cross-site");
    navigation.addHeader("Sec-Fetch-Mode", "navigate");
    assertThat(filter(navigation).passed()).isTrue();
  }

  @Test
  void aBodilessPostNeedsTheClientHeader() throws Exception {
    Outcome bare = filter(request("POST", "localhost:8080"));
    assertThat(bare.passed()).isFalse();
    assertThat(bare.response().getStatus()).isEqualTo(403);
    assertThat(bare.response().getContentAsString()).contains(BrowserGuard.CLIENT_HEADER);

    MockHttpServletRequest client = request("POST", "localhost:8080");
    client.addHeader(BrowserGuard.CLIENT_HEADER, "koco");
    assertThat(filter(client).passed()).isTrue();
  }

  @Test
  void aSameOriginJsonPostPasses() throws Exception {
    MockHttpServletRequest r = request("POST", "127.0.0.1:8080");
    r.addHeader("Origin", "http://127.0.0.1:8080");
    r.setContentType("application/json");
    r.setContent("{}".getBytes());
    assertThat(filter(r).passed()).isTrue();
  }
}
