package dev.kodo.ui.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Markdown from flows renders, and nothing in it can run or load in the page. */
class MarkdownTest {
  private final Markdown markdown = new Markdown();

  @Test
  void rendersMarkdown() {
    assertThat(markdown.html("# Title\n\n**bold** and [a link](https://example.org)"))
        .contains("<h1>Title</h1>")
        .contains("<strong>bold</strong>")
        .contains("href=\"https://example.org\"");
  }

  @Test
  void rawHtmlShowsAsText() {
    String html = markdown.html("before <script>alert(1)</script> <img src=x onerror=alert(2)>");
    assertThat(html).doesNotContain("<script").doesNotContain("<img").contains("&lt;script&gt;");
  }

  @Test
  void dropsScriptLinksHandlersAndImages() {
    String html =
        markdown.html("[click](javascript:alert(1)) ![pixel](https://tracker.example/p.png)");
    assertThat(html).doesNotContain("javascript:").doesNotContain("<img").doesNotContain("onerror");
  }
}
