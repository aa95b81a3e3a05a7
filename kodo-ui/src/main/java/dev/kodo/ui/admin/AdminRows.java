package dev.kodo.ui.admin;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * What the administrators' pages show of the provider's lists (docs/http-api.md#lists), as rows for
 * the templates, and the small conversions between forms and the provider's bodies. Stateless.
 */
public final class AdminRows {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern SEPARATORS = Pattern.compile("[,\\s]+");

  private AdminRows() {}

  /** One page of a provider list. */
  public record Listing<T>(long total, long filtered, int p, int pp, List<T> items) {
    public int pages() {
      return (int) Math.max(1, (filtered + pp - 1) / Math.max(1, pp));
    }
  }

  public record User(String username, String subject, List<String> roles, List<String> groups) {}

  public record Group(String name, String subject, List<String> members) {}

  public record Grant(String id, String subject, String resource, String mode, String level) {}

  public record Client(String clientId, String kind, String node, String subject, String created) {}

  static <T> Listing<T> listing(JsonNode page, Function<JsonNode, T> row) {
    List<T> items = new ArrayList<>();
    for (JsonNode item : page.path("items")) items.add(row.apply(item));
    return new Listing<>(
        page.path("total").asLong(items.size()),
        page.path("filtered").asLong(items.size()),
        page.path("p").asInt(0),
        page.path("pp").asInt(Math.max(1, items.size())),
        List.copyOf(items));
  }

  static User user(JsonNode u) {
    return new User(
        text(u, "username"),
        text(u, "subject"),
        strings(u.path("roles")),
        strings(u.path("groups")));
  }

  static Group group(JsonNode g) {
    return new Group(text(g, "name"), text(g, "subject"), strings(g.path("members")));
  }

  static Grant grant(JsonNode g) {
    return new Grant(
        text(g, "id"), text(g, "subject"), text(g, "resource"), text(g, "mode"), text(g, "level"));
  }

  static Client client(JsonNode c) {
    return new Client(
        text(c, "client_id"),
        text(c, "kind"),
        text(c, "node"),
        text(c, "subject"),
        text(c, "created"));
  }

  /** A comma- or space-separated form value as a list, blanks dropped: "a, b c" → [a, b, c]. */
  static List<String> names(String raw) {
    List<String> out = new ArrayList<>();
    if (raw == null) return out;
    for (String s : SEPARATORS.split(raw)) {
      if (!s.isBlank()) out.add(s.strip());
    }
    return out;
  }

  /** A password for a person, shown once: 24 characters from 144 random bits. */
  static String password() {
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.path(field);
    return v.isNull() || v.isMissingNode() ? "" : v.asString("");
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    for (JsonNode s : array) out.add(s.asString(""));
    return List.copyOf(out);
  }
}
