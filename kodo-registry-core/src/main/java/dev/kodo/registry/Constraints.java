package dev.kodo.registry;

import dev.kodo.registry.internal.Texts;
import java.util.List;

/**
 * What an admin sets on a node or a flow, merged over what the node announced; the admin's values
 * win. Immutable.
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

  /**
   * Checks and normalises the values: tags are trimmed and de-duplicated ignoring case; blank notes
   * become null.
   *
   * @throws InvalidRequestException naming {@code tags} or {@code notes}
   */
  public Constraints {
    tags = Texts.tags(tags, "tags");
    notes = notes == null || notes.isBlank() ? null : Texts.text(notes.strip(), "notes", Texts.MAX_NOTES_LENGTH, true);
  }

  /** Whether these are no constraints at all. */
  public boolean isNone() {
    return tags == null && !hidden && notes == null;
  }

  /** The tags to show: the admin's if set, else {@code announced}. */
  public List<String> tagsOver(List<String> announced) {
    return tags != null ? tags : announced;
  }
}
