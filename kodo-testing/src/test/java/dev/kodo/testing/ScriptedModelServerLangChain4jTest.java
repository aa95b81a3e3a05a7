package dev.kodo.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.FinishReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The scripted model server spoken to by LangChain4j's real OpenAI client, as crews and Java flows
 * will: what the client makes of each kind of reply.
 */
@Timeout(60)
class ScriptedModelServerLangChain4jTest {
  private static final String KEY = "sk-test-not-a-real-key";

  private final ScriptedModelServer models = ScriptedModelServer.start();

  @AfterEach
  void close() {
    models.close();
  }

  private OpenAiChatModel chatModel(int maxRetries) {
    return OpenAiChatModel.builder()
        .baseUrl(models.baseUrl())
        .apiKey(KEY)
        .modelName("gpt-4o-mini")
        .maxRetries(maxRetries)
        .timeout(Duration.ofSeconds(30))
        .build();
  }

  private OpenAiStreamingChatModel streamingModel() {
    return OpenAiStreamingChatModel.builder()
        .baseUrl(models.baseUrl())
        .apiKey(KEY)
        .modelName("gpt-4o-mini")
        .timeout(Duration.ofSeconds(30))
        .build();
  }

  private static final ToolSpecification CALCULATOR =
      ToolSpecification.builder()
          .name("calculator")
          .description("Evaluates an arithmetic expression")
          .parameters(
              JsonObjectSchema.builder()
                  .addStringProperty("expression")
                  .required("expression")
                  .build())
          .build();

  /** Collects a streamed answer: the partial texts and the final response or the error. */
  private static final class Collector implements StreamingChatResponseHandler {
    final List<String> partials = new CopyOnWriteArrayList<>();
    final CompletableFuture<ChatResponse> done = new CompletableFuture<>();

    @Override
    public void onPartialResponse(String partial) {
      partials.add(partial);
    }

    @Override
    public void onCompleteResponse(ChatResponse response) {
      done.complete(response);
    }

    @Override
    public void onError(Throwable error) {
      done.completeExceptionally(error);
    }
  }

  @Test
  void answersTextWithUsage() {
    models
        .requireApiKey(KEY)
        .expect(
            ModelStep.containing("Study ACME")
                .model("gpt-4o-mini")
                .reply(ModelReply.text("4 facts").usage(12, 5)));

    ChatResponse response =
        chatModel(0)
            .chat(
                ChatRequest.builder()
                    .messages(SystemMessage.from("You research."), UserMessage.from("Study ACME"))
                    .build());

    assertThat(response.aiMessage().text()).isEqualTo("4 facts");
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(12);
    assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(5);
    assertThat(response.tokenUsage().totalTokenCount()).isEqualTo(17);
    ScriptedRequest request = models.requests().getFirst();
    assertThat(request.model()).isEqualTo("gpt-4o-mini");
    assertThat(request.lastUserMessage()).hasValue("Study ACME");
    assertThat(request.json()).doesNotContain(KEY);
    models.verify();
  }

