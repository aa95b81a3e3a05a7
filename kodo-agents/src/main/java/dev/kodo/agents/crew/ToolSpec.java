package dev.kodo.agents.crew;

import java.util.Map;

/**
 * A named tool under a crew's {@code tools:}, e.g. {@code report: {type: kodo_flow, node:
 * "http://127.0.0.1:8080", flow: examples.Hello}} or {@code mine: {type: java, class:
 * com.acme.MyTools}}.
 *
 * @param name its key under {@code tools}, what agents list
 * @param type {@code kodo_flow} or {@code java}
 * @param options the other keys, as written (values may hold {@code ${VAR}})
 */
public record ToolSpec(String name, String type, Map<String, String> options) {

  public ToolSpec {
    options = Map.copyOf(options);
  }
}
