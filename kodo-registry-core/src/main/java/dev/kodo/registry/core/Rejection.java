package dev.kodo.registry.core;

/**
 * Why one announced flow was not accepted.
 *
 * @param index its position in the announced list, from 0
 * @param path its path if it had a usable one, else null
 * @param field the field at fault ({@code path}, {@code release}, {@code tags[2]}, …)
 * @param reason what is wrong with it
 */
public record Rejection(int index, String path, String field, String reason) {

  /** One line naming the record and the field, e.g. {@code flows[3] 'a.yaml': release: …}. */
  public String message() {
    return "flows["
        + index
        + "]"
        + (path == null ? "" : " '" + path + "'")
        + ": "
        + field
        + ": "
        + reason;
  }
}
