package dev.kodo.examples;

import dev.kodo.sdk.Demand;
import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.InputError;
import dev.kodo.sdk.Inputs;
import dev.kodo.sdk.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Collects what a launch left out: an order needs a quantity and a shipping address; whatever is
 * missing the flow asks for, and it denies answers whose postcode does not fit the country — with
 * the reason — until one does.
 */
public final class OrderIntake implements Flow {
  private static final Map<String, Pattern> POSTCODES =
      Map.of(
          "DE", Pattern.compile("\\d{5}"),
          "CH", Pattern.compile("\\d{4}"),
          "US", Pattern.compile("\\d{5}(-\\d{4})?"),
          "GB", Pattern.compile("[A-Z]{1,2}\\d[A-Z\\d]? ?\\d[A-Z]{2}"));

  @Override
  public FlowSpec spec() {
    return FlowSpec.builder("Order intake")
        .description(
            "Takes an order and asks for the missing details (quantity, address), checking the postcode.")
        .author("Kodo team")
        .organization("Kodo")
        .release("1.0.0")
        .tags("example", "human-in-the-loop", "validation")
        .inputs(
            Form.builder()
                .select(
                    "product",
                    f ->
                        f.label("Product")
                            .option("kettle", "Kettle")
                            .option("teapot", "Teapot")
                            .option("cups", "Set of cups")
                            .required())
                .number("quantity", f -> f.label("Quantity").integer().min(1).max(100).optional()))
        .build();
  }

  @Override
  public Result run(FlowContext ctx) {
    String product = ctx.inputs().text("product");
    ctx.progress(0.1, "checking the order");
    Form.Builder missing = Form.builder();
    if (!ctx.inputs().has("quantity")) {
      missing.number("quantity", f -> f.label("Quantity").integer().min(1).max(100).required());
    }
    missing
        .text("name", f -> f.label("Recipient").required().maxLength(100))
        .text("street", f -> f.label("Street and number").required().maxLength(200))
        .select(
            "country",
            f ->
                f.label("Country")
                    .option("DE", "Germany")
                    .option("CH", "Switzerland")
                    .option("US", "United States")
                    .option("GB", "United Kingdom")
                    .required())
        .text("postcode", f -> f.label("Postcode").required().maxLength(10));

    ctx.progress(0.3, "asking for the missing details");
    Inputs answer =
        ctx.lock(
            Demand.builder("Complete the order of " + product)
                .markdown(
                    "The order of **" + product + "** needs a few more details before it can ship.")
                .form(missing)
                .check(OrderIntake::checkPostcode)
                .build());

    long quantity =
        answer.has("quantity") ? answer.integer("quantity") : ctx.inputs().integer("quantity");
    ctx.action(
        "order-placed",
        Map.of("product", product, "quantity", quantity, "country", answer.text("country")));
    ctx.progress(1.0, "order placed");
    return Result.markdown(
        "# Order placed\n\n| | |\n|---|---|\n| Product | "
            + product
            + " |\n| Quantity | "
            + quantity
            + " |\n| Ship to | "
            + answer.text("name")
            + ", "
            + answer.text("street")
            + ", "
            + answer.text("postcode")
            + " "
            + answer.text("country")
            + " |\n");
  }

  private static List<InputError> checkPostcode(Inputs a) {
    List<InputError> errors = new ArrayList<>();
    String country = a.text("country");
    String postcode = a.text("postcode").trim().toUpperCase(Locale.ROOT);
    if (!POSTCODES.get(country).matcher(postcode).matches()) {
      errors.add(
          new InputError(
              "postcode", "'" + a.text("postcode") + "' is not a postcode of " + country));
    }
    return errors;
  }
}
