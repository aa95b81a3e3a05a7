package dev.kodo.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void quotesPlainText() {
    assertThat(Json.quote("")).isEqualTo("\"\"");
    assertThat(Json.quote("hello world")).isEqualTo("\"hello world\"");
  }

  @Test
  void escapesQuotesAndBackslashes() {
    assertThat(Json.quote("say \"hi\"")).isEqualTo("\"say \\\"hi\\\"\"");
    assertThat(Json.quote("C:\\dir\\")).isEqualTo("\"C:\\\\dir\\\\\"");
  }

  @Test
  void escapesEveryControlCharacter() {
    assertThat(Json.quote("a\nb\rc\td")).isEqualTo("\"a\\nb\\rc\\td\"");
    assertThat(Json.quote("\u0000\u0001\u0008\u000c\u001f"))
        .isEqualTo("\"\\u0000\\u0001\\u0008\\u000c\\u001f\"");
    for (char c = 0; c < 0x20; c++) {
      assertThat(Json.quote(String.valueOf(c)))
          .as("U+%04X", (int) c)
          .doesNotContain(String.valueOf(c));
    }
  }

  @Test
  void escapesLineAndParagraphSeparatorsSoTheTextIsSafeInJavaScriptAndSse() {
    assertThat(Json.quote("a\u2028b\u2029c")).isEqualTo("\"a\\u2028b\\u2029c\"");
  }

  @Test
  void leavesOtherUnicodeAlone() {
    assertThat(Json.quote("é 漢字 😀 \u007f")).isEqualTo("\"é 漢字 😀 \u007f\"");
  }

  @Test
  void whatItQuotesReadsBackAsTheSameString() {
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < 0x300; c++) {
      all.append(c);
    }
    all.append("\u2028\u2029\uFEFF😀");
    String s = all.toString();

    assertThat(Json.read(Json.quote(s)).asString()).isEqualTo(s);
    assertThat(Json.read(Json.write(Map.of("k", s))).path("k").asString()).isEqualTo(s);
  }

  @Test
  void readIgnoresUnknownProperties() {
    assertThat(Json.read("{\"value\":0.5,\"message\":\"half\",\"extra\":1}", Progress.class))
        .isEqualTo(new Progress(0.5, "half"));
  }
}
