package dev.kodo.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * One chat completion request a {@link ScriptedModelServer} received, as steps match it and as
 * {@link ScriptedModelServer#requests()} returns it.
 *
 * @param number the request's number on its server, from 1, in the order requests arrived
 * @param model the {@code model} the client asked for
 * @param stream whether the client asked for a streamed answer ({@code "stream": true})
 * @param messages the conversation sent, in order
 * @param tools the names of the tools (functions) the client offered
 * @param json the request body as received
 */
public record ScriptedRequest(
    int number,
    String model,
    boolean stream,
    List<Message> messages,
    List<String> tools,
    String json) {

  /**
   * One message of the conversation.
   *
   * @param role {@code system}, {@code user}, {@code assistant} or {@code tool}
   * @param content its text (the text parts joined when sent as parts), {@code ""} if none
   * @param toolCalls for an assistant message, the names of the tools it called
   * @param toolCallId for a tool message, the id of the call it answers
   */
  public record Message(String role, String content, List<String> toolCalls, String toolCallId) {}

  /** Every message's text, one message a line; what {@link ModelStep#containing} searches. */
  public String text() {
    StringBuilder out = new StringBuilder();
    for (Message m : messages) {
      if (!out.isEmpty()) {
        out.append('\n');
      }
      out.append(m.content());
    }
    return out.toString();
  }

  /** Whether any message contains {@code text}. */
  public boolean contains(String text) {
    return messages.stream().anyMatch(m -> m.content().contains(text));
  }

  /** The last message of the conversation, if any. */
  public Optional<Message> lastMessage() {
    return messages.isEmpty() ? Optional.empty() : Optional.of(messages.getLast());
  }

  /** The last {@code user} message's text, if any. */
  public Optional<String> lastUserMessage() {
    for (Message m : messages.reversed()) {
      if (m.role().equals("user")) {
        return Optional.of(m.content());
      }
    }
    return Optional.empty();
  }

  /** The results of tool calls sent back to the model ({@code tool} messages), in order. */
  public List<String> toolResults() {
    return messages.stream().filter(m -> m.role().equals("tool")).map(Message::content).toList();
  }

  /** A one-line summary for error messages: model, stream, last message. */
  public String summary() {
    String last =
        lastMessage()
            .map(m -> ", last message (" + m.role() + ") \"" + shorten(m.content(), 120) + "\"")
            .orElse(", no messages");
    return "model " + model + (stream ? ", streamed" : "") + last;
  }

  /** Reads a request body already known to be a JSON object with model and messages. */
  static ScriptedRequest of(int number, JsonNode body, String json) {
    List<Message> messages = new ArrayList<>();
    for (JsonNode m : body.path("messages")) {
      List<String> calls = new ArrayList<>();
      for (JsonNode call : m.path("tool_calls")) {
        calls.add(call.path("function").path("name").asString(""));
      }
      messages.add(
          new Message(
              m.path("role").asString(""),
              content(m.path("content")),
              List.copyOf(calls),
              m.path("tool_call_id").isString() ? m.path("tool_call_id").asString() : null));
    }
    List<String> tools = new ArrayList<>();
    for (JsonNode tool : body.path("tools")) {
      tools.add(tool.path("function").path("name").asString(""));
    }
    return new ScriptedRequest(
        number,
        body.path("model").asString(""),
        body.path("stream").asBoolean(false),
        List.copyOf(messages),
        List.copyOf(tools),
        json);
  }

  /** A message's content: a string, or an array of parts whose text parts are joined. */
  private static String content(JsonNode content) {
    if (content.isString()) {
      return content.asString();
    }
    if (content.isArray()) {
      StringBuilder out = new StringBuilder();
      for (JsonNode part : content) {
        if (part.path("text").isString()) {
          out.append(part.path("text").asString());
        }
      }
      return out.toString();
    }
    return "";
  }

  static String shorten(String s, int max) {
    String one = s.replace('\n', ' ').replace('\r', ' ');
    return one.length() <= max ? one : one.substring(0, max) + "…";
  }
}
