package dev.kodo.ui.internal;

import java.util.List;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.jsoup.Jsoup;
import org.jsoup.safety.Safelist;
import org.springframework.stereotype.Component;

/**
 * Markdown from flows and people as HTML that runs nothing (docs/ui.md#security): commonmark
 * renders it with raw HTML escaped (so a {@code <script>} shows as text) and unsafe link schemes
 * dropped, then jsoup keeps only a safelist of elements and attributes (no event handlers, no
 * styles, links http, https and mailto only). Thread-safe.
 */
@Component
public final class Markdown {
  private final Parser parser;
  private final HtmlRenderer renderer;
  private final Safelist safelist;

  public Markdown() {
    var extensions = List.of(TablesExtension.create());
    this.parser = Parser.builder().extensions(extensions).build();
    this.renderer =
        HtmlRenderer.builder().extensions(extensions).escapeHtml(true).sanitizeUrls(true).build();
    this.safelist =
        Safelist.relaxed()
            .removeTags("img")
            .addProtocols("a", "href", "http", "https", "mailto")
            .addAttributes("a", "rel")
            .preserveRelativeLinks(false);
  }

  /** The sanitised HTML of a Markdown text. */
  public String html(String markdown) {
    if (markdown == null || markdown.isEmpty()) return "";
    String raw = renderer.render(parser.parse(markdown));
    return Jsoup.clean(raw, safelist);
  }
}
