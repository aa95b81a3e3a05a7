package dev.kodo.agents.crew;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Typed reading of a crew file's YAML nodes (docs/flows.md#yaml-crews): every read that does not
 * fit records a {@link CrewProblem} at the node's line and column and yields {@code null}, so one
 * pass finds every problem. Never walks a node tree it was not asked about (a file may hold
 * recursive aliases). One instance per parse; not thread-safe.
 */
final class CrewNodes {
  private final Path file;
  private final String text;
  private final List<CrewProblem> problems = new ArrayList<>();

  /** Per mapping, the known keys an unknown key was taken for ("did you mean"): not "missing". */
  private final IdentityHashMap<Node, List<String>> suggested = new IdentityHashMap<>();

  /** How the top-level mapping is named in messages. */
  static final String CREW = "the crew";

  CrewNodes(Path file, String text) {
    this.file = file;
    this.text = text;
  }

  /** One entry of a checked mapping: the key's node and the value's node. */
  record Entry(ScalarNode key, Node value) {}

  Path file() {
    return file;
  }

  List<CrewProblem> problems() {
    return problems;
  }

  void problem(int line, int column, String message) {
    problems.add(new CrewProblem(file, line, column, message));
  }

  void problem(Mark mark, String message) {
    if (mark == null) {
      problem(1, 1, message);
    } else {
      problem(mark.getLine() + 1, mark.getColumn() + 1, message);
    }
  }

  void problem(Node node, String message) {
    problem(node == null ? null : node.getStartMark(), message);
  }

  /**
   * Where {@code needle} is written inside the scalar {@code node}, as a problem position; the
   * node's start when the text cannot be found as written (escapes, folding).
   */
  void problemAt(Node node, String needle, String message) {
    Mark start = node.getStartMark();
    Mark end = node.getEndMark();
    if (start != null && end != null && text != null) {
      int from = offsetOf(start.getLine(), start.getColumn());
      int to = offsetOf(end.getLine(), end.getColumn());
      if (from >= 0 && to >= from) {
        int at = text.substring(from, Math.min(to, text.length())).indexOf(needle);
        if (at >= 0) {
          int abs = from + at;
          int lineStart = text.lastIndexOf('\n', abs - 1) + 1;
          int line = 1;
          for (int i = 0; i < lineStart; i++) {
            if (text.charAt(i) == '\n') {
              line++;
            }
          }
          problem(line, text.codePointCount(lineStart, abs) + 1, message);
          return;
        }
      }
    }
    problem(node, message);
  }

  /** The char offset of a 0-based line and code-point column in the text, or -1. */
  private int offsetOf(int line, int column) {
    int offset = 0;
    for (int l = 0; l < line; l++) {
      offset = text.indexOf('\n', offset);
      if (offset < 0) {
        return -1;
      }
      offset++;
    }
    try {
      return text.offsetByCodePoints(offset, column);
    } catch (IndexOutOfBoundsException e) {
      return text.length();
    }
  }

  /**
   * The entries of the mapping {@code node}, by key in file order. Keys must be text, appear once
   * and be among {@code known} (else "unknown key … (did you mean …?)"); such entries are left out.
   * Null, after a problem, when the node is no mapping.
   */
  Map<String, Entry> mapping(Node node, String where, Collection<String> known) {
    if (!(node instanceof MappingNode map)) {
      problem(node, where + " must be a mapping of keys to values, not " + describe(node));
      return null;
    }
    Map<String, Entry> out = new LinkedHashMap<>();
    Map<String, ScalarNode> seen = new LinkedHashMap<>();
    for (NodeTuple t : map.getValue()) {
      Node k = t.getKeyNode();
      if (k.getTag().equals(Tag.MERGE)) {
        problem(k, "merge keys (<<) are not supported; repeat the keys or use an alias as a value");
        continue;
      }
      if (!(k instanceof ScalarNode key) || k.getTag().equals(Tag.NULL)) {
        problem(k, "keys in " + where + " must be text, not " + describe(k));
        continue;
      }
      String name = key.getValue();
      ScalarNode first = seen.putIfAbsent(name, key);
      if (first != null) {
        problem(
            key,
            "duplicate key '"
                + shorten(name)
                + "' in "
                + where
                + " (first at line "
                + (first.getStartMark().getLine() + 1)
                + ")");
        continue;
      }
      if (!known.contains(name)) {
        problem(key, unknownKey(name, where, known));
        String close = closest(name, known);
        if (close != null) {
          suggested.computeIfAbsent(node, n -> new ArrayList<>()).add(close);
        }
        continue;
      }
      out.put(name, new Entry(key, t.getValueNode()));
    }
    return out;
  }

  /**
   * Whether an unknown key in {@code mapping} was probably meant as {@code key} (and reported so):
   * then its absence is not reported again.
   */
  boolean misspelled(Node mapping, String key) {
    return suggested.getOrDefault(mapping, List.of()).contains(key);
  }

  /** A mapping whose keys are names the file chooses (agents, tools, inputs). */
  Map<String, Entry> namedMapping(Node node, String where) {
    if (!(node instanceof MappingNode map)) {
      problem(node, where + " must be a mapping of names to definitions, not " + describe(node));
      return null;
    }
    Map<String, Entry> out = new LinkedHashMap<>();
    for (NodeTuple t : map.getValue()) {
      Node k = t.getKeyNode();
      if (!(k instanceof ScalarNode key)
          || k.getTag().equals(Tag.NULL)
          || k.getTag().equals(Tag.MERGE)) {
        problem(k, "names in " + where + " must be text, not " + describe(k));
        continue;
      }
      Entry first = out.get(key.getValue());
      if (first != null) {
        problem(
            key,
            "duplicate key '"
                + shorten(key.getValue())
                + "' in "
                + where
                + " (first at line "
                + (first.key().getStartMark().getLine() + 1)
                + ")");
        continue;
      }
      out.put(key.getValue(), new Entry(key, t.getValueNode()));
    }
    return out;
  }

