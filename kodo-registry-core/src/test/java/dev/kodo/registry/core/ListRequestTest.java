package dev.kodo.registry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ListRequestTest {

  @Test
  void searchesAreBounded() {
    assertThatThrownBy(() -> ListRequest.of("x".repeat(201), null, null, 0, 10))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.parameter()).isEqualTo("search"))
        .hasMessage("search: at most 200 characters are allowed, not 201");
    assertThatThrownBy(() -> ListRequest.of("a\u0000b", null, null, 0, 10))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("search: control character U+0000 at character 2 is not allowed");
    assertThat(ListRequest.of("x".repeat(200), null, null, 0, 10).search()).hasSize(200);
  }
}
