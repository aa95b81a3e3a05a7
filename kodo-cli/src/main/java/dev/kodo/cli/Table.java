package dev.kodo.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A plain text table: a header row and columns as wide as their widest cell. Not thread-safe. */
final class Table {
  private final String[] headers;
  private final List<String[]> rows = new ArrayList<>();

  Table(String... headers) {
    this.headers = headers;
  }

  Table row(Object... cells) {
    String[] r = new String[headers.length];
    for (int i = 0; i < r.length; i++) {
      Object c = i < cells.length ? cells[i] : null;
      r[i] = c == null ? "" : c.toString().replace('\n', ' ');
    }
    rows.add(r);
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(PrintWriter out, String indent) {
    int[] width = new int[headers.length];
    for (int i = 0; i < headers.length; i++) {
      width[i] = headers[i].length();
    }
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    line(out, indent, headers, width);
    for (String[] r : rows) {
      line(out, indent, r, width);
    }
  }

  private static void line(PrintWriter out, String indent, String[] cells, int[] width) {
    StringBuilder s = new StringBuilder(indent);
    for (int i = 0; i < cells.length; i++) {
      s.append(cells[i]);
      if (i < cells.length - 1) {
        s.append(" ".repeat(width[i] - cells[i].length() + 2));
      }
    }
    out.println(s.toString().stripTrailing());
  }

  @Override
  public String toString() {
    return Arrays.toString(headers) + " x " + rows.size();
  }
}