  static String unknownKey(String name, String where, Collection<String> known) {
    String close = closest(name, known);
    String in = where.isEmpty() || where.equals(CREW) ? "" : " in " + where;
    if (close != null) {
      return "unknown key '" + shorten(name) + "'" + in + " (did you mean '" + close + "'?)";
    }
    return "unknown key '"
        + shorten(name)
        + "'"
        + in
        + " (known: "
        + String.join(", ", known)
        + ")";
  }

  /** Whether a value is YAML null: {@code ~}, {@code null} or nothing after the key. */
  static boolean isNull(Node node) {
    return node == null || (node instanceof ScalarNode && node.getTag().equals(Tag.NULL));
  }

  /** A scalar's text, whatever YAML type it resolves to; null after a problem otherwise. */
  String text(Node node, String where) {
    if (node instanceof ScalarNode s && !s.getTag().equals(Tag.NULL)) {
      return s.getValue();
    }
    problem(node, where + " must be text, not " + describe(node));
    return null;
  }

  /** Like {@link #text} but blank text is a problem too. */
  String nonBlank(Node node, String where) {
    String s = text(node, where);
    if (s != null && s.isBlank()) {
      problem(node, where + " must not be empty");
      return null;
    }
    return s;
  }

  /** A number (YAML int or float); null after a problem. */
  Double number(Node node, String where) {
    if (node instanceof ScalarNode s
        && (s.getTag().equals(Tag.INT) || s.getTag().equals(Tag.FLOAT))) {
      try {
        double d = Double.parseDouble(s.getValue().replace("_", ""));
        if (Double.isFinite(d)) {
          return d;
        }
      } catch (NumberFormatException e) {
        // YAML 1.1 forms such as 0x1F or 1:30 are no plain numbers here
      }
      problem(node, where + " must be a plain finite number, not '" + shorten(s.getValue()) + "'");
      return null;
    }
    problem(node, where + " must be a number, not " + describe(node));
    return null;
  }

  /** A whole number between {@code min} and {@code max}; null after a problem. */
  Integer whole(Node node, String where, int min, int max) {
    if (node instanceof ScalarNode s && s.getTag().equals(Tag.INT)) {
      try {
        long v = Long.parseLong(s.getValue().replace("_", ""));
        if (v < min || v > max) {
          problem(node, where + " must be between " + min + " and " + max + ", not " + v);
          return null;
        }
        return (int) v;
      } catch (NumberFormatException e) {
        problem(
            node,
            where
                + " must be a whole number between "
                + min
                + " and "
                + max
                + ", not '"
                + shorten(s.getValue())
                + "'");
        return null;
      }
    }
    problem(node, where + " must be a whole number, not " + describe(node));
    return null;
  }

  /** true or false; null after a problem. */
  Boolean bool(Node node, String where) {
    if (node instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) {
      return switch (s.getValue().toLowerCase(Locale.ROOT)) {
        case "true", "yes", "on", "y" -> true;
        default -> false;
      };
    }
    problem(node, where + " must be true or false, not " + describe(node));
    return null;
  }

  /** The items of a list; null after a problem. */
  List<Node> list(Node node, String where) {
    if (node instanceof SequenceNode seq) {
      return seq.getValue();
    }
    problem(node, where + " must be a list, not " + describe(node));
    return null;
  }

  /** What a node is, for a message; never walks into it. */
  static String describe(Node node) {
    if (node == null) {
      return "nothing";
    }
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    if (node instanceof ScalarNode s) {
      Tag tag = s.getTag();
      if (tag.equals(Tag.NULL)) {
        return "nothing (null)";
      }
      if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
        return "the number " + shorten(s.getValue());
      }
      if (tag.equals(Tag.BOOL)) {
        return "the boolean " + shorten(s.getValue());
      }
      return "text '" + shorten(s.getValue()) + "'";
    }
    return "an alias";
  }

  /** A value cut for a message: at most 40 characters, control characters shown as '?'. */
  static String shorten(String s) {
    String t = s.length() <= 40 ? s : s.substring(0, 39) + "…";
    StringBuilder out = new StringBuilder(t.length());
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      out.append(Character.isISOControl(c) ? '?' : c);
    }
    return out.toString();
  }

  /**
   * The known name closest to {@code name}: same letters ignoring case and underscores/dashes
   * ({@code expectedOutput} → {@code expected_output}), else at most a couple of edits away
   * (transpositions count once), else null.
   */
  static String closest(String name, Collection<String> known) {
    if (name.length() > 64) {
      return null;
    }
    String norm = normalize(name);
    for (String k : known) {
      if (normalize(k).equals(norm)) {
        return k;
      }
    }
    for (String k : known) {
      if (norm.length() >= 4 && normalize(k).startsWith(norm)) {
        return k; // maxlen → maxLength
      }
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    int limit = Math.max(1, Math.min(3, name.length() / 3));
    for (String k : known) {
      int d = distance(name.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
      if (d <= limit && d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return best;
  }

  private static String normalize(String s) {
    return s.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
  }

  /** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
