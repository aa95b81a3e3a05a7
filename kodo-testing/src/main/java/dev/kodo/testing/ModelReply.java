package dev.kodo.testing;

import dev.kodo.client.Check;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link ScriptedModelServer} answers to one chat completion request: a text, one or more
 * tool calls, an error status, or a 429 "rate limited" answer, optionally after a delay.
 *
 * <pre>{@code
 * ModelReply.text("Four facts about ACME").usage(12, 5);
 * ModelReply.toolCall("calculator", "{\"expression\":\"2+2\"}");
 * ModelReply.rateLimited(Duration.ofSeconds(1));      // 429, Retry-After: 1, retry-after-ms: 1000
 * ModelReply.error(503, "overloaded").delay(Duration.ofMillis(200));
 * }</pre>
 *
 * <p>A streaming request ({@code "stream": true}) gets the same answer as server-sent chunks: the
 * text word by word, each tool call's arguments in pieces, a last chunk with the finish reason and
 * the usage, then {@code data: [DONE]}. Errors and 429s are never streamed: they answer with their
 * status and an OpenAI error body, as OpenAI does.
 *
 * <p>Tool call arguments are sent as given, without checking that they are JSON: a test may script
 * a model that answers broken arguments.
 *
 * <p>Immutable: every method returns a new reply.
 */
public final class ModelReply {
  /** One tool call the model asks for: the tool's name and its arguments (JSON text). */
  public record ToolCall(String name, String arguments) {
    /** Checks the name (not blank) and that arguments are given ({@code ""} is allowed). */
    public ToolCall {
      Check.notBlank(name, "tool name");
      Check.notNull(arguments, "tool arguments");
    }
  }

  private final String text;
  private final List<ToolCall> toolCalls;
  private final int status;
  private final String errorMessage;
  private final Duration retryAfter;
  private final Duration delay;
  private final Duration chunkDelay;
  private final Integer inputTokens;
  private final Integer outputTokens;
  private final String finishReason;

  private ModelReply(
      String text,
      List<ToolCall> toolCalls,
      int status,
      String errorMessage,
      Duration retryAfter,
      Duration delay,
      Duration chunkDelay,
      Integer inputTokens,
      Integer outputTokens,
      String finishReason) {
    this.text = text;
    this.toolCalls = toolCalls;
    this.status = status;
    this.errorMessage = errorMessage;
    this.retryAfter = retryAfter;
    this.delay = delay;
    this.chunkDelay = chunkDelay;
    this.inputTokens = inputTokens;
    this.outputTokens = outputTokens;
    this.finishReason = finishReason;
  }

  private static ModelReply answer(String text, List<ToolCall> toolCalls) {
    return new ModelReply(
        text, toolCalls, 200, null, null, Duration.ZERO, Duration.ZERO, null, null, null);
  }

  /** An assistant message with this text; finish reason {@code stop}. */
  public static ModelReply text(String text) {
    return answer(Check.notNull(text, "text"), List.of());
  }

  /**
   * An assistant message asking for one tool call; finish reason {@code tool_calls}.
   *
   * @param arguments the call's arguments as JSON text, e.g. {@code {"expression":"2+2"}}
   */
  public static ModelReply toolCall(String name, String arguments) {
    return answer(null, List.of(new ToolCall(name, arguments)));
  }

  /** An assistant message asking for several tool calls at once (parallel tool calls). */
  public static ModelReply toolCalls(ToolCall... calls) {
    Check.notNull(calls, "tool calls");
    Check.that(calls.length > 0, "tool calls cannot be empty");
    for (ToolCall call : calls) {
      Check.notNull(call, "tool call");
    }
    return answer(null, List.of(calls));
  }

  /** A tool call for {@link #toolCalls(ToolCall...)}. */
  public static ToolCall call(String name, String arguments) {
    return new ToolCall(name, arguments);
  }

  /**
   * A 429 answer asking the client to wait {@code retryAfter}: headers {@code Retry-After} (whole
   * seconds, rounded up) and {@code retry-after-ms}, and an OpenAI error body of type {@code
   * requests} and code {@code rate_limit_exceeded}.
   */
  public static ModelReply rateLimited(Duration retryAfter) {
    Check.notNull(retryAfter, "retry after");
    Check.that(!retryAfter.isNegative(), "retry after cannot be negative: " + retryAfter);
    return new ModelReply(
        null,
        List.of(),
        429,
        "Rate limit reached (scripted); retry after " + retryAfter.toMillis() + " ms",
        retryAfter,
        Duration.ZERO,
        Duration.ZERO,
        null,
        null,
        null);
  }

