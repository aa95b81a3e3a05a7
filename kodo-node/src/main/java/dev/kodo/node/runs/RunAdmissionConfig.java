package dev.kodo.node.runs;

import dev.kodo.engine.FlowCatalog;
import dev.kodo.engine.LoadedFlow;
import dev.kodo.node.NodeProperties;
import dev.kodo.store.EventStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Makes the node's {@link RunAdmission}: limits from {@code kodo.node.limits.*}, each flow's own
 * {@code maxConcurrentRuns} from the catalogue (read at every decision, so a reload applies), the
 * store to sweep against, and every persisted event from the live hub.
 */
@Configuration(proxyBeanMethods = false)
class RunAdmissionConfig {
  @Bean(destroyMethod = "close")
  RunAdmission runAdmission(
      NodeProperties properties, FlowCatalog catalog, EventStore store, LiveHub hub) {
    RunAdmission admission =
        new RunAdmission(
            properties.getNode().getLimits(),
            flow ->
                catalog.get(flow).map(LoadedFlow::spec).map(s -> s.maxConcurrentRuns()).orElse(0),
            fid -> store.run(fid).map(r -> r.state().finished()).orElse(true));
    hub.observe(admission::observe);
    return admission;
  }
}
