package dev.kodo.agents.internal;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.List;
import java.util.Set;

/**
 * A {@link ChatModel} whose calls Kodo observes, retries and interrupts ({@link ModelCalls}); the
 * wrapped model does the work and keeps its own listeners. What a flow or crew gets from {@link
 * ObservedModels}.
 */
final class ObservedChatModel implements ChatModel {
  private final ChatModel delegate;
  private final ModelCalls calls;

  ObservedChatModel(ChatModel delegate, ModelCalls calls) {
    this.delegate = delegate;
    this.calls = calls;
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    return calls.call(() -> delegate.chat(request));
  }

  @Override
  public ChatResponse chat(ChatRequest request, ChatRequestOptions options) {
    return calls.call(() -> delegate.chat(request, options));
  }

  @Override
  public ChatResponse doChat(ChatRequest request) {
    return calls.call(() -> delegate.chat(request));
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
}
