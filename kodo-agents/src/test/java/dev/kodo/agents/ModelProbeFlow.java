package dev.kodo.agents;

import dev.kodo.sdk.CancelledException;
import dev.kodo.sdk.Flow;
import dev.kodo.sdk.FlowContext;
import dev.kodo.sdk.FlowSpec;
import dev.kodo.sdk.Form;
import dev.kodo.sdk.Result;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** A flow for these tests: asks the configured model once, plainly or streaming. */
public final class ModelProbeFlow implements Flow {

  @Override
  public FlowSpec spec() {
    return FlowSpec.builder("Model probe")
        .inputs(
            Form.builder()
                .text("mode", f -> f.defaultValue("chat"))
                .text("model", f -> f.defaultValue("default")))
        .build();
  }

  @Override
  public Result run(FlowContext ctx) {
    String model = ctx.inputs().text("model");
    if (ctx.inputs().text("mode").equals("stream")) {
      CompletableFuture<String> answer = new CompletableFuture<>();
      Models.streaming(ctx, model)
          .chat(
              "hello",
              new StreamingChatResponseHandler() {
                @Override
                public void onCompleteResponse(ChatResponse response) {
                  answer.complete(response.aiMessage().text());
                }

                @Override
                public void onError(Throwable error) {
                  answer.completeExceptionally(error);
                }
              });
      try {
        return Result.markdown(answer.get());
      } catch (InterruptedException e) {
        throw new CancelledException(ctx.fid());
      } catch (ExecutionException e) {
        throw (RuntimeException) e.getCause();
      }
    }
    return Result.markdown(Models.chat(ctx, model).chat("hello"));
  }
}
