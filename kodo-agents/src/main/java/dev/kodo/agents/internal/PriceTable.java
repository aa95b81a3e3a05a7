package dev.kodo.agents.internal;

import dev.kodo.client.KodoException;
import java.util.HashMap;
import java.util.Map;

/**
 * Prices per model for the cost estimate of a model call (docs/configuration.md, {@code
 * kodo.agents.prices.<model>.input} and {@code .output}: the price of one million input and output
 * tokens, in whatever currency the operator writes them). A model without both prices has no cost.
 * Immutable.
 */
final class PriceTable {
  private static final String PREFIX = "prices.";

  private final Map<String, double[]> prices;

  private PriceTable(Map<String, double[]> prices) {
    this.prices = prices;
  }

  /**
   * The price table among the engine settings.
   *
   * @throws KodoException naming the key of a price that is not a non-negative number
   */
  static PriceTable from(Map<String, String> settings) {
    Map<String, double[]> prices = new HashMap<>();
    settings.forEach(
        (key, value) -> {
          if (!key.startsWith(PREFIX)) {
            return;
          }
          String rest = key.substring(PREFIX.length());
          int dot = rest.lastIndexOf('.');
          if (dot <= 0) {
            return;
          }
          String model = rest.substring(0, dot);
          String kind = rest.substring(dot + 1);
          int index =
              switch (kind) {
                case "input" -> 0;
                case "output" -> 1;
                default -> -1;
              };
          if (index < 0) {
            throw new KodoException(
                "kodo.agents." + key + ": a price is .input or .output (per 1M tokens)");
          }
          double price = ModelSettings.number("kodo.agents." + key, value);
          if (price < 0) {
            throw new KodoException("kodo.agents." + key + ": a price cannot be negative");
          }
          prices.computeIfAbsent(model, m -> new double[] {Double.NaN, Double.NaN})[index] = price;
        });
    return new PriceTable(Map.copyOf(prices));
  }

  /**
   * The estimated cost of one call, rounded to 6 decimals; null if no price is known for either
   * name (the configured model name first, then the one the provider answered with).
   */
  Double cost(String model, String answeredModel, long inputTokens, long outputTokens) {
    double[] p = model == null ? null : prices.get(model);
    if (p == null && answeredModel != null) {
      p = prices.get(answeredModel);
    }
    if (p == null || Double.isNaN(p[0]) || Double.isNaN(p[1])) {
      return null;
    }
    double cost = (inputTokens * p[0] + outputTokens * p[1]) / 1_000_000d;
    return Math.round(cost * 1e6) / 1e6;
  }
}
