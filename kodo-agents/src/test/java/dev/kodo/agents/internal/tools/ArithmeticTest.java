package dev.kodo.agents.internal.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArithmeticTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '=',
      value = {
        "1 + 2 * 3 = 7",
        "(1 + 2) * 3 = 9",
        "10 / 4 = 2.5",
        "10 % 4 = 2",
        "-2 ^ 2 = -4",
        "2 ^ 3 ^ 2 = 512",
        "2 ^ -1 = 0.5",
        "--3 = 3",
        "-(2 + 3) * 2 = -10",
        "0.1 + 0.2 = 0.3",
        "  7  = 7",
        "1.5e0 = x",
        "(1200 - 950) / 950 * 100 = 26.3157894736842",
        "2 ^ 80 = 1.20892581961463E+24",
        "0.0000001 * 1 = 1E-7",
        "100000000 * 100000000 = 10000000000000000",
        "1 / 3 = 0.333333333333333",
        "+4 - -4 = 8",
        ".5 * 4 = 2",
      })
  void evaluates(String expression, String expected) {
    if (expected.equals("x")) {
      assertThatThrownBy(() -> Arithmetic.evaluate(expression))
          .hasMessage("unexpected 'e' at column 4");
      return;
    }
    assertThat(Arithmetic.format(Arithmetic.evaluate(expression))).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "'' | the expression is empty",
        "1 + | expected a number at the end at column 4",
        "1 / 0 | division by zero at column 3",
        "5 % (2 - 2) | remainder of a division by zero at column 3",
        "(1 + 2 | a '(' is not closed at column 7",
        "(1 + 2)) | unexpected ')' at column 8",
        "2 3 | unexpected '3' at column 3",
        "abs(1) | expected a number, not 'a' at column 1",
        "java.lang.System.exit(0) | expected a number, not 'j' at column 1",
        "1..2 | unexpected '.' at column 3",
        "(-8) ^ 0.5 | the power -8^0.5 is not a real number at column 11",
        "10 ^ 400 | the result is too large",
        "1 = 1 | unexpected '=' at column 3",
      })
  void refuses(String expression, String message) {
    assertThatThrownBy(() -> Arithmetic.evaluate(expression)).hasMessage(message);
  }

  @Test
  void hostileInputFailsFastWithAMessage() {
    assertThatThrownBy(() -> Arithmetic.evaluate("(".repeat(400) + "1" + ")".repeat(400)))
        .hasMessageContaining("nests deeper than 64 levels");
    assertThatThrownBy(() -> Arithmetic.evaluate("-".repeat(999) + "1"))
        .hasMessageContaining("nests deeper than 64 levels");
    assertThatThrownBy(() -> Arithmetic.evaluate("1+".repeat(600) + "1"))
        .hasMessageContaining("too long (1201 characters, at most 1000)");
    assertThatThrownBy(() -> Arithmetic.evaluate("9".repeat(61)))
        .hasMessageContaining("more than 60 digits");
    assertThatThrownBy(() -> Arithmetic.evaluate("2^2^2^2^2^2"))
        .hasMessage("the result is too large");
  }

  @Test
  void theToolReadsJsonArgumentsAndReportsErrorsAsText() {
    Calculator calc = new Calculator();
    assertThat(calc.call("{\"expression\":\"6*7\"}", "a").result()).isEqualTo("42");
    assertThat(calc.call("{}", "a").error())
        .isEqualTo("give the expression to evaluate as 'expression'");
    assertThat(calc.call("not json", "a").error())
        .isEqualTo("the arguments are not valid JSON: give a JSON object");
    assertThat(calc.call("[1]", "a").error()).isEqualTo("the arguments must be a JSON object");
    assertThat(calc.call("{\"expression\": 5}", "a").error())
        .isEqualTo("'expression' must be a string");
  }
}
