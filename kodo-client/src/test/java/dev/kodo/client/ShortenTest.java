package dev.kodo.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShortenTest {

  @Test
  void keepsShortTextsAndCutsLongOnesWithAnEllipsis() {
    assertThat(Shorten.to("abc", 3)).isEqualTo("abc");
    assertThat(Shorten.to("abcd", 3)).isEqualTo("abc…");
    assertThat(Shorten.to("x".repeat(10_000), 120)).hasSize(121).endsWith("…");
    assertThat(Shorten.to(null, 3)).isNull();
  }

  @Test
  void canSayHowLongTheTextWas() {
    assertThat(Shorten.saying("abcd", 3)).isEqualTo("abc…(4 characters)");
    assertThat(Shorten.saying("abc", 3)).isEqualTo("abc");
  }
}
