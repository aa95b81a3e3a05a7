package dev.kodo.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodo.engine.FlowCatalog;
import dev.kodo.engine.LoadedFlow;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExamplesCatalogTest {

  @Test
  void everyExampleIsRegisteredAndLoadsAsANodeWouldLoadIt() {
    FlowCatalog catalog =
        FlowCatalog.load(List.of("classpath:*"), ExamplesCatalogTest.class.getClassLoader());
    assertThat(catalog.all())
        .extracting(LoadedFlow::path)
        .containsExactlyInAnyOrder(
            ResearchSteps.class.getName(),
            MarketReport.class.getName(),
            FailingFlow.class.getName(),
            PlanApproval.class.getName(),
            OrderIntake.class.getName(),
            AgenticResearch.class.getName(),
            HashChain.class.getName());
    assertThat(catalog.all())
        .allSatisfy(
            f -> {
              assertThat(f.info().author()).isEqualTo("Kodo team");
              assertThat(f.info().tags()).contains("example");
            });
  }
}
