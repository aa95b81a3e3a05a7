package dev.kodo.agents.internal;

import dev.kodo.sdk.CancelledException;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.List;
import java.util.Set;

/**
 * A {@link StreamingChatModel} whose calls Kodo observes ({@link ModelCalls}): the streamed text
 * goes to the caller's handler token by token and into the run as a few coalesced {@code stdout}
 * events ({@link StreamCoalescer}); the answer is one {@code action} event. A 429, 5xx or
 * connection failure before the first token is tried again (after the same waits as a plain call);
 * once text has streamed, a failure is not retried (the caller has seen part of an answer). A kill
 * cancels the stream at its next token and fails the handler with {@link CancelledException}.
 */
final class ObservedStreamingChatModel implements StreamingChatModel {
  private final StreamingChatModel delegate;
  private final ModelCalls calls;

  ObservedStreamingChatModel(StreamingChatModel delegate, ModelCalls calls) {
    this.delegate = delegate;
    this.calls = calls;
  }

  @Override
  public void chat(ChatRequest request, StreamingChatResponseHandler handler) {
    chat(request, null, handler);
  }

  @Override
  public void chat(
      ChatRequest request, ChatRequestOptions options, StreamingChatResponseHandler handler) {
    attempt(request, options, handler, calls.agent(), 1);
  }

  @Override
  public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
    chat(request, null, handler);
  }

  private void attempt(
      ChatRequest request,
      ChatRequestOptions options,
      StreamingChatResponseHandler handler,
      String who,
      int attempt) {
    if (calls.cancelled()) {
      handler.onError(new CancelledException(calls.context().fid()));
      return;
    }
    Observer observer = new Observer(request, options, handler, who, attempt);
    try {
      if (options == null) {
        delegate.chat(request, observer);
      } else {
        delegate.chat(request, options, observer);
      }
    } catch (RuntimeException e) {
      observer.onError(e);
    }
  }

  @Override
  public ChatRequestParameters defaultRequestParameters() {
    return delegate.defaultRequestParameters();
  }

  @Override
  public List<ChatModelListener> listeners() {
    return List.of(); // the delegate calls its own
  }

  @Override
  public ModelProvider provider() {
    return delegate.provider();
  }

  @Override
  public Set<Capability> supportedCapabilities() {
    return delegate.supportedCapabilities();
  }

  @Override
  public String toString() {
    return "observed " + delegate;
  }

  /** The handler given to the wrapped model for one attempt. */
  private final class Observer implements StreamingChatResponseHandler {
    private final ChatRequest request;
    private final ChatRequestOptions options;
    private final StreamingChatResponseHandler handler;
    private final String who;
    private final int attempt;
    private final long start = System.nanoTime();
    private final StreamCoalescer text;
    private volatile boolean done;

    Observer(
        ChatRequest request,
        ChatRequestOptions options,
        StreamingChatResponseHandler handler,
        String who,
        int attempt) {
      this.request = request;
      this.options = options;
      this.handler = handler;
      this.who = who;
      this.attempt = attempt;
      this.text = new StreamCoalescer(calls.context());
    }

    @Override
    public void onPartialResponse(String partial) {
      if (stopIfKilled(null)) {
        return;
      }
      text.add(partial);
      handler.onPartialResponse(partial);
    }

    @Override
    public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
      if (stopIfKilled(context.streamingHandle())) {
        return;
      }
      text.add(partial.text());
      handler.onPartialResponse(partial, context);
    }

    @Override
    public void onPartialThinking(PartialThinking thinking) {
      handler.onPartialThinking(thinking);
    }

    @Override
    public void onPartialThinking(PartialThinking thinking, PartialThinkingContext context) {
      handler.onPartialThinking(thinking, context);
    }

    @Override
    public void onPartialToolCall(PartialToolCall call) {
      handler.onPartialToolCall(call);
    }

    @Override
    public void onPartialToolCall(PartialToolCall call, PartialToolCallContext context) {
      handler.onPartialToolCall(call, context);
    }

    @Override
    public void onCompleteToolCall(CompleteToolCall call) {
      handler.onCompleteToolCall(call);
    }

    @Override
    public void onUnmappedRawEvent(Object event) {
      handler.onUnmappedRawEvent(event);
    }

    @Override
    public void onCompleteResponse(ChatResponse response) {
      if (done) {
        return;
      }
      done = true;
      text.flush();
      calls.answered(response, who, start);
      handler.onCompleteResponse(response);
    }

    @Override
    public void onError(Throwable error) {
      if (done) {
        return;
      }
      done = true;
      text.flush();
      if (calls.cancelled()) {
        handler.onError(new CancelledException(calls.context().fid()));
        return;
      }
      long wait;
      try {
        // once part of the answer was streamed, there is no retry, whatever the failure
        wait = calls.failed(error, who, attempt, text.received() == 0);
      } catch (RuntimeException failed) {
        handler.onError(failed);
        return;
      }
      Thread.ofVirtual()
          .name("kodo-model-retry-" + calls.context().fid())
          .start(
              () -> {
                try {
                  calls.sleep(wait);
                } catch (CancelledException killed) {
                  handler.onError(killed);
                  return;
                }
                attempt(request, options, handler, who, attempt + 1);
              });
    }

    private boolean stopIfKilled(dev.langchain4j.model.chat.response.StreamingHandle handle) {
      if (!calls.cancelled()) {
        return false;
      }
      if (handle != null) {
        handle.cancel();
      }
      onError(new CancelledException(calls.context().fid()));
      return true;
    }
  }
}
