package dev.kodo.client;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * What an admin sets on a node or a flow of a registry, merged over what the node announced; the
 * admin's values win. The one wire shape of {@code constraints} in {@link RegistryNode} and {@link
 * RegistryFlow}, shared by the registry and its client. Immutable. Not checked here: the registry
 * checks and normalises what an admin sends ({@code dev.kodo.registry.core.Checks}).
 *
 * @param tags the tags to show instead of the announced ones; null keeps the announced tags (an
 *     empty list shows none)
 * @param hidden whether the node or flow is hidden from callers who are not operators (a hidden
 *     node hides all its flows)
 * @param notes free text for other admins, or null
 */
public record Constraints(List<String> tags, boolean hidden, String notes) {
  /** No constraints: what the node announced shows as it is. */
  public static final Constraints NONE = new Constraints(null, false, null);

  /** Whether these are no constraints at all. */
  @JsonIgnore
  public boolean isNone() {
    return tags == null && !hidden && notes == null;
  }

  /** The tags to show: the admin's if set, else {@code announced}. */
  public List<String> tagsOver(List<String> announced) {
    return tags != null ? tags : announced;
  }
}