  /**
   * An error answer: this HTTP status (400 to 599) and an OpenAI error body {@code
   * {"error":{"message":…,"type":…}}}, the type following the status ({@code
   * invalid_request_error}, {@code authentication_error}, {@code permission_error}, {@code
   * not_found_error}, {@code rate_limit_error}, {@code server_error}).
   */
  public static ModelReply error(int status, String message) {
    Check.that(status >= 400 && status <= 599, "error status must be 400 to 599, not " + status);
    Check.notNull(message, "error message");
    return new ModelReply(
        null, List.of(), status, message, null, Duration.ZERO, Duration.ZERO, null, null, null);
  }

  /**
   * This reply, sent after waiting {@code delay}. {@link ScriptedModelServer#close()} cuts the
   * wait: the connection is closed without an answer.
   */
  public ModelReply delay(Duration delay) {
    return new ModelReply(
        text,
        toolCalls,
        status,
        errorMessage,
        retryAfter,
        nonNegative(delay, "delay"),
        chunkDelay,
        inputTokens,
        outputTokens,
        finishReason);
  }

  /** This reply, waiting {@code chunkDelay} between two chunks when streamed. */
  public ModelReply chunkDelay(Duration chunkDelay) {
    return new ModelReply(
        text,
        toolCalls,
        status,
        errorMessage,
        retryAfter,
        delay,
        nonNegative(chunkDelay, "chunk delay"),
        inputTokens,
        outputTokens,
        finishReason);
  }

  /**
   * This reply, reporting this usage ({@code prompt_tokens}, {@code completion_tokens} and their
   * sum as {@code total_tokens}). Without it the server estimates both as a quarter of the
   * characters of the request's messages and of the answer (at least 1).
   */
  public ModelReply usage(int inputTokens, int outputTokens) {
    Check.that(inputTokens >= 0, "input tokens cannot be negative: " + inputTokens);
    Check.that(outputTokens >= 0, "output tokens cannot be negative: " + outputTokens);
    return new ModelReply(
        text,
        toolCalls,
        status,
        errorMessage,
        retryAfter,
        delay,
        chunkDelay,
        inputTokens,
        outputTokens,
        finishReason);
  }

  /**
   * This reply with another finish reason, e.g. {@code length} for an answer cut at the token limit
   * or {@code content_filter}.
   */
  public ModelReply finishReason(String finishReason) {
    return new ModelReply(
        text,
        toolCalls,
        status,
        errorMessage,
        retryAfter,
        delay,
        chunkDelay,
        inputTokens,
        outputTokens,
        Check.notBlank(finishReason, "finish reason"));
  }

  private static Duration nonNegative(Duration d, String name) {
    Check.notNull(d, name);
    Check.that(!d.isNegative(), name + " cannot be negative: " + d);
    return d;
  }

  /** The answer's text, if it has one (a tool call answer has none). */
  Optional<String> answerText() {
    return Optional.ofNullable(text);
  }

  /** The tool calls the answer asks for, empty if none. */
  List<ToolCall> calls() {
    return toolCalls;
  }

  /** The HTTP status: 200 for an answer, else the error's or 429. */
  int status() {
    return status;
  }

  /** The wait before answering. */
  Duration delay() {
    return delay;
  }

  /** The wait between two streamed chunks. */
  Duration chunkDelay() {
    return chunkDelay;
  }

  /** The 429's wait, if this is a rate-limited reply. */
  Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  String errorMessage() {
    return errorMessage;
  }

  Integer inputTokens() {
    return inputTokens;
  }

  Integer outputTokens() {
    return outputTokens;
  }

  /** The finish reason sent: the one set, else {@code tool_calls} or {@code stop}. */
  String finishReason() {
    if (finishReason != null) {
      return finishReason;
    }
    return toolCalls.isEmpty() ? "stop" : "tool_calls";
  }

  boolean isError() {
    return status != 200;
  }

  /**
   * This answer with this text besides its tool calls (some models say something while calling a
   * tool).
   */
  public ModelReply withText(String text) {
    Check.notNull(text, "text");
    Check.that(!isError(), "an error reply has no text");
    return new ModelReply(
        text,
        toolCalls,
        status,
        errorMessage,
        retryAfter,
        delay,
        chunkDelay,
        inputTokens,
        outputTokens,
        finishReason);
  }

  @Override
  public String toString() {
    if (status == 429) {
      return "rate limited (retry after " + retryAfter.toMillis() + " ms)";
    }
    if (isError()) {
      return "error " + status + " \"" + errorMessage + "\"";
    }
    List<String> parts = new ArrayList<>();
    if (text != null) {
      parts.add("text \"" + ScriptedRequest.shorten(text, 60) + "\"");
    }
    for (ToolCall call : toolCalls) {
      parts.add("tool call " + call.name() + " " + ScriptedRequest.shorten(call.arguments(), 60));
    }
    return String.join(", ", parts);
  }
}
