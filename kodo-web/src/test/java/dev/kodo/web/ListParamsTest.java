package dev.kodo.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One set of rules for the list parameters of every service. */
class ListParamsTest {
  private static final Set<String> SORTABLE = Set.of("name", "created");

  @Test
  void readsPagesSearchAndOrder() {
    ListParams l = ListParams.parse(" 2 ", "+50", "rep*", "name desc, created", SORTABLE, 100);
    assertThat(l)
        .isEqualTo(
            new ListParams(
                2,
                50,
                "rep*",
                List.of(
                    new ListParams.Order("name", true), new ListParams.Order("created", false))));
    assertThat(ListParams.parse(null, null, " ", null, SORTABLE, 100))
        .isEqualTo(new ListParams(0, 100, null, List.of()));
  }

  @Test
  void theSameRulesServeTheRegistrysParameters() {
    assertThat(ListParams.page("7")).isEqualTo(7);
    assertThat(ListParams.perPage(null, 100)).isEqualTo(100);
    assertThat(reason(() -> ListParams.perPage("1001", 100)))
        .isEqualTo("pp: must be between 1 and 1000, not 1001");
    assertThat(reason(() -> ListParams.page("1e3")))
        .isEqualTo("p: must be a whole number, not '1e3'");
    assertThat(reason(() -> ListParams.page("99999999999999999999")))
        .startsWith("p: must be a whole number");
    assertThat(reason(() -> ListParams.search("a\u0000b")))
        .isEqualTo("search: must not contain control characters");
    assertThat(reason(() -> ListParams.search("x".repeat(201))))
        .isEqualTo("search: must be at most 200 characters");
    assertThat(ListParams.hidden("true")).isTrue();
    assertThat(ListParams.hidden(null)).isFalse();
    assertThat(reason(() -> ListParams.hidden("yes")))
        .isEqualTo("hidden: must be true or false, not 'yes'");
  }

  @Test
  void namesTheFieldsItCanSortBy() {
    assertThat(reason(() -> ListParams.parse(null, null, null, "colour", SORTABLE, 100)))
        .isEqualTo("by: cannot sort by 'colour'; sortable fields: created, name");
    assertThat(reason(() -> ListParams.parse(null, null, null, "name up", SORTABLE, 100)))
        .isEqualTo("by: direction must be asc or desc, not 'up'");
  }

  private static String reason(Runnable r) {
    ApiException e = catchThrowableOfType(ApiException.class, r::run);
    assertThat(e).as("a 400").isNotNull();
    assertThat(e.status().value()).isEqualTo(400);
    return e.errors().get(0).field() + ": " + e.errors().get(0).message();
  }
}
