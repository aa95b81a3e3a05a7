package dev.kodo.client.access;

/**
 * What a grant is on (docs/security.md#resources): {@code node://{node}} and {@code
 * flow://{node}/{path}}. In a grant's resource, {@code *} matches any run of characters within its
 * part: in the node part it never crosses a {@code /}; in the flow path it matches anything (a flow
 * path is one segment even when it holds a {@code /}, as a crew file's path may). So {@code
 * flow://*}{@code /*} is every flow of every node and {@code flow://local/dev.kodo.examples.*}
 * every example flow of the node {@code local}. No regular expression: matching is linear.
 */
public final class Resources {
  private Resources() {}

  public static final String NODE = "node://";
  public static final String FLOW = "flow://";

  public static String node(String node) {
    return NODE + node;
  }

  public static String flow(String node, String path) {
    return FLOW + node + "/" + path;
  }

  /**
   * The reason {@code pattern} is not a resource (pattern), or {@code null}: {@code node://N} or
   * {@code flow://N/P} with non-empty parts, at most 512 characters, no control characters.
   */
  public static String problem(String pattern) {
    if (pattern == null || pattern.isBlank()) return "is required";
    if (pattern.length() > 512) return "is longer than 512 characters";
    for (int i = 0; i < pattern.length(); i++) {
      if (Character.isISOControl(pattern.charAt(i))) return "holds a control character";
    }
    if (pattern.startsWith(NODE)) {
      String node = pattern.substring(NODE.length());
      return node.isEmpty() || node.contains("/") ? "must be node://{node}" : null;
    }
    if (pattern.startsWith(FLOW)) {
      String rest = pattern.substring(FLOW.length());
      int slash = rest.indexOf('/');
      return slash <= 0 || slash == rest.length() - 1 ? "must be flow://{node}/{path}" : null;
    }
    return "must start with node:// or flow://";
  }

  /** Whether the grant resource {@code pattern} covers the concrete {@code resource}. */
  public static boolean matches(String pattern, String resource) {
    if (pattern.startsWith(NODE) && resource.startsWith(NODE)) {
      return wildcard(pattern.substring(NODE.length()), resource.substring(NODE.length()), false);
    }
    if (pattern.startsWith(FLOW) && resource.startsWith(FLOW)) {
      String p = pattern.substring(FLOW.length());
      String r = resource.substring(FLOW.length());
      int ps = p.indexOf('/');
      int rs = r.indexOf('/');
      if (ps < 0 || rs < 0) return false;
      return wildcard(p.substring(0, ps), r.substring(0, rs), false)
          && wildcard(p.substring(ps + 1), r.substring(rs + 1), true);
    }
    return false;
  }

  /**
   * Whether {@code text} matches {@code glob} where {@code *} is any run of characters (never a
   * {@code /} unless {@code slashes}); greedy with one back-track point, so linear-ish and never
   * exponential.
   */
  static boolean wildcard(String glob, String text, boolean slashes) {
    int g = 0;
    int t = 0;
    int star = -1;
    int mark = 0;
    while (t < text.length()) {
      if (g < glob.length() && glob.charAt(g) == '*') {
        star = g++;
        mark = t;
      } else if (g < glob.length() && glob.charAt(g) == text.charAt(t)) {
        g++;
        t++;
      } else if (star >= 0 && (slashes || text.charAt(mark) != '/')) {
        g = star + 1;
        t = ++mark;
      } else {
        return false;
      }
    }
    while (g < glob.length() && glob.charAt(g) == '*') g++;
    return g == glob.length();
  }
}
