package dev.kodo.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BaseUrlTest {

  @Test
  void stripsSpacesAndTrailingSlashes() {
    assertThat(BaseUrl.of("  http://registry:3371//  ")).isEqualTo("http://registry:3371");
    assertThat(BaseUrl.of("HTTPS://[::1]:8443/kodo")).isEqualTo("HTTPS://[::1]:8443/kodo");
  }

  @Test
  void refusesWhatIsNotAnHttpBaseUrl() {
    assertThatThrownBy(() -> BaseUrl.of("ftp://registry"))
        .hasMessage("'ftp://registry' is not an http(s) URL with a host");
    assertThatThrownBy(() -> BaseUrl.of("registry:3371"))
        .hasMessageContaining("is not an http(s) URL with a host");
    assertThatThrownBy(() -> BaseUrl.of("http://registry/?a=1"))
        .hasMessage("must be a base URL, without '?' or '#'");
    assertThatThrownBy(() -> BaseUrl.of("http://registry/\u0007"))
        .hasMessage("control character U+0007 at character 17 is not allowed");
    assertThatThrownBy(() -> BaseUrl.of("http://r/" + "x".repeat(BaseUrl.MAX_LENGTH)))
        .hasMessageStartingWith("at most 2000 characters are allowed");
  }

  @Test
  void neverQuotesAValueThatMayHoldAPassword() {
    assertThatThrownBy(() -> BaseUrl.of("http://admin:s3cret@registry"))
        .hasMessage("must not carry a user or password");
    assertThatThrownBy(() -> BaseUrl.of("ftp://admin:s3cret@registry"))
        .hasMessage("the value is not an http(s) URL with a host")
        .message()
        .doesNotContain("s3cret");
    assertThatThrownBy(() -> BaseUrl.of("http://admin:s3cret@reg istry"))
        .message()
        .doesNotContain("s3cret");
  }
}
