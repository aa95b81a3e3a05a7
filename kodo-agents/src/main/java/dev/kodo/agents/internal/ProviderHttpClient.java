package dev.kodo.agents.internal;

import dev.kodo.client.Check;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpMethod;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;

/**
 * The HTTP client Kodo gives every LangChain4j model it builds (docs/flows.md#langchain4j-in-a-java
 * -flow): the JDK's client, with the configured connect and read timeouts, that
 *
 * <ul>
 *   <li>keeps an error answer's headers ({@link ProviderHttpException}), so a retry can honour
 *       {@code Retry-After};
 *   <li>waits interruptibly: an interrupt (a kill) cancels the exchange at once instead of waiting
 *       for the provider;
 *   <li>never logs anything (the request carries the API key).
 * </ul>
 *
 * One JDK client per connect timeout is shared by all models of the process. Thread-safe.
 */
final class ProviderHttpClient implements HttpClient {
  /** The most of an error answer's body that is read. */
  private static final int MAX_ERROR_BODY = 64 * 1024;

  private static final Set<String> RESTRICTED =
      Set.of("connection", "content-length", "expect", "host", "upgrade");
  private static final Map<Duration, java.net.http.HttpClient> CLIENTS = new ConcurrentHashMap<>();

  private final java.net.http.HttpClient client;
  private final Duration readTimeout;

  private ProviderHttpClient(Duration connectTimeout, Duration readTimeout) {
    this.client =
        CLIENTS.computeIfAbsent(
            connectTimeout,
            t ->
                java.net.http.HttpClient.newBuilder()
                    .connectTimeout(t)
                    .version(java.net.http.HttpClient.Version.HTTP_1_1)
                    .followRedirects(java.net.http.HttpClient.Redirect.NORMAL)
                    .executor(Executors.newVirtualThreadPerTaskExecutor())
                    .build());
    this.readTimeout = readTimeout;
  }

  /** A builder with the given timeouts, for the models' {@code httpClientBuilder(…)}. */
  static Builder builder(Duration connectTimeout, Duration readTimeout) {
    return new Builder().connectTimeout(connectTimeout).readTimeout(readTimeout);
  }

  @Override
  public SuccessfulHttpResponse execute(HttpRequest request) {
    CompletableFuture<HttpResponse<String>> sent =
        client.sendAsync(jdk(request), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    HttpResponse<String> response = await(sent);
    if (response.statusCode() >= 400) {
      String body = response.body() == null ? "" : response.body();
      throw new ProviderHttpException(
          response.statusCode(),
          body.length() > MAX_ERROR_BODY ? body.substring(0, MAX_ERROR_BODY) : body,
          response.headers().map());
    }
    return SuccessfulHttpResponse.builder()
        .statusCode(response.statusCode())
        .headers(response.headers().map())
        .body(response.body())
        .build();
  }

  @Override
  public void execute(
      HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
    CompletableFuture<HttpResponse<InputStream>> sent =
        client.sendAsync(jdk(request), HttpResponse.BodyHandlers.ofInputStream());
    sent.whenComplete(
        (response, error) ->
            Thread.ofVirtual()
                .name("kodo-model-stream")
                .start(() -> stream(response, error, parser, listener)));
  }

  private static void stream(
      HttpResponse<InputStream> response,
      Throwable error,
      ServerSentEventParser parser,
      ServerSentEventListener listener) {
    if (error != null) {
      listener.onError(unwrap(error));
      return;
    }
    try (InputStream body = response.body()) {
      if (response.statusCode() >= 400) {
        byte[] bytes = body.readNBytes(MAX_ERROR_BODY);
        listener.onError(
            new ProviderHttpException(
                response.statusCode(),
                new String(bytes, StandardCharsets.UTF_8),
                response.headers().map()));
        return;
      }
      listener.onOpen(
          SuccessfulHttpResponse.builder()
              .statusCode(response.statusCode())
              .headers(response.headers().map())
              .build());
      parser.parse(body, listener);
      listener.onClose();
    } catch (IOException | RuntimeException e) {
      listener.onError(e);
    }
  }

  private java.net.http.HttpRequest jdk(HttpRequest request) {
    Check.that(
        request.formDataFields().isEmpty() && request.formDataFiles().isEmpty(),
        "multipart requests are not supported by Kodo's model client");
    java.net.http.HttpRequest.Builder b =
        java.net.http.HttpRequest.newBuilder(URI.create(request.url())).timeout(readTimeout);
    request
        .headers()
        .forEach(
            (name, values) -> {
              if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                for (String v : values) {
                  b.header(name, v);
                }
              }
            });
    String body = request.body();
    java.net.http.HttpRequest.BodyPublisher publisher =
        body == null
            ? java.net.http.HttpRequest.BodyPublishers.noBody()
            : java.net.http.HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8);
    HttpMethod method = request.method();
    return b.method(method == null ? "GET" : method.name(), publisher).build();
  }

  /** The answer; an interrupt cancels the exchange and keeps the thread's interrupt status. */
  private static <T> T await(CompletableFuture<T> sent) {
    try {
      return sent.get();
    } catch (InterruptedException e) {
      sent.cancel(true);
      Thread.currentThread().interrupt();
      throw new CancellationException("the model call was interrupted");
    } catch (ExecutionException e) {
      Throwable cause = unwrap(e);
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    }
  }

  private static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof ExecutionException
            || c instanceof java.util.concurrent.CompletionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  /** Builds a {@link ProviderHttpClient}; the defaults are 10 s to connect and 60 s to read. */
  static final class Builder implements HttpClientBuilder {
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(60);

    @Override
    public Duration connectTimeout() {
      return connectTimeout;
    }

    @Override
    public Builder connectTimeout(Duration timeout) {
      if (timeout != null) {
        this.connectTimeout = timeout;
      }
      return this;
    }

    @Override
    public Duration readTimeout() {
      return readTimeout;
    }

    @Override
    public Builder readTimeout(Duration timeout) {
      if (timeout != null) {
        this.readTimeout = timeout;
      }
      return this;
    }

    @Override
    public HttpClient build() {
      return new ProviderHttpClient(connectTimeout, readTimeout);
    }
  }
}