  @Test
  void roundTripsAToolCall() {
    models.expect(
        ModelStep.containing("What is 2+2?")
            .reply(ModelReply.toolCall("calculator", "{\"expression\":\"2+2\"}").usage(20, 8)));
    models.expect(
        ModelStep.matching(
                "a request carrying the calculator's result", r -> r.toolResults().contains("4"))
            .reply(ModelReply.text("2+2 is 4.")));
    OpenAiChatModel model = chatModel(0);
    List<ChatMessage> conversation = new ArrayList<>(List.of(UserMessage.from("What is 2+2?")));

    ChatResponse first =
        model.chat(
            ChatRequest.builder().messages(conversation).toolSpecifications(CALCULATOR).build());

    assertThat(first.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
    AiMessage call = first.aiMessage();
    assertThat(call.toolExecutionRequests()).hasSize(1);
    ToolExecutionRequest request = call.toolExecutionRequests().getFirst();
    assertThat(request.name()).isEqualTo("calculator");
    assertThat(request.arguments()).isEqualTo("{\"expression\":\"2+2\"}");
    assertThat(request.id()).isNotBlank();
    conversation.add(call);
    conversation.add(ToolExecutionResultMessage.from(request, "4"));

    ChatResponse second =
        model.chat(
            ChatRequest.builder().messages(conversation).toolSpecifications(CALCULATOR).build());

    assertThat(second.aiMessage().text()).isEqualTo("2+2 is 4.");
    List<ScriptedRequest> requests = models.requests();
    assertThat(requests.getFirst().tools()).containsExactly("calculator");
    ScriptedRequest.Message echoed = requests.get(1).messages().get(1);
    assertThat(echoed.role()).isEqualTo("assistant");
    assertThat(echoed.toolCalls()).containsExactly("calculator");
    assertThat(requests.get(1).messages().get(2).toolCallId()).isEqualTo(request.id());
    models.verify();
  }

  @Test
  void streamsTextAndReportsUsage() throws Exception {
    models.expect(
        ModelStep.any()
            .reply(ModelReply.text("Kodo streams this answer word by word.").usage(40, 9)));
    Collector collector = new Collector();

    streamingModel().chat("Tell me something", collector);

    ChatResponse response = collector.done.get();
    assertThat(response.aiMessage().text()).isEqualTo("Kodo streams this answer word by word.");
    assertThat(collector.partials).hasSize(7);
    assertThat(String.join("", collector.partials))
        .isEqualTo("Kodo streams this answer word by word.");
    assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(40);
    assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(9);
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(models.requests().getFirst().stream()).isTrue();
    models.verify();
  }

  @Test
  void streamsToolCalls() throws Exception {
    models.expect(
        ModelStep.any()
            .reply(
                ModelReply.toolCalls(
                    ModelReply.call("calculator", "{\"expression\":\"(1+2)*3\"}"),
                    ModelReply.call("calculator", "{\"expression\":\"7-5\"}"))));
    Collector collector = new Collector();

    streamingModel()
        .chat(
            ChatRequest.builder()
                .messages(UserMessage.from("Compute both"))
                .toolSpecifications(CALCULATOR)
                .build(),
            collector);

    ChatResponse response = collector.done.get();
    assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
    assertThat(response.aiMessage().toolExecutionRequests())
        .extracting(ToolExecutionRequest::arguments)
        .containsExactly("{\"expression\":\"(1+2)*3\"}", "{\"expression\":\"7-5\"}");
    assertThat(response.tokenUsage().totalTokenCount()).isPositive();
  }

  @Test
  void aRateLimitReachesTheClientWithTheWaitAndItsOwnRetrySucceeds() {
    models.expect(ModelStep.any().reply(ModelReply.rateLimited(Duration.ofMillis(1500))));
    models.expect(ModelStep.any().reply(ModelReply.rateLimited(Duration.ofMillis(100))));
    models.expect(ModelStep.any().reply(ModelReply.text("after the wait")));

    assertThatThrownBy(() -> chatModel(0).chat("hello"))
        .isInstanceOf(RateLimitException.class)
        .hasMessageContaining("Please try again in 1.5s.");
    assertThat(chatModel(1).chat("hello")).isEqualTo("after the wait");
    assertThat(models.requestCount()).isEqualTo(3);
    models.verify();
  }

  @Test
  void anErrorStatusReachesTheClientWithTheProvidersMessage() {
    models.expect(ModelStep.any().reply(ModelReply.error(500, "The server had an error")));
    models.expect(ModelStep.any().reply(ModelReply.error(400, "context_length_exceeded")));
    Collector collector = new Collector();

    assertThatThrownBy(() -> chatModel(0).chat("hello"))
        .hasMessageContaining("The server had an error")
        .hasRootCauseInstanceOf(HttpException.class)
        .rootCause()
        .satisfies(e -> assertThat(((HttpException) e).statusCode()).isEqualTo(500));
    streamingModel().chat("hello", collector);
    assertThatThrownBy(collector.done::get).hasMessageContaining("context_length_exceeded");
    models.verify();
  }

  @Test
  void aDroppedConnectionFailsTheCall() {
    models.expect(ModelStep.any().reply(ModelReply.dropConnection()));
    models.expect(ModelStep.any().reply(ModelReply.text("back")));

    assertThatThrownBy(() -> chatModel(0).chat("hello")).isNotInstanceOf(HttpException.class);
    assertThat(chatModel(0).chat("hello")).isEqualTo("back");
    models.verify();
  }

  @Test
  void anUnexpectedRequestFailsTheCallAndVerifyNamesIt() {
    models.expect(ModelStep.containing("Study ACME").reply(ModelReply.text("facts")));

    assertThatThrownBy(() -> chatModel(0).chat("Write the report"))
        .hasMessageContaining("unexpected request #1")
        .hasMessageContaining("expected step 1");
    assertThatThrownBy(models::verify)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("last message (user) \"Write the report\"")
        .hasMessageContaining("a request with a message containing \"Study ACME\"");
  }

  @Test
  void closingDuringADelayedReplyFailsTheCallInsteadOfHangingIt() throws Exception {
    models.always(ModelReply.text("too late").delay(Duration.ofMinutes(10)));
    CompletableFuture<String> call =
        CompletableFuture.supplyAsync(() -> chatModel(0).chat("hello"));
    Collector collector = new Collector();
    streamingModel().chat("hello", collector);
    while (models.requestCount() < 2) {
      Thread.sleep(5);
    }

    models.close();

    assertThatThrownBy(call::get).isNotNull();
    assertThatThrownBy(collector.done::get).isNotNull();
  }
}
