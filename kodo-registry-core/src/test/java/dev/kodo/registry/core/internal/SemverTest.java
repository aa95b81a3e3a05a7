package dev.kodo.registry.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SemverTest {

  @Test
  void ordersByPrecedenceAsSemverOrgSays() {
    List<String> ordered =
        List.of(
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.1",
            "1.9.0",
            "1.10.0",
            "2.0.0",
            "99999999999999999999.0.0");
    List<Semver> shuffled = new ArrayList<>(ordered.stream().map(Semver::parse).toList());
    Collections.shuffle(shuffled, new Random(3));
    Collections.sort(shuffled);
    assertThat(shuffled).extracting(Semver::toString).containsExactlyElementsOf(ordered);
  }

  @Test
  void buildMetadataDoesNotCount() {
    assertThat(Semver.parse("1.2.3+a")).isEqualTo(Semver.parse("1.2.3+b"));
  }

  @Test
  void onlySemanticVersionsParse() {
    for (String bad :
        new String[] {"1.2", "v1.2.3", "01.2.3", "1.2.3-", "1.2.3 ", "", "1.2.3+", "a.b.c"}) {
      assertThat(Semver.parse(bad)).as(bad).isNull();
    }
    assertThat(Semver.parse(null)).isNull();
  }
}
