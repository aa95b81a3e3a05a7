package dev.kodo.sdk;

/**
 * A result of a flow: the final one it returns, or an intermediate one it emits with {@link
 * FlowContext#result(Result)}. Either Markdown text or any JSON-able value.
 */
public record Result(Format format, Object body) {

  /** How a result's body is to be read and shown. */
  public enum Format {
    MARKDOWN,
    JSON
  }

  public Result {
    Require.notNull(format, "format");
    if (format == Format.MARKDOWN) {
      Require.that(body instanceof String, "a Markdown result needs a String body");
    }
  }

  public static Result markdown(String markdown) {
    return new Result(Format.MARKDOWN, Require.notNull(markdown, "markdown"));
  }

  /** A JSON result: records, maps, lists, strings, numbers and booleans are all fine. */
  public static Result json(Object value) {
    return new Result(Format.JSON, value);
  }
}
