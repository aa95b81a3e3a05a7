package dev.kodo.cli;

import dev.kodo.client.ListOptions;
import dev.kodo.client.Page;
import picocli.CommandLine.Option;

/**
 * The list options of {@code koco nodes} and {@code koco flows}: search, filter, page and order.
 */
final class ListArgs {
  static final int MAX_PER_PAGE = 1000;

  @Option(
      names = {"-s", "--search"},
      paramLabel = "GLOB",
      description =
          "Only those whose text (name, description, author, tags, …) matches, e.g. 'report' or 'mark*'.")
  String search;

  @Option(
      names = {"-q", "--query"},
      paramLabel = "FILTER",
      description =
          "Only those the registry's filter selects, e.g. 'online and tags contains \"finance\"' or 'release >= \"2.0.0\"'.")
  String query;

  @Option(
      names = {"-p", "--page"},
      paramLabel = "N",
      description = "The page, from 0 (default: 0).")
  Integer page;

  @Option(
      names = "--per-page",
      paramLabel = "N",
      description = "How many per page, 1 to 1000 (default: 100; a node's flows: 1000).")
  Integer perPage;

  @Option(
      names = "--by",
      paramLabel = "ORDER",
      description = "The order, e.g. 'name desc' or 'node, path' (fields, each with asc or desc).")
  String by;

  /** What the registry is asked for; a usage error for a page or page size out of range. */
  ListOptions options() {
    check();
    return new ListOptions(search, query, page, perPage, by);
  }

  void check() {
    checkPage(page, perPage);
  }

  /**
   * The one rule for {@code --page} and {@code --per-page} of every list command: a usage error for
   * a page below 0 or a page size outside 1 to {@value #MAX_PER_PAGE} (null: not given).
   */
  static void checkPage(Integer page, Integer perPage) {
    if (page != null && page < 0) {
      throw CliException.usage("--page must be 0 or more, not " + page);
    }
    if (perPage != null && (perPage < 1 || perPage > MAX_PER_PAGE)) {
      throw CliException.usage(
          "--per-page must be between 1 and " + MAX_PER_PAGE + ", not " + perPage);
    }
  }

  boolean filtered() {
    return !blank(search) || !blank(query);
  }

  /**
   * The line under a list: how many there are, how many match, and how to see the next page, e.g.
   * {@code 3 of 12 flows match 'report'} or {@code 250 nodes (1–100 shown; --page 1 for more)}.
   */
  String summary(Page<?> list, String noun) {
    String line =
        filtered()
            ? list.filtered() + " of " + plural(list.total(), noun) + " match" + searched()
            : plural(list.total(), noun);
    int shown = list.items().size();
    if (shown < list.filtered()) {
      long from = (long) list.p() * list.pp() + 1;
      long to = from + shown - 1;
      line +=
          " ("
              + from
              + "–"
              + to
              + " shown"
              + (to < list.filtered() ? "; --page " + (list.p() + 1) + " for more" : "")
              + ")";
    }
    return line;
  }

  /** What to say when the page is empty. */
  String none(Page<?> list, String noun, String nothingAtAll) {
    if (list.filtered() > 0) {
      return "no " + noun + "s on page " + list.p() + " (there are " + list.filtered() + ")";
    }
    return filtered()
        ? "no " + noun + " matches" + searched() + " (of " + list.total() + ")"
        : nothingAtAll;
  }

  /** The search, quoted, when it alone selects. */
  private String searched() {
    return blank(query) && !blank(search) ? " '" + search + "'" : "";
  }

  static String plural(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
