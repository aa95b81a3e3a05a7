package dev.kodo.examples;

import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.Result;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Random;

/**
 * Writes a rich Markdown market report — headings, a table, lists, a quote and a code block — from
 * figures it simulates deterministically from its inputs. Shows every input type.
 */
public final class MarketReport implements Flow {

  @Override
  public FlowSpec spec() {
    return FlowSpec.builder("Market report")
        .description(
            "Produces a quarterly market report in Markdown for a company, with simulated figures.")
        .author("Kodo team")
        .organization("Kodo")
        .release("1.1.0")
        .tags("example", "report", "markdown")
        .inputs(
            Form.builder()
                .text(
                    "company",
                    f -> f.label("Company").required().maxLength(100).placeholder("ACME Corp"))
                .select(
                    "quarter",
                    f ->
                        f.label("Quarter")
                            .option("Q1", "Jan–Mar")
                            .option("Q2", "Apr–Jun")
                            .option("Q3", "Jul–Sep")
                            .option("Q4", "Oct–Dec")
                            .defaultValue("Q3"))
                .number(
                    "year", f -> f.label("Year").integer().min(2000).max(2100).defaultValue(2026))
                .bool("risks", f -> f.label("Include a risk section").defaultValue(true))
                .date("asOf", f -> f.label("Figures as of").optional())
                .longText("notes", f -> f.label("Analyst notes").maxLength(5_000).optional()))
        .build();
  }

  @Override
  public Result run(FlowContext ctx) {
    var in = ctx.inputs();
    String company = in.text("company");
    String quarter = in.text("quarter");
    long year = in.integer("year");
    LocalDate asOf = in.has("asOf") ? in.date("asOf") : LocalDate.of((int) year, 12, 31);
    Random random = new Random((company + quarter + year).hashCode());

    ctx.progress(0.2, "gathering figures");
    double revenue = 50 + random.nextInt(950) + random.nextDouble();
    double growth = -5 + random.nextDouble() * 25;
    double margin = 5 + random.nextDouble() * 30;
    ctx.progress(0.6, "writing the report");

    StringBuilder md = new StringBuilder();
    md.append("# ")
        .append(company)
        .append(" — ")
        .append(quarter)
        .append(' ')
        .append(year)
        .append(" market report\n\n");
    md.append("_Figures as of ").append(asOf).append(". Simulated for demonstration._\n\n");
    md.append("## Key figures\n\n| Metric | Value | Trend |\n|---|---:|:---:|\n");
    md.append(
        String.format(
            Locale.ROOT, "| Revenue | %.1f M€ | %s |%n", revenue, growth >= 0 ? "▲" : "▼"));
    md.append(
        String.format(
            Locale.ROOT, "| Growth (YoY) | %.1f %% | %s |%n", growth, growth >= 0 ? "▲" : "▼"));
    md.append(String.format(Locale.ROOT, "| Operating margin | %.1f %% | – |%n%n", margin));
    md.append("## Highlights\n\n");
    md.append("1. **Demand** ")
        .append(growth > 10 ? "grew strongly" : "held steady")
        .append(" across regions.\n");
    md.append("2. **Pricing** stayed ")
        .append(margin > 20 ? "firm" : "under pressure")
        .append(".\n");
    md.append("3. **Outlook**: see the analyst view below.\n\n");
    md.append("> ")
        .append(
            growth > 0
                ? "We expect the momentum to continue next quarter."
                : "We expect a slow recovery.")
        .append("\n\n");
    if (in.bool("risks")) {
      md.append("## Risks\n\n- Currency swings\n- Supplier concentration\n- Regulatory change\n\n");
    }
    if (in.has("notes") && !in.text("notes").isBlank()) {
      md.append("## Analyst notes\n\n").append(in.text("notes")).append("\n\n");
    }
    md.append(
        "## Method\n\n```text\nseed   = hash(company, quarter, year)\nfigures = simulate(seed)\n```\n");
    ctx.progress(1.0, "report ready");
    return Result.markdown(md.toString());
  }
}
