package dev.kodo.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;

/**
 * What no handler should see is refused before any runs: a non-JSON body or answer, a coded body, a
 * repeated parameter.
 */
class RequestGuardTest {
  private final RequestGuard guard =
      new RequestGuard(
          new org.springframework.beans.factory.support.StaticListableBeanFactory()
              .getBeanProvider(BrowserPages.class));

  private static MockHttpServletRequest post(String contentType, String body) {
    MockHttpServletRequest r = new MockHttpServletRequest("POST", "/api/flows/x/launch");
    if (contentType != null) r.setContentType(contentType);
    r.setContent(body.getBytes());
    return r;
  }

  private boolean handle(MockHttpServletRequest r) throws Exception {
    return guard.preHandle(r, new MockHttpServletResponse(), new Object());
  }

  @Test
  void aJsonPostGoesOn() throws Exception {
    assertThat(handle(post("application/json", "{}"))).isTrue();
    assertThat(handle(post("application/merge-patch+json", "{}"))).isTrue();
  }

  @Test
  void aFormOrUntypedBodyIsUnsupported() {
    assertThatThrownBy(() -> handle(post("application/x-www-form-urlencoded", "a=b")))
        .isInstanceOf(HttpMediaTypeNotSupportedException.class);
    assertThatThrownBy(() -> handle(post(null, "{}")))
        .isInstanceOf(HttpMediaTypeNotSupportedException.class);
  }

  @Test
  void aPostThatAcceptsNoJsonIsNotAcceptable() {
    MockHttpServletRequest r = post("application/json", "{}");
    r.addHeader("Accept", "text/html");
    assertThatThrownBy(() -> handle(r)).isInstanceOf(HttpMediaTypeNotAcceptableException.class);
  }

  @Test
  void aCodedBodyIs415AskingForIdentity() {
    MockHttpServletRequest r = post("application/json", "{}");
    r.addHeader("Content-Encoding", "gzip");
    MockHttpServletResponse response = new MockHttpServletResponse();
    assertThatThrownBy(() -> guard.preHandle(r, response, new Object()))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> assertThat(e.status()).isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE));
    assertThat(response.getHeader("Accept-Encoding")).isEqualTo("identity");
  }

  @Test
  void aParameterGivenTwiceIs400ExceptTheListParameters() throws Exception {
    MockHttpServletRequest twice = new MockHttpServletRequest("GET", "/api/runs");
    twice.setQueryString("pp=1&pp=2");
    twice.addParameter("pp", "1", "2");
    assertThatThrownBy(() -> handle(twice))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
              assertThat(e.errors()).extracting(f -> f.field()).containsExactly("pp");
            });

    MockHttpServletRequest states = new MockHttpServletRequest("GET", "/api/runs");
    states.setQueryString("state=done&state=error");
    states.addParameter("state", "done", "error");
    assertThat(handle(states)).isTrue();
  }
}
