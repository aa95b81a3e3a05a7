package dev.kodo.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GlobTest {

  @Test
  void plainTextIsASubstringIgnoringCase() {
    Glob g = Glob.search("Report");
    assertThat(g.substring()).isTrue();
    assertThat(g.matches("Quarterly REPORT for Q2")).isTrue();
    assertThat(g.matches("Repo")).isFalse();
    assertThat(g.matches(null)).isFalse();
  }

  @Test
  void withWildcardsTheWholeTextMustMatch() {
    assertThat(Glob.search("q*report").matches("Quarterly Report")).isTrue();
    assertThat(Glob.search("q*report").matches("Quarterly Report 2")).isFalse();
    assertThat(Glob.search("*report*").matches("the report, finally")).isTrue();
    assertThat(Glob.search("v?.0").matches("v1.0")).isTrue();
    assertThat(Glob.search("v?.0").matches("v10.0")).isFalse();
    assertThat(Glob.search("a**b").matches("ab")).isTrue();
    assertThat(Glob.search("*").matches("")).isTrue();
    assertThat(Glob.exact("market").matches("market")).isTrue();
    assertThat(Glob.exact("market").matches("markets")).isFalse();
  }

  @Test
  void everyOtherCharacterIsItself() {
    assertThat(Glob.exact("a.b").matches("axb")).isFalse();
    assertThat(Glob.exact("a.b").matches("a.b")).isTrue();
    assertThat(Glob.exact("[ab]*").matches("a1")).isFalse();
    assertThat(Glob.exact("[ab]*").matches("[ab]1")).isTrue();
    assertThat(Glob.search("100%").matches("100% done")).isTrue();
    assertThat(Glob.search("\\d").matches("\\d")).isTrue();
  }

  @Test
  void searchesWithManyStarsAnswerAtOnce() {
    // The regular expression the node used to make of this glob (.*.*…~) backtracks for ages.
    Glob g = Glob.search("*".repeat(100) + "~");
    for (int i = 0; i < 1_000; i++) {
      assertThat(g.matches("x".repeat(200))).isFalse();
    }
    assertThat(g.matches("ends with ~")).isTrue();
  }

  @Test
  void manyStarsOnALongTextStillAnswer() {
    String text = "a".repeat(5_000);
    assertThat(Glob.exact("*a*a*a*a*a*a*a*a*a*a*b").matches(text)).isFalse();
    assertThat(Glob.exact("*a*a*a*a*a*a*a*a*a*a*").matches(text)).isTrue();
  }
}
