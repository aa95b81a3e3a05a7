package dev.kodo.agents.internal.tools;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The built-in {@code datetime} tool: the current date and time in an IANA zone (UTC unless the
 * model names one). A zone that does not exist is an error the model reads.
 */
public final class DateTimeTool implements CrewTool {
  /** Its name in a crew file. */
  public static final String NAME = "datetime";

  private static final ToolSpecification SPEC =
      ToolSpecification.builder()
          .name(NAME)
          .description("The current date, time and weekday, in UTC or in a given time zone")
          .parameters(
              JsonObjectSchema.builder()
                  .addStringProperty(
                      "zone", "an IANA time zone such as Europe/Paris; UTC when not given")
                  .build())
          .build();

  private final Clock clock;

  public DateTimeTool(Clock clock) {
    this.clock = clock;
  }

  @Override
  public ToolSpecification specification() {
    return SPEC;
  }

  @Override
  public ToolOutcome call(String arguments, String agent) {
    try {
      String zone = ToolArguments.text(ToolArguments.object(arguments), "zone");
      ZoneId id;
      if (zone == null || zone.isBlank()) {
        id = ZoneId.of("UTC");
      } else if (zone.length() > 100) {
        return ToolOutcome.failed("the zone name is too long");
      } else {
        try {
          id = ZoneId.of(zone.strip());
        } catch (DateTimeException e) {
          return ToolOutcome.failed(
              "unknown time zone '" + zone.strip() + "': use an IANA name such as Europe/Paris");
        }
      }
      ZonedDateTime now = ZonedDateTime.now(clock.withZone(id)).truncatedTo(ChronoUnit.SECONDS);
      return ToolOutcome.ok(
          now.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
              + " ("
              + now.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH)
              + ", "
              + id.getId()
              + ")");
    } catch (IllegalArgumentException e) {
      return ToolOutcome.failed(e.getMessage());
    }
  }
}
