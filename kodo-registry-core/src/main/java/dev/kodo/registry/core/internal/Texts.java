package dev.kodo.registry.core.internal;

import dev.kodo.client.BaseUrl;
import dev.kodo.client.Shorten;
import dev.kodo.registry.core.InvalidRequestException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks and normalises the texts the registry accepts from outside: names, tags, notes. */
public final class Texts {
  /** At most this many tags on a node or flow. */
  public static final int MAX_TAGS = 50;

  /** At most this many characters in one tag. */
  public static final int MAX_TAG_LENGTH = 64;

  /** At most this many characters in an admin's notes. */
  public static final int MAX_NOTES_LENGTH = 2_000;

  private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private Texts() {}

  /** Lower case as every comparison in the registry sees text. */
  public static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }

  /**
   * Checks a node name: 1–64 letters, digits, {@code .}, {@code _} or {@code -}, starting with a
   * letter or digit (names appear in URLs and in {@code node://} resources).
   *
   * @throws InvalidRequestException naming {@code field}
   */
  public static String nodeName(String name, String field) {
    if (name == null || name.isEmpty()) {
      throw new InvalidRequestException(field, "a node name is required");
    }
    if (!NODE_NAME.matcher(name).matches()) {
      throw new InvalidRequestException(
          field,
          "'"
              + echo(name)
              + "' is not a valid node name: use 1 to 64 letters,"
              + " digits, '.', '_' or '-', starting with a letter or digit");
    }
    return name;
  }

  /**
   * Whether {@code name} could be a node's name (for lookups, which treat anything else as
   * unknown).
   */
  public static boolean isNodeName(String name) {
    return name != null && NODE_NAME.matcher(name).matches();
  }

  /**
   * Trims tags, drops duplicates (ignoring case; the first spelling stays) and checks them.
   *
   * @return null if {@code tags} is null
   * @throws InvalidRequestException naming {@code field} when a tag is blank, too long or holds
   *     control characters, or there are too many
   */
  public static List<String> tags(List<String> tags, String field) {
    if (tags == null) {
      return null;
    }
    List<String> out = new ArrayList<>(tags.size());
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < tags.size(); i++) {
      String tag = tags.get(i);
      String where = field + "[" + i + "]";
      if (tag == null || tag.isBlank()) {
        throw new InvalidRequestException(where, "a tag cannot be empty");
      }
      tag = tag.strip();
      if (tag.length() > MAX_TAG_LENGTH) {
        throw new InvalidRequestException(
            where,
            "a tag has at most "
                + MAX_TAG_LENGTH
                + " characters, '"
                + echo(tag)
                + "' has "
                + tag.length());
      }
      noControl(tag, where);
      if (seen.add(lower(tag))) {
        out.add(tag);
      }
    }
    if (out.size() > MAX_TAGS) {
      throw new InvalidRequestException(
          field, "at most " + MAX_TAGS + " tags are allowed, not " + out.size());
    }
    return List.copyOf(out);
  }

  /**
   * Checks that {@code value} has at most {@code max} characters and no control characters other
   * than line breaks and tabs (which {@code multiline} allows).
   */
  public static String text(String value, String field, int max, boolean multiline) {
    if (value == null) {
      return null;
    }
    if (value.length() > max) {
      throw new InvalidRequestException(
          field, "at most " + max + " characters are allowed, not " + value.length());
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (isControl(c) && !(multiline && (c == '\n' || c == '\r' || c == '\t'))) {
        throw new InvalidRequestException(
            field,
            "control character U+" + hex(c) + " at character " + (i + 1) + " is not allowed");
      }
    }
    return value;
  }

  /** Checks that {@code value} holds no control characters. */
  public static void noControl(String value, String field) {
    text(value, field, Integer.MAX_VALUE, false);
  }

  static boolean isControl(char c) {
    return c < 0x20 || (c >= 0x7f && c < 0xa0) || c == '\u2028' || c == '\u2029';
  }

  static String hex(int c) {
    return String.format(Locale.ROOT, "%04X", c);
  }

  /**
   * A base URL by the one rule nodes and registries share ({@link BaseUrl}).
   *
   * @throws InvalidRequestException naming {@code field} otherwise (without echoing a password)
   */
  public static String httpUrl(String url, String field) {
    try {
      return BaseUrl.of(url);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(field, e.getMessage());
    }
  }

  /**
   * A piece of outside input fit to quote in a message: at most 40 characters, control characters
   * shown as {@code \}{@code uXXXX}.
   */
  public static String echo(String s) {
    String cut = Shorten.to(s, 40);
    StringBuilder out = new StringBuilder(cut.length());
    for (int i = 0; i < cut.length(); i++) {
      char c = cut.charAt(i);
      out.append(isControl(c) ? "\\u" + hex(c) : String.valueOf(c));
    }
    return out.toString();
  }
}
